import type { PayloadRequest } from 'payload'

import type { SanitizedRestAuthOptions } from '../types.js'

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
  await req.payload.update({
    collection: options.usersCollection as never,
    data: { password } as never,
    depth: 0,
    id: userId,
    overrideAccess: true,
    req,
  })
}
