import type { Payload } from 'payload'
import type { RateLimiterAbstract } from 'rate-limiter-flexible'

import { Redis } from 'ioredis'
import { RateLimiterCluster, RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible'

import type { Rate } from './parseRate.js'

import { isManagedClusterWorker } from '../cache/clusterChannel.js'
import { sha256Hex } from '../utilities/crypto.js'

export type RateLimitStore = {
  /** Shared counters for several app instances; default: process.env.REDIS_URL, else memory. */
  redisUrl?: string
  /** Prefix of the Redis keys. */
  keyPrefix?: string
}

const redisClients = new Map<string, Redis>()
const limiters = new WeakMap<Payload, Map<string, RateLimiterAbstract>>()

/** The process's command connection to the Redis at `url` (shared by the limiters and the cache invalidation). */
export const redisFor = (url: string): Redis => {
  let client = redisClients.get(url)
  if (!client) {
    // Fail fast: when Redis is away the in-memory insurance limiter takes over.
    client = new Redis(url, { enableOfflineQueue: false, lazyConnect: false, maxRetriesPerRequest: 1 })
    client.on('error', () => undefined)
    redisClients.set(url, client)
  }
  return client
}

/** The Redis the deployment shares (rate limits, cache invalidation): the store's URL, else REDIS_URL. */
export const redisUrlOf = (store: RateLimitStore): string | undefined => store.redisUrl ?? process.env.REDIS_URL

/** The prefix of everything this site keeps in a shared Redis: sites sharing one keep apart (derived from the Payload secret). */
export const redisKeyPrefix = (store: RateLimitStore, payload: Payload): string =>
  store.keyPrefix ?? `rest-auth:${sha256Hex(payload.secret).slice(0, 12)}`

/**
 * One limiter per (instance, name, rate); a changed rate gets a fresh one. Counters live in Redis
 * when there is one; else, in a worker of startApiServer's cluster mode, in the primary (the
 * workers share them over IPC, so a limit holds for the whole server, not per worker); else in
 * this process's memory.
 */
export const limiterFor = ({
  name,
  payload,
  rate,
  store,
}: {
  name: string
  payload: Payload
  rate: Rate
  store: RateLimitStore
}): RateLimiterAbstract => {
  let byName = limiters.get(payload)
  if (!byName) {
    byName = new Map()
    limiters.set(payload, byName)
  }
  const id = `${name}:${rate.points}/${rate.durationSeconds}`
  let limiter = byName.get(id)
  if (!limiter) {
    const base = { duration: rate.durationSeconds, points: rate.points }
    const redisUrl = redisUrlOf(store)
    limiter = redisUrl
      ? new RateLimiterRedis({
          ...base,
          insuranceLimiter: new RateLimiterMemory(base),
          keyPrefix: `${redisKeyPrefix(store, payload)}:${id}`,
          storeClient: redisFor(redisUrl),
        })
      : isManagedClusterWorker()
        ? new RateLimiterCluster({ ...base, keyPrefix: `${redisKeyPrefix(store, payload)}:${id}`, timeoutMs: 2000 })
        : new RateLimiterMemory({ ...base, keyPrefix: id })
    byName.set(id, limiter)
  }
  return limiter
}

/** Resolves once the Redis store (if any) is connected; until then the in-memory insurance counts. */
export const rateLimitStoreReady = async (store: RateLimitStore, timeoutMs = 5000): Promise<void> => {
  const url = redisUrlOf(store)
  if (!url) {
    return
  }
  const client = redisFor(url)
  if (client.status === 'ready') {
    return
  }
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Redis at ${url} not ready within ${timeoutMs} ms`)), timeoutMs)
    client.once('ready', () => {
      clearTimeout(timer)
      resolve()
    })
  })
}

export const closeRateLimitStores = async (): Promise<void> => {
  for (const client of redisClients.values()) {
    client.disconnect()
  }
  redisClients.clear()
}
