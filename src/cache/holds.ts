import type { Payload } from 'payload'

/*
 * An eviction is announced from inside the write's transaction (Payload's change hooks run before
 * its commit), so a request racing it — here or on another instance — could read the row as it
 * was and cache it again for the whole TTL. For a few seconds after an eviction, lookups of that
 * user, token or session go to the database and are not cached; the commit lands within that time.
 */

export const HOLD_MS = 5_000
const MAX_HOLDS = 10_000
const holds = new WeakMap<Payload, Map<string, number>>()

export type HoldKey = `session:${string}` | `token:${string}` | `user:${string}`

const holdsOf = (payload: Payload): Map<string, number> => {
  let map = holds.get(payload)
  if (!map) {
    map = new Map()
    holds.set(payload, map)
  }
  return map
}

/** No caching of `key` for HOLD_MS. */
export const holdCaching = (payload: Payload, key: HoldKey): void => {
  const map = holdsOf(payload)
  const now = Date.now()
  if (map.size >= MAX_HOLDS) {
    for (const [held, until] of map) {
      if (until <= now) {
        map.delete(held)
      }
    }
  }
  map.delete(key)
  if (map.size >= MAX_HOLDS) {
    map.delete(map.keys().next().value as string)
  }
  map.set(key, now + HOLD_MS)
}

/** Whether a lookup of `key` may be cached now. */
export const mayCache = (payload: Payload, ...keys: HoldKey[]): boolean => {
  const map = holds.get(payload)
  if (!map) {
    return true
  }
  const now = Date.now()
  return keys.every((key) => {
    const until = map.get(key)
    if (until !== undefined && until <= now) {
      map.delete(key)
      return true
    }
    return until === undefined
  })
}
