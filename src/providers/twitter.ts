import { Strategy } from 'passport-twitter'

import type { OAuth1Strategy } from '../social/strategies.js'

import { emailOf, namesOf, textOf, uidOf } from '../social/identity.js'
import { unusedVerify } from '../social/strategies.js'
import { defineProvider } from '../social/types.js'

/**
 * Twitter / X over OAuth 1.0a: the client completes the three-legged flow and sends the access
 * token and its secret; the profile request is signed with them and the consumer secret. The address
 * (asked for with include_email) is not vouched for, as in allauth.
 */
export const twitterProvider = defineProvider({
  createStrategy: (config) =>
    new Strategy(
      {
        accessTokenURL: config.tokenUrl || undefined,
        callbackURL: config.callbackUrl || undefined,
        consumerKey: config.clientId,
        consumerSecret: config.secret,
        includeEmail: true,
        includeEntities: false,
        includeStatus: false,
        requestTokenURL: config.requestTokenUrl || undefined,
        userAuthorizationURL: config.authorizationUrl || undefined,
        userProfileURL: config.profileUrl || undefined,
      },
      unusedVerify,
    ) as OAuth1Strategy,
  id: 'twitter',
  label: 'Twitter',
  protocol: 'oauth1',
  toIdentity: (profile) => {
    const json = profile._json ?? {}
    const uid = uidOf(json.id_str ?? json.id ?? profile.id)
    if (!uid) {
      return null
    }
    return {
      email: emailOf(json.email),
      extraData: json,
      isEmailVerified: false,
      ...namesOf({ fullName: json.name }),
      uid,
      username: textOf(json.screen_name) || undefined,
    }
  },
})
