import type { PayloadRequest } from 'payload'

import type { SessionEndReason } from '../collections/AuthSessions/index.js'
import type { BlacklistReason } from '../collections/OutstandingTokens/index.js'
import type { SanitizedRestAuthOptions } from '../types.js'

import { revokeUserRefreshTokens } from '../jwt/outstandingTokens.js'
import { endUserSessions } from '../sessions/endSessions.js'
import { invalidateCaches } from '../cache/invalidation.js'
import { revokeUserTokens } from '../tokens/tokenStore.js'

const sessionReasonOf: Record<BlacklistReason, SessionEndReason> = {
  admin: 'admin',
  logout: 'logout',
  password_change: 'password_change',
  reuse: 'reuse',
  rotated: 'revoked',
  session_ended: 'revoked',
}

/**
 * Every token, session and JWT refresh family of the user stops working at the next request (the
 * caches of every instance are cleared), and their logins (auth-sessions rows) end. `exceptTokenId`
 * spares one token and `exceptSessionId` one login: what `password/change/` keeps for the request
 * that changed the password.
 */
export const revokeAllCredentials = async ({
  exceptSessionId,
  exceptTokenId,
  options,
  reason = 'password_change',
  req,
  sessionReason,
  userId,
}: {
  exceptSessionId?: string
  exceptTokenId?: number | string
  options: SanitizedRestAuthOptions
  reason?: BlacklistReason
  req: PayloadRequest
  /** Why the logins end; by default what `reason` says. */
  sessionReason?: SessionEndReason
  userId: number | string
}): Promise<void> => {
  await endUserSessions({ exceptPublicId: exceptSessionId, options, reason: sessionReason ?? sessionReasonOf[reason], req, userId })
  await revokeUserTokens({ exceptTokenId, options, req, userId })
  await revokeUserRefreshTokens({ options, reason, req, userId })
  await invalidateCaches({ message: { kind: 'user', userId }, options, payload: req.payload })
}
