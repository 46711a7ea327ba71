import type { Payload, PayloadRequest } from 'payload'

import type { RestAuthUser, SanitizedRestAuthOptions } from '../types.js'

import { mayCache } from '../cache/holds.js'
import { touchSession } from '../sessions/sessionStore.js'
import { generateKey, sha256Hex } from '../utilities/crypto.js'
import { now } from '../utilities/clock.js'
import { localApi } from '../utilities/localApi.js'

/** `token`: an opaque API key (Authorization: Token); `session`: the key behind the session cookie. */
export type TokenKind = 'session' | 'token'

type CacheEntry = {
  cachedUntil: number
  expiresAt: null | number
  kind: TokenKind
  lastUsedWrittenAt: number
  /** The public id of the login (auth-sessions row) the token belongs to; none for tokens made before sessions existed. */
  sessionId?: string
  tokenId: number | string
  user: RestAuthUser
}

export type TokenLookup =
  | { status: 'inactive' }
  | { status: 'invalid' }
  | { sessionId?: string; status: 'ok'; tokenId: number | string; user: RestAuthUser }

const MAX_ENTRIES = 10_000
const LAST_USED_WRITE_INTERVAL_MS = 60_000
const caches = new WeakMap<Payload, Map<string, CacheEntry>>()

const cacheFor = (payload: Payload): Map<string, CacheEntry> => {
  let cache = caches.get(payload)
  if (!cache) {
    cache = new Map()
    caches.set(payload, cache)
  }
  return cache
}

const remember = (payload: Payload, digest: string, entry: CacheEntry): void => {
  const cache = cacheFor(payload)
  cache.delete(digest)
  if (cache.size >= MAX_ENTRIES) {
    cache.delete(cache.keys().next().value as string)
  }
  cache.set(digest, entry)
}

const idOf = (value: unknown): number | string | undefined => {
  if (typeof value === 'number' || typeof value === 'string') {
    return value
  }
  if (value && typeof value === 'object' && 'id' in value) {
    return (value as { id: number | string }).id
  }
  return undefined
}

export const createToken = async ({
  kind,
  lifetimeSeconds,
  options,
  req,
  sessionId,
  userId,
}: {
  kind: TokenKind
  lifetimeSeconds: number
  options: SanitizedRestAuthOptions
  req: PayloadRequest
  /** The login's auth-sessions row (its public id). */
  sessionId?: string
  userId: number | string
}): Promise<{ expiresAt: Date | null; key: string }> => {
  const key = generateKey()
  const expiresAt = lifetimeSeconds > 0 ? new Date(now() + lifetimeSeconds * 1000) : null
  await localApi(req.payload).create({
    collection: options.slugs.tokens,
    data: {
      digest: sha256Hex(key),
      expiresAt: expiresAt?.toISOString() ?? null,
      kind,
      lastUsedAt: new Date(now()).toISOString(),
      prefix: key.slice(0, 8),
      session: sessionId ?? null,
      user: userId,
      userAgent: (req.headers.get('user-agent') ?? '').slice(0, 512),
    },
    depth: 0,
    overrideAccess: true,
    req,
  })
  return { expiresAt, key }
}

