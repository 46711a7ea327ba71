import type { PayloadRequest } from 'payload'

import type { SanitizedRestAuthOptions } from '../types.js'

import { revokeUserRefreshTokens } from '../jwt/outstandingTokens.js'
import { revokeUserTokens } from '../tokens/tokenStore.js'

/** After a password reset: every token, session and refresh token of the user stops working. */
export const revokeAllCredentials = async ({
  options,
  req,
  userId,
}: {
  options: SanitizedRestAuthOptions
  req: PayloadRequest
  userId: number | string
}): Promise<void> => {
  await revokeUserTokens({ options, req, userId })
  await revokeUserRefreshTokens({ options, req, userId })
}
