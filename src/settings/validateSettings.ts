import type { RestAuthSettings, SettingKey } from './definitions.js'

import { socialSettingsProblems } from '../providers/settingsProblems.js'
import { parseAuthenticationClasses } from '../strategies/authenticationClasses.js'
import { parseRate } from '../throttling/parseRate.js'
import { isHttpUrl } from '../utilities/isHttpUrl.js'
import { settingDefinitions } from './definitions.js'

/** An explicit list must parse, and must accept the credentials login hands out in the current mode. */
const authenticationClassesProblem = (settings: RestAuthSettings): string | undefined => {
  if (!settings.authenticationClasses.trim()) {
    return undefined
  }
  const parsed = parseAuthenticationClasses(settings.authenticationClasses)
  if ('problem' in parsed) {
    return parsed.problem
  }
  if (settings.useJwt && !parsed.schemes.includes('jwt')) {
    return 'USE_JWT is on: list jwt, or the tokens login answers authenticate nothing.'
  }
  if (!settings.useJwt && settings.tokenAuthEnabled && !parsed.schemes.includes('token')) {
    return 'Token authentication is on: list token, or the keys login answers authenticate nothing.'
  }
  return undefined
}

/** Problems keyed by the path of the setting (a row's field: `oidcProviders.0.slug`); empty when the combination is usable. */
export const validateSettings = (settings: RestAuthSettings): Record<string, string> => {
  const problems: Record<string, string> = {}
  for (const [key, def] of Object.entries(settingDefinitions) as [SettingKey, (typeof settingDefinitions)[SettingKey]][]) {
    const value = settings[key]
    if (def.type === 'number') {
      const min = 'min' in def ? (def.min ?? 0) : 0
      if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
        problems[key] = `Must be a number of at least ${min}.`
      }
    } else if (def.type === 'select' && !(def.options as readonly string[]).includes(value as string)) {
      problems[key] = `Must be one of: ${def.options.join(', ')}.`
    } else if (def.type === 'text' && 'format' in def && def.format === 'url' && typeof value === 'string' && value.trim() && !isHttpUrl(value.trim())) {
      // A URL that is not absolute http(s) could never be reached or redirected to.
      problems[key] = 'Must be an absolute http(s) URL.'
    } else if (def.type === 'rows' && !Array.isArray(value)) {
      problems[key] = 'Must be a list.'
    }
  }
  if (!settings.tokenAuthEnabled && !settings.sessionLogin && !settings.useJwt) {
    problems.tokenAuthEnabled =
      'With token authentication off, SESSION_LOGIN or USE_JWT must be on (as with TOKEN_MODEL = None).'
  }
  const authClasses = authenticationClassesProblem(settings)
  if (authClasses) {
    problems.authenticationClasses = authClasses
  }
  if (settings.jwtAuthSameSite === 'None' && !settings.jwtAuthSecure) {
    problems.jwtAuthSameSite = 'SameSite=None cookies are refused by browsers unless JWT_AUTH_SECURE is on.'
  }
  if (settings.accountAuthenticationMethod !== 'username' && !settings.accountEmailRequired) {
    problems.accountEmailRequired = 'Logging in by e-mail requires ACCOUNT_EMAIL_REQUIRED.'
  }
  if (settings.accountAuthenticationMethod === 'username' && !settings.accountUsernameRequired) {
    problems.accountUsernameRequired = 'Logging in by username requires ACCOUNT_USERNAME_REQUIRED.'
  }
  if (settings.accountEmailVerification === 'mandatory' && !settings.accountEmailRequired) {
    problems.accountEmailVerification = 'Mandatory verification requires ACCOUNT_EMAIL_REQUIRED.'
  }
  if (settings.djangoHashesExpireAt && Number.isNaN(Date.parse(settings.djangoHashesExpireAt))) {
    problems.djangoHashesExpireAt = 'A date or moment in ISO 8601, e.g. 2027-07-01 or 2027-07-01T00:00:00Z (empty: no limit).'
  }
  for (const key of Object.keys(settingDefinitions) as SettingKey[]) {
    if (key.startsWith('throttle') && key !== 'throttleEnabled') {
      const value = settings[key] as string
      if (value && !parseRate(value)) {
        problems[key] = 'A rate looks like 5/min, 100/hour or 1000/day (empty turns it off).'
      }
    }
  }
  return Array.isArray(settings.oidcProviders) ? { ...problems, ...socialSettingsProblems(settings) } : problems
}