export const lookupToken = async ({
  key,
  kind,
  options,
  payload,
}: {
  key: string
  kind: TokenKind
  options: SanitizedRestAuthOptions
  payload: Payload
}): Promise<TokenLookup> => {
  const digest = sha256Hex(key)
  // The cache's own lifetime is real time; the token's expiry is the plugin's clock (clock.ts).
  const cacheNow = Date.now()
  const clockNow = now()
  let entry = cacheFor(payload).get(digest)
  if (!entry || entry.cachedUntil <= cacheNow) {
    const { docs } = await localApi(payload).find({
      collection: options.slugs.tokens,
      depth: 0,
      limit: 1,
      overrideAccess: true,
      pagination: false,
      where: { digest: { equals: digest } },
    })
    const token = docs[0] as Record<string, unknown> | undefined
    const userId = idOf(token?.user)
    if (!token || userId === undefined) {
      cacheFor(payload).delete(digest)
      return { status: 'invalid' }
    }
    const user = (await localApi(payload).findByID({
      collection: options.usersCollection,
      depth: 0,
      disableErrors: true,
      id: userId,
      overrideAccess: true,
    })) as null | RestAuthUser
    if (!user) {
      return { status: 'inactive' }
    }
    entry = {
      cachedUntil: cacheNow + options.tokenCacheTtl,
      expiresAt: token.expiresAt ? new Date(token.expiresAt as string).getTime() : null,
      kind: token.kind as TokenKind,
      lastUsedWrittenAt: entry?.lastUsedWrittenAt ?? 0,
      sessionId: typeof token.session === 'string' && token.session ? token.session : undefined,
      tokenId: token.id as number | string,
      user,
    }
    if (mayCache(payload, `user:${String(user.id)}`, `token:${String(entry.tokenId)}`)) {
      remember(payload, digest, entry)
    }
  }
  if (entry.kind !== kind || (entry.expiresAt !== null && entry.expiresAt <= clockNow)) {
    return { status: 'invalid' }
  }
  if (entry.user.is_active === false) {
    return { status: 'inactive' }
  }
  if (cacheNow - entry.lastUsedWrittenAt > LAST_USED_WRITE_INTERVAL_MS) {
    entry.lastUsedWrittenAt = cacheNow
    const { tokenId } = entry
    // Bookkeeping only: it must never delay or fail the request it describes.
    void localApi(payload)
      .update({
        collection: options.slugs.tokens,
        data: { lastUsedAt: new Date(clockNow).toISOString() },
        depth: 0,
        id: tokenId,
        overrideAccess: true,
      })
      .catch(() => undefined)
    if (entry.sessionId) {
      touchSession({ options, payload, publicId: entry.sessionId })
    }
  }
  return { sessionId: entry.sessionId, status: 'ok', tokenId: entry.tokenId, user: entry.user }
}

/** Deletes one token by its key. Returns whether it existed. */
export const revokeTokenKey = async ({
  key,
  options,
  req,
}: {
  key: string
  options: SanitizedRestAuthOptions
  req: PayloadRequest
}): Promise<boolean> => {
  const digest = sha256Hex(key)
  cacheFor(req.payload).delete(digest)
  const { docs } = await localApi(req.payload).delete({
    collection: options.slugs.tokens,
    depth: 0,
    overrideAccess: true,
    req,
    where: { digest: { equals: digest } },
  })
  return docs.length > 0
}

/** Deletes a user's tokens and/or sessions, optionally sparing one. */
export const revokeUserTokens = async ({
  exceptTokenId,
  kind,
  options,
  req,
  userId,
}: {
  exceptTokenId?: number | string
  kind?: TokenKind
  options: SanitizedRestAuthOptions
  req: PayloadRequest
  userId: number | string
}): Promise<void> => {
  evictUserFromTokenCache(req.payload, userId)
  await localApi(req.payload).delete({
    collection: options.slugs.tokens,
    depth: 0,
    overrideAccess: true,
    req,
    where: {
      and: [
        { user: { equals: userId } },
        ...(kind ? [{ kind: { equals: kind } }] : []),
        ...(exceptTokenId !== undefined ? [{ id: { not_equals: exceptTokenId } }] : []),
      ],
    },
  })
}

/** Forget cached lookups for a user, after the user or their tokens changed. */
export const evictUserFromTokenCache = (payload: Payload, userId: number | string): void => {
  const cache = cacheFor(payload)
  for (const [digest, entry] of cache) {
    if (String(entry.user.id) === String(userId)) {
      cache.delete(digest)
    }
  }
}

/**
 * Forget the cached lookup of one token row. By its id, since a row deleted through Payload's own
 * routes comes to the hooks without its digest (only admins may read it).
 */
export const evictTokenFromTokenCache = (payload: Payload, tokenId: number | string): void => {
  const cache = cacheFor(payload)
  for (const [digest, entry] of cache) {
    if (String(entry.tokenId) === String(tokenId)) {
      cache.delete(digest)
    }
  }
}

/** Forget every cached lookup of this instance (invalidations may have been missed: Redis was away). */
export const clearTokenCache = (payload: Payload): void => {
  cacheFor(payload).clear()
}
