import type { EndpointContext } from '../http/defineEndpoint.js'

import { messages } from '../errors/messages.js'
import { readCookie } from '../http/cookies.js'
import { jsonResponse } from '../http/responses.js'
import { clearJwtCookies } from './cookies.js'
import { jwtMessages } from './messages.js'
import { endSession } from '../sessions/endSessions.js'
import { blacklistFamily, findOutstandingToken } from './outstandingTokens.js'
import { TokenError, verifyToken } from './tokens.js'

/**
 * LogoutView with USE_JWT and the blacklist app: both JWT cookies are cleared whatever happens, and
 * the refresh token (body `refresh`, else the refresh cookie) is blacklisted together with every
 * token rotated from the same login. Without a usable refresh token the answer is dj-rest-auth's 401.
 */
export const jwtLogoutResponse = async (
  { data, options, req, settings }: Pick<EndpointContext, 'data' | 'options' | 'req' | 'settings'>,
  cookies: string[],
): Promise<Response> => {
  const allCookies = [...cookies, ...clearJwtCookies(settings)]
  const fail = (detail: string) => jsonResponse({ detail }, { cookies: allCookies, status: 401 })
  const fromBody = data.refresh
  let token: string | undefined
  if (fromBody !== undefined && fromBody !== '') {
    token = typeof fromBody === 'string' ? fromBody.trim() : String(fromBody)
  } else if (settings.jwtAuthRefreshCookie) {
    token = readCookie(req.headers, settings.jwtAuthRefreshCookie)
  }
  if (token === undefined) {
    return fail(jwtMessages.refreshNotIncluded)
  }
  let jti: string
  try {
    jti = verifyToken(req.payload, settings, token, 'refresh').jti
  } catch (err) {
    if (err instanceof TokenError) {
      return fail(err.message)
    }
    throw err
  }
  const row = await findOutstandingToken({ jti, options, req })
  if (!row) {
    return fail(jwtMessages.tokenInvalidOrExpired)
  }
  if (row.blacklistedAt) {
    return fail(jwtMessages.tokenBlacklisted)
  }
  await blacklistFamily({ family: row.family, options, reason: 'logout', req })
  if (row.session) {
    // The login ends as a whole: a cookie session started with it ends too.
    await endSession({ options, publicId: row.session, reason: 'logout', req })
  }
  return jsonResponse({ detail: messages.loggedOut }, { cookies: allCookies })
}
