import type { Payload } from 'payload'

import { randomUUID } from 'node:crypto'

import { Redis } from 'ioredis'

import type { SanitizedRestAuthOptions } from '../types.js'

import { clearJwtUserCache, evictJwtUser } from '../jwt/userCache.js'
import { clearSessionStatusCache, evictSessionStatus } from '../sessions/sessionStatus.js'
import { redisFor, redisKeyPrefix, redisUrlOf } from '../throttling/limiters.js'
import { clearTokenCache, evictTokenFromTokenCache, evictUserFromTokenCache } from '../tokens/tokenStore.js'
import { isManagedClusterWorker, listenToOtherWorkers, sendToOtherWorkers } from './clusterChannel.js'
import { holdCaching } from './holds.js'

/*
 * The one way a cache of this plugin is invalidated: the token lookups, the users behind JWTs, the
 * sessions' status (whether an access JWT's login has ended) and the settings global. Always on this instance; with Redis configured (the rate-limit store's
 * `redisUrl` or REDIS_URL), also on every other instance of the site at once, over pub/sub; in
 * startApiServer's cluster mode without Redis, on the other workers, through the primary.
 * Otherwise other instances follow within tokenCacheTtl / settingsCacheTtl, as documented.
 * A message only ever evicts, so whoever can publish to that Redis can cost us cache misses,
 * never make us believe anything.
 */

type Id = number | string

export type CacheInvalidation =
  | { kind: 'session'; publicId: string }
  | { kind: 'settings' }
  | { kind: 'token'; tokenId: Id }
  | { kind: 'user'; userId: Id }

type Handler = { apply: (message: CacheInvalidation) => void; clearAll: () => void; instanceId: string }
type Subscriber = { channels: Map<string, Set<Handler>>; client: Redis }
type Bus = { handler: Handler; publish: (text: string) => Promise<unknown>; stop: () => Promise<void> }

const subscribers = new Map<string, Subscriber>()
const buses = new WeakMap<Payload, Bus>()
const PUBLISH_WARNING_INTERVAL_MS = 60_000
let lastPublishWarning = 0

const applyLocally = (payload: Payload, options: SanitizedRestAuthOptions, message: CacheInvalidation): void => {
  if (message.kind === 'settings') {
    options.settingsStore.invalidate(payload)
  } else if (message.kind === 'session') {
    holdCaching(payload, `session:${message.publicId}`)
    evictSessionStatus(payload, message.publicId)
  } else if (message.kind === 'token') {
    holdCaching(payload, `token:${String(message.tokenId)}`)
    evictTokenFromTokenCache(payload, message.tokenId)
  } else {
    holdCaching(payload, `user:${String(message.userId)}`)
    evictUserFromTokenCache(payload, message.userId)
    evictJwtUser(payload, message.userId)
  }
}

const clearAll = (payload: Payload, options: SanitizedRestAuthOptions): void => {
  clearTokenCache(payload)
  clearJwtUserCache(payload)
  clearSessionStatusCache(payload)
  options.settingsStore.invalidate(payload)
}

const isId = (value: unknown): value is Id => (typeof value === 'string' && value.length <= 200) || typeof value === 'number'

/** A message from the channel, or null when it is not one of ours. */
const parseMessage = (text: string): ({ from: string } & CacheInvalidation) | null => {
  try {
    const value = JSON.parse(text) as Record<string, unknown>
    if (typeof value?.from !== 'string') {
      return null
    }
    if (value.kind === 'settings') {
      return { from: value.from, kind: 'settings' }
    }
    if (value.kind === 'session' && typeof value.publicId === 'string' && value.publicId.length <= 200) {
      return { from: value.from, kind: 'session', publicId: value.publicId }
    }
    if (value.kind === 'token' && isId(value.tokenId)) {
      return { from: value.from, kind: 'token', tokenId: value.tokenId }
    }
    if (value.kind === 'user' && isId(value.userId)) {
      return { from: value.from, kind: 'user', userId: value.userId }
    }
  } catch {
    // Not JSON: someone else's message on our channel.
  }
  return null
}

const PUBLISH_TIMEOUT_MS = 500

/**
 * Evicts what `message` names from this instance's caches and, with Redis, from every other
 * instance's. Resolves once Redis has taken the message (Redis hands it to the subscribers before
 * it answers), so the client's next request, wherever it lands, finds the cache dropped; never
 * rejects and waits at most 500 ms: when Redis is away, the others follow within their TTLs (and
 * clear their caches when their subscription comes back).
 */
