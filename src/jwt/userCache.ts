import type { CollectionBeforeDeleteHook, Payload } from 'payload'

import type { RestAuthUser, SanitizedRestAuthOptions } from '../types.js'

import { mayCache } from '../cache/holds.js'
import { deleteUserOutstandingTokens } from './outstandingTokens.js'
import { localApi } from '../utilities/localApi.js'

type Entry = { cachedUntil: number; user: Promise<null | RestAuthUser> }

const MAX_ENTRIES = 10_000
const caches = new WeakMap<Payload, Map<string, Entry>>()

const cacheFor = (payload: Payload): Map<string, Entry> => {
  let cache = caches.get(payload)
  if (!cache) {
    cache = new Map()
    caches.set(payload, cache)
  }
  return cache
}

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
): Promise<null | RestAuthUser> => {
  const cache = cacheFor(payload)
  const key = String(id)
  const nowMs = Date.now()
  const hit = cache.get(key)
  if (hit && hit.cachedUntil > nowMs) {
    return hit.user
  }
  const user = fetchUser(payload, options, id)
  cache.delete(key)
  if (!mayCache(payload, `user:${key}`)) {
    return user
  }
  if (cache.size >= MAX_ENTRIES) {
    cache.delete(cache.keys().next().value as string)
  }
  const entry = { cachedUntil: nowMs + options.tokenCacheTtl, user }
  cache.set(key, entry)
  user.then(
    (found) => {
      // Unknown users are not remembered: a user created a moment later must be found.
      if (!found && cache.get(key) === entry) {
        cache.delete(key)
      }
    },
    () => cache.delete(key),
  )
  return user
}

export const evictJwtUser = (payload: Payload, id: number | string): void => {
  cacheFor(payload).delete(String(id))
}

/** Forget every cached user of this instance (invalidations may have been missed: Redis was away). */
export const clearJwtUserCache = (payload: Payload): void => {
  cacheFor(payload).clear()
}

/**
 * Users collection beforeDelete: their refresh-token rows go first, since the rows' required
 * `user` column cannot be set to null by the database's ON DELETE SET NULL.
 */
export const deleteJwtRowsBeforeUserDelete =
  (options: SanitizedRestAuthOptions): CollectionBeforeDeleteHook =>
  async ({ id, req }) => {
    await deleteUserOutstandingTokens({ options, payload: req.payload, req, userId: id })
  }
