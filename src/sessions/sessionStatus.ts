import type { Payload } from 'payload'

import type { SanitizedRestAuthOptions } from '../types.js'

import { createPromiseCache } from '../cache/promiseCache.js'
import { now } from '../utilities/clock.js'
import { localApi } from '../utilities/localApi.js'

const liveness = createPromiseCache<boolean>()

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
export const isSessionLive = (payload: Payload, options: SanitizedRestAuthOptions, publicId: string): Promise<boolean> =>
  // Just ended, perhaps in a transaction not yet committed: held, so not cached until it surely is.
  liveness.get(payload, {
    holdKey: `session:${publicId}`,
    key: publicId,
    load: () => fetchIsLive(payload, options, publicId),
    ttlMs: options.tokenCacheTtl,
  })

/** This instance only: other code goes through invalidateCaches (src/cache/invalidation.ts). */
export const evictSessionStatus = (payload: Payload, publicId: null | string | undefined): void => {
  if (publicId) {
    liveness.evict(payload, publicId)
  }
}

/** Everything cached may be stale (the invalidation channel was down): forget it all. */
export const clearSessionStatusCache = (payload: Payload): void => liveness.clear(payload)
