import { RestAuthError } from '../errors/RestAuthError.js'
import { TokenError } from './tokens.js'

/** WWW-Authenticate of simplejwt's 401 answers (AUTH_HEADER_TYPES[0] and its realm). */
export const WWW_AUTHENTICATE = 'Bearer realm="api"'

/**
 * The one way a refused JWT becomes a 401. simplejwt's views (token/refresh/, token/verify/) raise
 * InvalidToken: `{"detail", "code"}` with WWW-Authenticate. dj-rest-auth's LogoutView (`view:
 * 'logout'`) answers its own `{"detail"}`, carrying the cookies it clears. `errorResponse` maps a
 * TokenError that reaches it through here too.
 */
export const jwtAuthError = ({
  cause,
  code = 'token_not_valid',
  cookies,
  detail,
  view = 'simplejwt',
}: {
  cause?: unknown
  code?: string
  cookies?: string[]
  detail: string
  view?: 'logout' | 'simplejwt'
}): RestAuthError =>
  view === 'logout'
    ? new RestAuthError({ body: { detail }, cause, cookies, status: 401 })
    : new RestAuthError({ body: { code, detail }, cause, cookies, headers: { 'WWW-Authenticate': WWW_AUTHENTICATE }, status: 401 })

/** A TokenError as its 401 (anything else is rethrown). */
export const fromTokenError = (err: unknown, options: { cookies?: string[]; view?: 'logout' | 'simplejwt' } = {}): RestAuthError => {
  if (err instanceof TokenError) {
    return jwtAuthError({ ...options, cause: err, detail: err.message })
  }
  throw err
}
