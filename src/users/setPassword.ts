import type { PayloadRequest } from 'payload'

import type { SanitizedRestAuthOptions } from '../types.js'
import { localApi } from '../utilities/localApi.js'

/** Sets a user's password through Payload, which hashes it (pbkdf2-sha256). */
export const setPassword = async ({
  options,
  password,
  req,
  userId,
}: {
  options: SanitizedRestAuthOptions
  password: string
  req: PayloadRequest
  userId: number | string
}): Promise<void> => {
  await localApi(req.payload).update({
    collection: options.usersCollection,
    data: { password },
    depth: 0,
    id: userId,
    overrideAccess: true,
    req,
  })
}
