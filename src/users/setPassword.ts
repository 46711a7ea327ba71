import type { PayloadRequest } from 'payload'

import type { SanitizedRestAuthOptions } from '../types.js'

import { keepTokenContext } from '../collections/Users/credentialRevocation.js'
import { localApi } from '../utilities/localApi.js'

/**
 * Sets a user's password through Payload, which hashes it (pbkdf2-sha256). The users collection's
 * hooks then revoke every token, session and refresh family of the user, except `keepTokenId`,
 * and end their logins except `keepSessionId`.
 */
export const setPassword = async ({
  keepSessionId,
  keepTokenId,
  options,
  password,
  req,
  userId,
}: {
  /** The login (auth-sessions public id) that stays, with the credentials the caller renews. */
  keepSessionId?: string
  keepTokenId?: number | string
  options: SanitizedRestAuthOptions
  password: string
  req: PayloadRequest
  userId: number | string
}): Promise<void> => {
  await localApi(req.payload).update({
    collection: options.usersCollection,
    context: keepTokenContext(keepTokenId, keepSessionId),
    data: { password },
    depth: 0,
    id: userId,
    overrideAccess: true,
    req,
  })
}
