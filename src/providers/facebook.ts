import { Strategy } from 'passport-facebook'

import type { OAuth2Strategy } from '../social/strategies.js'

import { emailOf, namesOf, uidOf } from '../social/identity.js'
import { oauth2StrategyOptions, unusedVerify } from '../social/strategies.js'
import { defineProvider } from '../social/types.js'

/**
 * Facebook (Graph API `me`), with appsecret_proof on every call as allauth sends it. Facebook does
 * not say whether an address is verified, so allauth (and this plugin) treats it as unverified.
 */
export const facebookProvider = defineProvider({
  createStrategy: (config) =>
    new Strategy(
      {
        ...oauth2StrategyOptions(config),
        enableProof: config.secret !== '',
        profileFields: ['id', 'displayName', 'name', 'emails'],
        profileURL: config.profileUrl || undefined,
      },
      unusedVerify,
    ) as OAuth2Strategy,
  id: 'facebook',
  label: 'Facebook',
  protocol: 'oauth2',
  toIdentity: (profile) => {
    const json = profile._json ?? {}
    const uid = uidOf(json.id ?? profile.id)
    if (!uid) {
      return null
    }
    return {
      email: emailOf(json.email),
      extraData: json,
      isEmailVerified: false,
      ...namesOf({ familyName: json.last_name, fullName: json.name, givenName: json.first_name }),
      uid,
    }
  },
})
