import type { PayloadRequest } from 'payload'

import type { SanitizedRestAuthOptions } from '../types.js'

import { normalizeIdentifier } from '../users/findUser.js'

/** ACCOUNT_UNIQUE_EMAIL: the address belongs to a user, or to any user's EmailAddress row. */
export const isEmailTaken = async (
  { options, req }: { options: SanitizedRestAuthOptions; req: PayloadRequest },
  email: string,
): Promise<boolean> => {
  const where = { email: { equals: normalizeIdentifier(email) } }
  const [users, addresses] = await Promise.all([
    req.payload.count({ collection: options.usersCollection as never, overrideAccess: true, req, where }),
    req.payload.count({ collection: options.slugs.emailAddresses as never, overrideAccess: true, req, where }),
  ])
  return users.totalDocs + addresses.totalDocs > 0
}
