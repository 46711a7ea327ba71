import type { Access, FieldAccess, PayloadRequest } from 'payload'

import type { RestAuthUser, SanitizedRestAuthOptions } from '../types.js'

export const isAdminRequest = (options: SanitizedRestAuthOptions, req: PayloadRequest): boolean =>
  options.isAdmin({ req, user: req.user as null | RestAuthUser })

export const adminOnly =
  (options: SanitizedRestAuthOptions): Access =>
  ({ req }) =>
    isAdminRequest(options, req)

/** Admins see every row; a user of the users collection sees the rows whose `user` is theirs. */
export const adminOrOwnRows =
  (options: SanitizedRestAuthOptions): Access =>
  ({ req }) => {
    if (isAdminRequest(options, req)) {
      return true
    }
    const user = req.user as ({ collection?: string } & RestAuthUser) | null
    if (user && user.collection === options.usersCollection) {
      return { user: { equals: user.id } }
    }
    return false
  }

/** Field-level access must be a plain boolean. */
export const adminOnlyField =
  (options: SanitizedRestAuthOptions): FieldAccess =>
  ({ req }) =>
    isAdminRequest(options, req)
