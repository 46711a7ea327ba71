import { Strategy } from 'passport-google-oauth20'

import type { OAuth2Strategy } from '../social/strategies.js'

import { emailOf, namesOf, uidOf } from '../social/identity.js'
import { oauth2StrategyOptions, unusedVerify } from '../social/strategies.js'
import { checkGoogleTokenAudience } from '../social/tokenAudience.js'
import { defineProvider } from '../social/types.js'

/** Google (OpenID Connect userinfo): uid is `sub`; the address counts as verified when `email_verified` says so. */
export const googleProvider = defineProvider({
  checkTokenAudience: checkGoogleTokenAudience,
  createStrategy: (config) =>
    new Strategy(
      {
        ...oauth2StrategyOptions(config),
        userProfileURL: config.profileUrl || undefined,
      },
      unusedVerify,
    ) as OAuth2Strategy,
  id: 'google',
  label: 'Google',
  protocol: 'oauth2',
  toIdentity: (profile) => {
    const json = profile._json ?? {}
    const uid = uidOf(json.sub ?? profile.id)
    if (!uid) {
      return null
    }
    const verified = json.email_verified ?? json.verified_email
    return {
      email: emailOf(json.email),
      extraData: json,
      isEmailVerified: verified === true || verified === 'true',
      ...namesOf({ familyName: json.family_name, fullName: json.name, givenName: json.given_name }),
      uid,
    }
  },
})
