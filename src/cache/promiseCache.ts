import type { Payload } from 'payload'

import type { HoldKey } from './holds.js'

import { mayCache } from './holds.js'

type Entry<T> = { cachedUntil: number; value: Promise<T> }

const MAX_ENTRIES = 10_000

/**
 * A per-instance, bounded cache of lookups (JWT users, session liveness): the lookup's promise is
 * kept for `ttlMs`, so concurrent requests share one query. What src/cache/holds.ts holds (written a
 * moment ago, perhaps not committed yet) is looked up but not kept; a failed lookup, or a value
 * `keep` refuses, is forgotten. Invalidation (src/cache/invalidation.ts) goes through `evict`/`clear`.
 */
export const createPromiseCache = <T>() => {
  const caches = new WeakMap<Payload, Map<string, Entry<T>>>()
  const cacheFor = (payload: Payload): Map<string, Entry<T>> => {
    let cache = caches.get(payload)
    if (!cache) {
      cache = new Map()
      caches.set(payload, cache)
    }
    return cache
  }
  return {
    clear: (payload: Payload): void => {
      caches.delete(payload)
    },
    evict: (payload: Payload, key: string): void => {
      cacheFor(payload).delete(key)
    },
    get: (
      payload: Payload,
      { holdKey, keep, key, load, ttlMs }: { holdKey: HoldKey; keep?: (value: T) => boolean; key: string; load: () => Promise<T>; ttlMs: number },
    ): Promise<T> => {
      const cache = cacheFor(payload)
      const nowMs = Date.now()
      const hit = cache.get(key)
      if (hit && hit.cachedUntil > nowMs) {
        return hit.value
      }
      const value = load()
      cache.delete(key)
      if (!mayCache(payload, holdKey)) {
        return value
      }
      if (cache.size >= MAX_ENTRIES) {
        cache.delete(cache.keys().next().value as string)
      }
      const entry = { cachedUntil: nowMs + ttlMs, value }
      cache.set(key, entry)
      const forget = () => {
        if (cache.get(key) === entry) {
          cache.delete(key)
        }
      }
      value.then((found) => (keep && !keep(found) ? forget() : undefined), forget)
      return value
    },
  }
}
