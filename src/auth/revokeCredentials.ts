import type { PayloadRequest } from 'payload'

import type { BlacklistReason } from '../collections/OutstandingTokens/index.js'
import type { SanitizedRestAuthOptions } from '../types.js'

import { revokeUserRefreshTokens } from '../jwt/outstandingTokens.js'
import { invalidateCaches } from '../cache/invalidation.js'
import { revokeUserTokens } from '../tokens/tokenStore.js'
import { hasCollection } from '../utilities/hasCollection.js'

/**
 * Every token, session and JWT refresh family of the user stops working at the next request (the
 * caches of every instance are cleared). `exceptTokenId` spares one token: the one `password/change/`
 * keeps for the request that changed the password.
 */
export const revokeAllCredentials = async ({
  exceptTokenId,
  options,
  reason = 'password_change',
  req,
  userId,
}: {
  exceptTokenId?: number | string
  options: SanitizedRestAuthOptions
  reason?: BlacklistReason
  req: PayloadRequest
  userId: number | string
}): Promise<void> => {
  await revokeUserTokens({ exceptTokenId, options, req, userId })
  if (hasCollection(req.payload, options.slugs.outstandingTokens)) {
    await revokeUserRefreshTokens({ options, reason, req, userId })
  }
  await invalidateCaches({ message: { kind: 'user', userId }, options, payload: req.payload })
}
