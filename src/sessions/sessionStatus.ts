import type { Payload } from 'payload'

import type { SanitizedRestAuthOptions } from '../types.js'

import { mayCache } from '../cache/holds.js'
import { now } from '../utilities/clock.js'
import { localApi } from '../utilities/localApi.js'

type Entry = { cachedUntil: number; isLive: Promise<boolean> }

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

const fetchIsLive = async (payload: Payload, options: SanitizedRestAuthOptions, publicId: string): Promise<boolean> => {
  const { docs } = await localApi(payload).find<{ endedAt?: null | string; expiresAt?: null | string }>({
    collection: options.slugs.sessions,
    depth: 0,
    limit: 1,
    overrideAccess: true,
    pagination: false,
    select: { endedAt: true, expiresAt: true },
    where: { publicId: { equals: publicId } },
  })
  const row = docs[0]
  return Boolean(row && !row.endedAt && (!row.expiresAt || new Date(row.expiresAt).getTime() > now()))
}

/**
 * Whether a session is still live (not ended, not expired, not deleted), for access JWTs that must
 * honour ended sessions (`jwtAccessHonoursSessionEnd`). Cached like token lookups (tokenCacheTtl):
 * an ended session is forgotten through src/cache/invalidation.ts (`kind: 'session'`), at once on
 * this instance, and on the others at once with Redis, else within the cache's lifetime.
 */
export const isSessionLive = (payload: Payload, options: SanitizedRestAuthOptions, publicId: string): Promise<boolean> => {
  const cache = cacheFor(payload)
  const hit = cache.get(publicId)
  const nowMs = Date.now()
  if (hit && hit.cachedUntil > nowMs) {
    return hit.isLive
  }
  const isLive = fetchIsLive(payload, options, publicId)
  cache.delete(publicId)
  if (!mayCache(payload, `session:${publicId}`)) {
    // Just ended, perhaps in a transaction not yet committed: not cached until it surely is.
    return isLive
  }
  if (cache.size >= MAX_ENTRIES) {
    cache.delete(cache.keys().next().value as string)
  }
  const entry = { cachedUntil: nowMs + options.tokenCacheTtl, isLive }
  cache.set(publicId, entry)
  isLive.catch(() => cache.get(publicId) === entry && cache.delete(publicId))
  return isLive
}

/** This instance only: other code goes through invalidateCaches (src/cache/invalidation.ts). */
export const evictSessionStatus = (payload: Payload, publicId: null | string | undefined): void => {
  if (publicId) {
    cacheFor(payload).delete(publicId)
  }
}

/** Everything cached may be stale (the invalidation channel was down): forget it all. */
export const clearSessionStatusCache = (payload: Payload): void => {
  caches.delete(payload)
}
