import type { PayloadRequest } from 'payload'

import type { SanitizedRestAuthOptions } from '../types.js'

import { localApi } from '../utilities/localApi.js'

/** Marks one e-mail address verified (a confirmation key or code, an admin, a completed reset), in the request's transaction. */
export const markAddressVerified = async ({
  id,
  options,
  req,
}: {
  id: number | string
  options: SanitizedRestAuthOptions
  req: PayloadRequest
}): Promise<void> => {
  await localApi(req.payload).update({
    collection: options.slugs.emailAddresses,
    data: { verified: true },
    depth: 0,
    id,
    overrideAccess: true,
    req,
  })
}
