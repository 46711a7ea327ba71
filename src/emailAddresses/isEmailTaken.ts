import type { PayloadRequest } from 'payload'

import type { SanitizedRestAuthOptions } from '../types.js'

import { normalizeIdentifier } from '../users/findUser.js'
import { localApi } from '../utilities/localApi.js'

/** ACCOUNT_UNIQUE_EMAIL: the address belongs to a user, or to any user's EmailAddress row. */
export const isEmailTaken = async (
  { options, req }: { options: SanitizedRestAuthOptions; req: PayloadRequest },
  email: string,
): Promise<boolean> => {
  const where = { email: { equals: normalizeIdentifier(email) } }
  const [users, addresses] = await Promise.all([
    localApi(req.payload).count({ collection: options.usersCollection, overrideAccess: true, req, where }),
    localApi(req.payload).count({ collection: options.slugs.emailAddresses, overrideAccess: true, req, where }),
  ])
  return users.totalDocs + addresses.totalDocs > 0
}
