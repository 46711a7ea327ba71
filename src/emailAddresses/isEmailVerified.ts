import type { PayloadRequest } from 'payload'

import type { RestAuthUser, SanitizedRestAuthOptions } from '../types.js'
import { localApi } from '../utilities/localApi.js'

/** Whether the user's primary address (users.email) has a verified EmailAddresses row. */
export const isEmailVerified = async ({
  options,
  req,
  user,
}: {
  options: SanitizedRestAuthOptions
  req: PayloadRequest
  user: RestAuthUser
}): Promise<boolean> => {
  if (!user.email) {
    return false
  }
  const { totalDocs } = await localApi(req.payload).count({
    collection: options.slugs.emailAddresses,
    overrideAccess: true,
    req,
    where: {
      and: [{ user: { equals: user.id } }, { email: { equals: user.email.toLowerCase() } }, { verified: { equals: true } }],
    },
  })
  return totalDocs > 0
}
