import type { CollectionAfterChangeHook, CollectionBeforeDeleteHook, CollectionBeforeLoginHook } from 'payload'

import { AuthenticationError } from 'payload'

import type { SanitizedRestAuthOptions } from '../../types.js'

import { evictUserFromTokenCache } from '../../tokens/tokenStore.js'

/** Any change to a user (deactivation, new data) must reach the cached token lookups at once. */
export const evictTokenCacheOnChange =
  (options: SanitizedRestAuthOptions): CollectionAfterChangeHook =>
  async ({ doc, operation, req }) => {
    evictUserFromTokenCache(req.payload, doc.id)
    if (operation === 'create' && !doc.is_staff) {
      // The first user (Payload's "create first user" screen) becomes staff, as createsuperuser would.
      const { totalDocs } = await req.payload.count({ collection: options.usersCollection as never, req })
      if (totalDocs === 1) {
        return req.payload.update({
          collection: options.usersCollection as never,
          data: { is_staff: true } as never,
          depth: 0,
          id: doc.id,
          overrideAccess: true,
          req,
        })
      }
    }
    return doc
  }

/** Payload's own admin login must refuse inactive users too. */
export const refuseInactiveLogin: CollectionBeforeLoginHook = ({ req, user }) => {
  if (user?.is_active === false) {
    throw new AuthenticationError(req.t)
  }
  return user
}

/** Before the user row goes: SQL foreign keys refuse to orphan the rows that point at it. */
export const deleteUserRows =
  (options: SanitizedRestAuthOptions): CollectionBeforeDeleteHook =>
  async ({ id, req }) => {
    evictUserFromTokenCache(req.payload, id)
    for (const collection of [options.slugs.tokens, options.slugs.emailAddresses, options.slugs.socialAccounts]) {
      await req.payload.delete({
        collection: collection as never,
        overrideAccess: true,
        req,
        where: { user: { equals: id } },
      })
    }
  }