export const invalidateCaches = ({
  message,
  options,
  payload,
}: {
  message: CacheInvalidation
  options: SanitizedRestAuthOptions
  payload: Payload
}): Promise<void> => {
  applyLocally(payload, options, message)
  const bus = buses.get(payload)
  if (!bus) {
    return Promise.resolve()
  }
  let timer: NodeJS.Timeout | undefined
  const published = bus.publish(JSON.stringify({ ...message, from: bus.handler.instanceId }))
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${PUBLISH_TIMEOUT_MS} ms`)), PUBLISH_TIMEOUT_MS)
  })
  return Promise.race([published, timeout])
    .then(() => undefined)
    .catch((err: unknown) => {
      const now = Date.now()
      if (now - lastPublishWarning > PUBLISH_WARNING_INTERVAL_MS) {
        lastPublishWarning = now
        payload.logger.warn({
          msg: `payload-rest-auth: could not tell the other instances to drop a cached ${message.kind} (${String((err as Error)?.message ?? err)}); they follow within their cache TTLs.`,
        })
      }
    })
    .finally(() => clearTimeout(timer))
}

/** A message from the channel to one instance: applied unless it sent it. */
const deliver = (handler: Handler, text: string): void => {
  const message = parseMessage(text)
  if (message && message.from !== handler.instanceId) {
    const { from: _from, ...invalidation } = message
    handler.apply(invalidation as CacheInvalidation)
  }
}

const subscriberFor = (url: string): Subscriber => {
  let subscriber = subscribers.get(url)
  if (subscriber) {
    return subscriber
  }
  const client = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: null })
  const channels = new Map<string, Set<Handler>>()
  subscriber = { channels, client }
  let hasBeenReady = false
  client.on('error', () => undefined)
  client.on('ready', () => {
    // Back after a disconnection: messages sent meanwhile are lost, so nothing cached may be trusted.
    if (hasBeenReady) {
      channels.forEach((handlers) => handlers.forEach((handler) => handler.clearAll()))
    }
    hasBeenReady = true
  })
  client.on('message', (channel: string, text: string) => channels.get(channel)?.forEach((handler) => deliver(handler, text)))
  subscribers.set(url, subscriber)
  return subscriber
}

/** Over Redis pub/sub: one subscriber connection per URL in the process, shared by its instances. */
const redisBus = async ({
  channel,
  handler,
  payload,
  timeoutMs,
  url,
}: {
  channel: string
  handler: Handler
  payload: Payload
  timeoutMs: number
  url: string
}): Promise<Bus> => {
  const subscriber = subscriberFor(url)
  const handlers = subscriber.channels.get(channel) ?? new Set()
  handlers.add(handler)
  subscriber.channels.set(channel, handlers)
  const bus: Bus = {
    handler,
    publish: (text) => redisFor(url).publish(channel, text),
    stop: async () => {
      handlers.delete(handler)
      if (handlers.size === 0) {
        subscriber.channels.delete(channel)
        if (subscriber.client.status === 'ready') {
          await subscriber.client.unsubscribe(channel).catch(() => undefined)
        }
      }
      if (subscriber.channels.size === 0 && subscribers.get(url) === subscriber) {
        subscribers.delete(url)
        subscriber.client.disconnect()
      }
    },
  }
  if (handlers.size > 1) {
    return bus
  }
  let timer: NodeJS.Timeout | undefined
  try {
    await Promise.race([
      subscriber.client.subscribe(channel),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`Redis at ${url} did not answer within ${timeoutMs} ms`)), timeoutMs)
      }),
    ])
  } catch (err) {
    payload.logger.warn({
      msg: `payload-rest-auth: cache invalidation across instances is not running yet (${String((err as Error)?.message ?? err)}); other instances' changes reach this one within the cache TTLs until it does.`,
    })
  } finally {
    clearTimeout(timer)
  }
  return bus
}

/** Through the cluster's primary, to the other workers. */
const clusterBus = ({ channel, handler }: { channel: string; handler: Handler }): Bus => {
  const stopListening = listenToOtherWorkers(channel, (text) => deliver(handler, text))
  return {
    handler,
    publish: (text) => sendToOtherWorkers(channel, text),
    stop: async () => stopListening(),
  }
}

/**
 * Subscribes this Payload instance to the site's invalidation channel (onInit). Waits at most
 * `timeoutMs` for Redis: an unreachable Redis must not keep the app from starting; the
 * subscription completes when Redis comes, and the TTLs hold meanwhile.
 */
export const startCacheInvalidation = async ({
  options,
  payload,
  timeoutMs = 5000,
}: {
  options: SanitizedRestAuthOptions
  payload: Payload
  timeoutMs?: number
}): Promise<void> => {
  const url = redisUrlOf(options.rateLimitStore)
  if (buses.has(payload) || (!url && !isManagedClusterWorker())) {
    return
  }
  const channel = `${redisKeyPrefix(options.rateLimitStore, payload)}:invalidate`
  const handler: Handler = {
    apply: (message) => applyLocally(payload, options, message),
    clearAll: () => clearAll(payload, options),
    instanceId: randomUUID(),
  }
  const bus = url ? await redisBus({ channel, handler, payload, timeoutMs, url }) : clusterBus({ channel, handler })
  buses.set(payload, bus)
}

/** Whether this instance hears the other instances' invalidations (a subscription is at least requested). */
export const isCacheInvalidationShared = (payload: Payload): boolean => buses.has(payload)

/** Ends this instance's subscription (shutdown); the Redis connection closes with the last one. */
export const stopCacheInvalidation = async (payload: Payload): Promise<void> => {
  const bus = buses.get(payload)
  buses.delete(payload)
  await bus?.stop()
}
