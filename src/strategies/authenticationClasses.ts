import type { RestAuthSettings } from '../types.js'
import type { ErrorBody } from '../errors/RestAuthError.js'

import { messages } from '../errors/messages.js'
import { RestAuthError } from '../errors/RestAuthError.js'
import { WWW_AUTHENTICATE } from '../jwt/errors.js'

/** The plugin's three ways to authenticate a request, as Django REST framework's authentication classes. */
export type AuthScheme = 'jwt' | 'session' | 'token'

/** Short names and the Django REST framework / dj-rest-auth / simplejwt class names a setting may use. */
const SCHEME_NAMES: Record<string, AuthScheme> = {
  jwt: 'jwt',
  jwtauthentication: 'jwt',
  jwtcookieauthentication: 'jwt',
  session: 'session',
  sessionauthentication: 'session',
  token: 'token',
  tokenauthentication: 'token',
}

/**
 * The `authenticationClasses` setting as a list: names separated by commas or spaces, DRF's dotted
 * class paths and a pasted Python tuple accepted. Unknown or repeated names are a problem.
 */
export const parseAuthenticationClasses = (value: string): { problem: string } | { schemes: AuthScheme[] } => {
  const names = value
    .replace(/[()[\]'"]/g, ' ')
    .split(/[\s,]+/)
    .filter(Boolean)
  const schemes: AuthScheme[] = []
  for (const name of names) {
    const scheme = SCHEME_NAMES[name.split('.').pop()!.toLowerCase()]
    if (!scheme) {
      return { problem: `Unknown authentication class "${name}": use session, token and jwt.` }
    }
    if (schemes.includes(scheme)) {
      return { problem: `"${scheme}" is listed twice.` }
    }
    schemes.push(scheme)
  }
  return { schemes }
}

/**
 * dj-rest-auth's documented configuration: Django REST framework's default list starts with
 * SessionAuthentication, to which token authentication adds TokenAuthentication; with USE_JWT the
 * documentation configures JWTCookieAuthentication.
 */
const documentedSchemes = (settings: RestAuthSettings): AuthScheme[] => (settings.useJwt ? ['jwt'] : ['session', 'token'])

/**
 * The schemes tried for a request, in order: the setting (or the documented default) without the
 * schemes the settings turn off (`token` without `tokenAuthEnabled`, `jwt` without `useJwt`).
 */
export const authenticationSchemes = (settings: RestAuthSettings): AuthScheme[] => {
  const parsed = settings.authenticationClasses.trim() ? parseAuthenticationClasses(settings.authenticationClasses) : null
  const listed = parsed && 'schemes' in parsed ? parsed.schemes : documentedSchemes(settings)
  return listed.filter((scheme) => (scheme === 'token' ? settings.tokenAuthEnabled : scheme === 'jwt' ? settings.useJwt : true))
}

/** The WWW-Authenticate challenge of each scheme (DRF's `authenticate_header`); the session has none. */
const CHALLENGES: Record<AuthScheme, string | undefined> = {
  jwt: WWW_AUTHENTICATE,
  session: undefined,
  token: 'Token',
}

/** The first authentication class's WWW-Authenticate challenge, if it has one. */
export const authenticationChallenge = (settings: RestAuthSettings): string | undefined =>
  CHALLENGES[authenticationSchemes(settings)[0] ?? 'session']

/**
 * DRF answers NotAuthenticated and AuthenticationFailed with the first class's challenge: 401 with
 * its WWW-Authenticate header, or 403 when that class has none (SessionAuthentication) or no class
 * is configured. Whichever class failed, the body is its own.
 */
export const authenticationError = (settings: RestAuthSettings, body: ErrorBody, cause?: unknown): RestAuthError => {
  const challenge = authenticationChallenge(settings)
  return challenge
    ? new RestAuthError({ body, cause, headers: { 'WWW-Authenticate': challenge }, status: 401 })
    : new RestAuthError({ body, cause, status: 403 })
}

/** DRF's NotAuthenticated: `Authentication credentials were not provided.` under the configured challenge. */
export const notAuthenticated = (settings: RestAuthSettings): RestAuthError =>
  authenticationError(settings, { detail: messages.auth.authenticationRequired })
