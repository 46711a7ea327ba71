import { RestAuthError } from '../errors/RestAuthError.js'
import { WWW_AUTHENTICATE } from './messages.js'

/** simplejwt's InvalidToken / AuthenticationFailed: 401 `{"detail", "code"}` with WWW-Authenticate. */
export const jwtAuthError = (detail: string, code = 'token_not_valid', extra: Record<string, unknown> = {}): RestAuthError =>
  new RestAuthError({
    body: { detail, code, ...extra } as never,
    headers: { 'WWW-Authenticate': WWW_AUTHENTICATE },
    status: 401,
  })
