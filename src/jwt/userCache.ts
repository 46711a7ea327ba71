import type { CollectionBeforeDeleteHook, Payload } from 'payload'

import type { RestAuthUser, SanitizedRestAuthOptions } from '../types.js'

import { createPromiseCache } from '../cache/promiseCache.js'
import { deleteUserOutstandingTokens } from './outstandingTokens.js'
import { localApi } from '../utilities/localApi.js'

const users = createPromiseCache<null | RestAuthUser>()

const fetchUser = async (payload: Payload, options: SanitizedRestAuthOptions, id: number | string) => {
  try {
    return ((await localApi(payload).findByID({
      collection: options.usersCollection,
      depth: 0,
      disableErrors: true,
      id,
      overrideAccess: true,
    })) ?? null) as null | RestAuthUser
  } catch {
    // An id of the wrong type for this database is no user at all.
    return null
  }
}

/**
 * The user an access token names. Access tokens are verified without the database; this short-lived
 * cache (tokenCacheTtl) spares the user lookup too. Any change to a user evicts it at once.
 */
export const loadJwtUser = (
  payload: Payload,
  options: SanitizedRestAuthOptions,
  id: number | string,
): Promise<null | RestAuthUser> =>
  users.get(payload, {
    holdKey: `user:${String(id)}`,
    // Unknown users are not remembered: a user created a moment later must be found.
    keep: (user) => user !== null,
    key: String(id),
    load: () => fetchUser(payload, options, id),
    ttlMs: options.tokenCacheTtl,
  })

export const evictJwtUser = (payload: Payload, id: number | string): void => users.evict(payload, String(id))

/** Forget every cached user of this instance (invalidations may have been missed: Redis was away). */
export const clearJwtUserCache = (payload: Payload): void => users.clear(payload)

/**
 * Users collection beforeDelete: their refresh-token rows go first, since the rows' required
 * `user` column cannot be set to null by the database's ON DELETE SET NULL.
 */
export const deleteJwtRowsBeforeUserDelete =
  (options: SanitizedRestAuthOptions): CollectionBeforeDeleteHook =>
  async ({ id, req }) => {
    await deleteUserOutstandingTokens({ options, payload: req.payload, req, userId: id })
  }
