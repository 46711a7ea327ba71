import { Strategy } from 'passport-github2'

import type { OAuth2Strategy, PassportProfile } from '../social/strategies.js'

import { emailOf, namesOf, textOf, uidOf } from '../social/identity.js'
import { oauth2StrategyOptions, requireJsonBody, unusedVerify } from '../social/strategies.js'
import { checkGithubTokenAudience } from '../social/tokenAudience.js'
import { defineProvider } from '../social/types.js'

/** allauth's choice: the primary address if GitHub lists one, else a verified one, else the public one. */
const chooseEmail = (profile: PassportProfile): { email?: string; isEmailVerified: boolean } => {
  const listed = (profile.emails ?? [])
    .map((entry) => ({ email: emailOf(entry.value), isPrimary: entry.primary === true, isVerified: entry.verified === true }))
    .filter((entry) => entry.email)
  const chosen = listed.find((entry) => entry.isPrimary) ?? listed.find((entry) => entry.isVerified) ?? listed[0]
  return chosen ? { email: chosen.email, isEmailVerified: chosen.isVerified } : { email: emailOf(profile._json?.email), isEmailVerified: false }
}

/**
 * GitHub (REST API `user`). With the `user:email` scope the strategy also reads `<profile URL>/emails`
 * and its `verified` flags; without it only the public address is known, unverified.
 */
export const githubProvider = defineProvider({
  checkTokenAudience: checkGithubTokenAudience,
  createStrategy: (config) => {
    const profileUrl = config.profileUrl || 'https://api.github.com/user'
    const emailsUrl = `${profileUrl.replace(/\/+$/, '')}/emails`
    const strategy = new Strategy(
      {
        ...oauth2StrategyOptions(config),
        allRawEmails: true,
        userAgent: 'payload-rest-auth',
        userEmailURL: emailsUrl,
        userProfileURL: profileUrl,
      },
      unusedVerify,
    ) as OAuth2Strategy
    requireJsonBody(strategy._oauth2, emailsUrl)
    return strategy
  },
  id: 'github',
  label: 'GitHub',
  protocol: 'oauth2',
  toIdentity: (profile) => {
    const json = profile._json ?? {}
    const uid = uidOf(json.id ?? profile.id)
    if (!uid) {
      return null
    }
    return {
      ...chooseEmail(profile),
      extraData: json,
      ...namesOf({ fullName: json.name }),
      uid,
      username: textOf(json.login) || undefined,
    }
  },
})
