import type { Payload } from 'payload'

import type { SanitizedRestAuthOptions } from '../types.js'

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
 * this instance forgets an ended session at once, other instances within the cache's lifetime.
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
  if (cache.size >= MAX_ENTRIES) {
    cache.delete(cache.keys().next().value as string)
  }
  const entry = { cachedUntil: nowMs + options.tokenCacheTtl, isLive }
  cache.set(publicId, entry)
  isLive.catch(() => cache.get(publicId) === entry && cache.delete(publicId))
  return isLive
}

export const evictSessionStatus = (payload: Payload, publicId: null | string | undefined): void => {
  if (publicId) {
    cacheFor(payload).delete(publicId)
  }
}
