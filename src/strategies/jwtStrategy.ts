import type { AuthStrategy } from 'payload'

import type { ErrorBody } from '../errors/RestAuthError.js'
import type { RestAuthSettings, SanitizedRestAuthOptions } from '../types.js'

import { detailError } from '../errors/RestAuthError.js'
import { readCookie } from '../http/cookies.js'
import { hasCookielessHeader } from '../jwt/login.js'
import { TokenError, verifyToken } from '../jwt/tokens.js'
import { loadJwtUser } from '../jwt/userCache.js'
import { touchSession } from '../sessions/sessionStore.js'
import { isSessionLive } from '../sessions/sessionStatus.js'
import { toDatabaseId } from '../utilities/databaseId.js'
import { authenticationError } from './authenticationClasses.js'
import { csrfFailure } from './csrf.js'
import { setRequestAuth } from './requestAuth.js'
import { strategyUser } from './strategyUser.js'
import { messages } from '../errors/messages.js'

export const JWT_STRATEGY = 'rest-auth-jwt'

const HEADER_TYPE = 'Bearer'

/**
 * dj-rest-auth's JWTCookieAuthentication while USE_JWT is on: `Authorization: Bearer <access>`, or
 * else the JWT_AUTH_COOKIE. Access tokens are verified without the database (signature and
 * expiry); only the user is loaded, through a short-lived cache. A bad token is recorded, so the
 * plugin's endpoints answer simplejwt's body as dj-rest-auth does (with the status of the first
 * authentication class); Payload's own routes just see no user. Cookie-authenticated unsafe requests pass Django's CSRF check when JWT_AUTH_COOKIE_USE_CSRF
 * is on (every cookie-carrying request with JWT_AUTH_COOKIE_ENFORCE_CSRF_ON_UNAUTHENTICATED);
 * header-authenticated ones never do.
 */
/** simplejwt's AuthenticationFailed / InvalidToken, answered under the first authentication class's challenge. */
const refused = (settings: RestAuthSettings, body: ErrorBody, cause?: unknown) => ({ failure: authenticationError(settings, body, cause) })

export const jwtStrategy = (options: SanitizedRestAuthOptions): AuthStrategy => ({
  name: JWT_STRATEGY,
  authenticate: async ({ headers, payload, req }) => {
    const settings = await options.settingsStore.get(payload)
    if (!settings.useJwt) {
      return { user: null }
    }
    const header = headers.get('authorization')
    let raw: string | undefined
    if (header !== null) {
      // Any Authorization header wins over the cookie, as in simplejwt; only `Bearer` is ours.
      const parts = header.trim().split(/\s+/).filter(Boolean)
      if (parts.length === 0 || parts[0] !== HEADER_TYPE) {
        return { user: null }
      }
      if (parts.length !== 2) {
        setRequestAuth(req, refused(settings, { detail: messages.jwt.badAuthorizationHeader, code: 'bad_authorization_header' }))
        return { user: null }
      }
      raw = parts[1]!
    } else {
      if (!settings.jwtAuthCookie) {
        return { user: null }
      }
      const cookie = readCookie(headers, settings.jwtAuthCookie)
      raw = cookie === '' || cookie === '""' ? undefined : cookie
      // A browser cannot send a custom header cross-site without a CORS preflight: a cookieless
      // client without the cookie is as safe from CSRF as a header-authenticated one.
      const isCookielessClient = settings.jwtAllowCookielessClients && raw === undefined && hasCookielessHeader(headers)
      const mustCheckCsrf =
        !isCookielessClient &&
        (settings.jwtAuthCookieEnforceCsrfOnUnauthenticated || (raw !== undefined && settings.jwtAuthCookieUseCsrf))
      if (mustCheckCsrf) {
        const csrf = csrfFailure({ headers, method: req?.method, payload, settings, url: req?.url })
        if (csrf) {
          setRequestAuth(req, { failure: detailError(403, csrf) })
          return { user: null }
        }
      }
    }
    if (raw === undefined) {
      return { user: null }
    }
    let userId: unknown
    let sessionId: string | undefined
    try {
      const claims = verifyToken(payload, settings, raw, 'access')
      userId = claims.user_id
      sessionId = typeof claims.sid === 'string' && claims.sid ? claims.sid : undefined
      if (sessionId && settings.jwtAccessHonoursSessionEnd && !(await isSessionLive(payload, options, sessionId))) {
        throw new TokenError(messages.jwt.tokenBlacklisted)
      }
    } catch (err) {
      if (!(err instanceof TokenError)) {
        throw err
      }
      const body = {
        detail: messages.jwt.givenTokenNotValid,
        code: 'token_not_valid',
        messages: [{ token_class: 'AccessToken', token_type: 'access', message: err.message }],
      }
      setRequestAuth(req, refused(settings, body, err))
      return { user: null }
    }
    if (typeof userId !== 'number' && typeof userId !== 'string') {
      setRequestAuth(req, refused(settings, { detail: messages.jwt.noRecognizableUser, code: 'token_not_valid' }))
      return { user: null }
    }
    // A signed id this database cannot hold (another deployment's token) names no user.
    const id = toDatabaseId(payload, options.usersCollection, userId)
    const user = id === null ? null : await loadJwtUser(payload, options, id)
    if (!user) {
      setRequestAuth(req, refused(settings, { detail: messages.jwt.userNotFound, code: 'user_not_found' }))
      return { user: null }
    }
    if (user.is_active === false) {
      setRequestAuth(req, refused(settings, { detail: messages.jwt.userInactive, code: 'user_inactive' }))
      return { user: null }
    }
    if (sessionId) {
      touchSession({ options, payload, publicId: sessionId })
    }
    setRequestAuth(req, { credential: { kind: 'jwt', sessionId } })
    return { user: strategyUser(user, JWT_STRATEGY, options.usersCollection) }
  },
})
