import type { RestAuthSettings, SettingKey } from './definitions.js'

import { parseTrustedProxies } from '../http/forwarded.js'
import { socialSettingsProblems } from '../providers/settingsProblems.js'
import { parseAuthenticationClasses } from '../strategies/authenticationClasses.js'
import { parseTrustedOrigins } from '../strategies/csrf.js'
import { parseRate } from '../throttling/parseRate.js'
import { isHttpUrl } from '../utilities/isHttpUrl.js'
import { relyingPartyProblems } from '../webauthn/relyingParty.js'
import { settingDefinitions } from './definitions.js'

/** simplejwt's HS256 keys: RFC 7518 asks for at least the hash's size. */
const MIN_SIGNING_KEY_BYTES = 32

/**
 * Browsers drop `__Host-` cookies that are not Secure with Path=/ (and `__Secure-` ones that are not
 * Secure): a site configured so would never keep its session.
 */
const cookiePrefixProblems = (settings: RestAuthSettings): Partial<Record<SettingKey, string>> => {
  const problems: Partial<Record<SettingKey, string>> = {}
  const cookies = [
    { key: 'sessionCookieName', path: '/', secure: settings.sessionCookieSecure, secureSetting: 'SESSION_COOKIE_SECURE' },
    // Session logins set it with the session's Secure flag; JWT logins with either.
    {
      key: 'csrfCookieName',
      path: '/',
      secure: settings.sessionLogin ? settings.sessionCookieSecure : settings.sessionCookieSecure || settings.jwtAuthSecure,
      secureSetting: 'SESSION_COOKIE_SECURE',
    },
    { key: 'jwtAuthCookie', path: '/', secure: settings.jwtAuthSecure, secureSetting: 'JWT_AUTH_SECURE' },
    { key: 'jwtAuthRefreshCookie', path: settings.jwtAuthRefreshCookiePath, secure: settings.jwtAuthSecure, secureSetting: 'JWT_AUTH_SECURE' },
  ] as const
  for (const { key, path, secure, secureSetting } of cookies) {
    const name = settings[key]
    const isHostPrefixed = name.startsWith('__Host-')
    if ((isHostPrefixed || name.startsWith('__Secure-')) && !secure) {
      problems[key] = `Browsers keep a ${isHostPrefixed ? '__Host-' : '__Secure-'} cookie only when it is Secure: turn on ${secureSetting}.`
    } else if (isHostPrefixed && path !== '/') {
      problems[key] = 'Browsers keep a __Host- cookie only with Path=/: set JWT_AUTH_REFRESH_COOKIE_PATH to /.'
    }
  }
  return problems
}

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
  if (settings.mfaTotpDigits !== 6 && settings.mfaTotpDigits !== 8) {
    problems.mfaTotpDigits = 'Authenticator apps show 6 or 8 digits.'
  }
  for (const key of ['mfaEncryptionKey', 'mfaPreviousEncryptionKey'] as const) {
    const value = settings[key]
    if (value && Buffer.byteLength(value, 'utf8') < MIN_SIGNING_KEY_BYTES) {
      problems[key] = `An encryption key needs at least ${MIN_SIGNING_KEY_BYTES} bytes of randomness, e.g. \`openssl rand -base64 48\`. Empty derives one from the Payload secret.`
    }
  }
  for (const key of ['jwtSigningKey', 'jwtPreviousSigningKey'] as const) {
    const value = settings[key]
    if (value && Buffer.byteLength(value, 'utf8') < MIN_SIGNING_KEY_BYTES) {
      problems[key] = `An HS256 key needs at least ${MIN_SIGNING_KEY_BYTES} bytes (256 bits) of randomness, e.g. \`openssl rand -base64 48\`. Empty derives one from the Payload secret.`
    }
  }
  const invalidProxies = parseTrustedProxies(settings.trustedProxies).invalid
  if (invalidProxies.length > 0) {
    problems.trustedProxies = `Not an IP address or CIDR range: ${invalidProxies.join(', ')}.`
  }
  const invalidOrigins = parseTrustedOrigins(settings.csrfTrustedOrigins).invalid
  if (invalidOrigins.length > 0) {
    problems.csrfTrustedOrigins = `Not an origin like https://app.example.com or https://*.example.com: ${invalidOrigins.join(', ')}.`
  }
  Object.assign(problems, cookiePrefixProblems(settings))
  Object.assign(problems, relyingPartyProblems(settings))
  return Array.isArray(settings.oidcProviders) ? { ...problems, ...socialSettingsProblems(settings) } : problems
}
