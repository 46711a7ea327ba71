import type { EndpointContext } from '../http/defineEndpoint.js'

import { messages } from '../errors/messages.js'
import { endSession } from '../sessions/endSessions.js'
import { blacklistFamily, findOutstandingToken } from './outstandingTokens.js'
import { TokenError, verifyToken } from './tokens.js'

/**
 * LogoutView's blacklisting with USE_JWT and the blacklist app: the refresh token is blacklisted
 * together with every token rotated from the same login. Returns why it could not be (simplejwt's
 * message, dj-rest-auth answers it as a 401), or null.
 */
export const blacklistOnLogout = async ({
  options,
  req,
  settings,
  token,
}: Pick<EndpointContext<unknown>, 'options' | 'req' | 'settings'> & { token: string }): Promise<{ cause?: TokenError; detail: string } | null> => {
  let jti: string
  try {
    jti = verifyToken(req.payload, settings, token, 'refresh').jti
  } catch (err) {
    if (err instanceof TokenError) {
      return { cause: err, detail: err.message }
    }
    throw err
  }
  const row = await findOutstandingToken({ jti, options, req })
  if (!row) {
    return { detail: messages.jwt.tokenInvalidOrExpired }
  }
  if (row.blacklistedAt) {
    return { detail: messages.jwt.tokenBlacklisted }
  }
  await blacklistFamily({ family: row.family, options, reason: 'logout', req })
  if (row.session) {
    // The login ends as a whole: a cookie session started with it ends too.
    await endSession({ options, publicId: row.session, reason: 'logout', req })
  }
  return null
}
