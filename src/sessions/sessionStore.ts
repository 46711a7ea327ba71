import type { Payload, PayloadRequest, Where } from 'payload'

import type { SessionKind } from '../collections/AuthSessions/index.js'
import type { RestAuthSettings, SanitizedRestAuthOptions } from '../types.js'
import type { AuthMethod, AuthSessionRow, RecordedAuthMethod } from './types.js'

import { clientAddress } from '../http/forwarded.js'
import { now } from '../utilities/clock.js'
import { randomString } from '../utilities/crypto.js'
import { localApi, pluginDatabase } from '../utilities/localApi.js'
import { deviceLabel } from './deviceLabel.js'
import { recordedAddress } from './recordedAddress.js'

const USER_AGENT_MAX = 512

/** 128 random bits, URL-safe: what clients see of a session (never a database id or a key). */
export const newSessionId = (): string => randomString(16)

const iso = (ms: number): string => new Date(ms).toISOString()

/** When the longest-lived credential of a login ends; null when one never does (a token without `tokenLifetime`). */
export const sessionExpiry = (kinds: SessionKind[], settings: RestAuthSettings, atMs: number): null | string => {
  const lifetimes = kinds.map((kind) => {
    if (kind === 'session') {
      return settings.sessionCookieAge
    }
    if (kind === 'jwt') {
      return settings.refreshTokenLifetime
    }
    return settings.tokenLifetime > 0 ? settings.tokenLifetime : null
  })
  if (lifetimes.length === 0 || lifetimes.includes(null)) {
    return null
  }
  return iso(atMs + Math.max(...(lifetimes as number[])) * 1000)
}

export const stampMethods = (methods: AuthMethod[], atMs: number): RecordedAuthMethod[] =>
  methods.map((method) => ({ ...method, at: iso(atMs) }))

/** Ended and expired sessions stay listed to staff this long, then go. */
const KEEP_CLOSED_MS = 30 * 86400_000

/** A user's sessions that ended or expired more than 30 days ago: of no further use. */
const pruneClosedSessions = async ({ options, req, userId }: { options: SanitizedRestAuthOptions; req: PayloadRequest; userId: number | string }) => {
  const before = iso(now() - KEEP_CLOSED_MS)
  await localApi(req.payload).delete({
    collection: options.slugs.sessions,
    depth: 0,
    overrideAccess: true,
    req,
    where: { and: [{ user: { equals: userId } }, { or: [{ endedAt: { less_than: before } }, { expiresAt: { less_than: before } }] }] },
  })
}

/**
 * Records a completed login; its credentials are created next, pointing at the returned public id.
 * The user's sessions closed for more than 30 days go on the way, as simplejwt's rows do at login.
 */
export const createAuthSession = async ({
  kinds,
  methods,
  options,
  req,
  settings,
  userId,
}: {
  kinds: SessionKind[]
  methods: AuthMethod[]
  options: SanitizedRestAuthOptions
  req: PayloadRequest
  settings: RestAuthSettings
  userId: number | string
}): Promise<string> => {
  await pruneClosedSessions({ options, req, userId })
  const publicId = newSessionId()
  const atMs = now()
  const userAgent = (req.headers.get('user-agent') ?? '').slice(0, USER_AGENT_MAX)
  await localApi(req.payload).create({
    collection: options.slugs.sessions,
    data: {
      authenticatedAt: iso(atMs),
      device: deviceLabel(userAgent),
      expiresAt: sessionExpiry(kinds, settings, atMs),
      ipAddress: recordedAddress(clientAddress(req.headers, settings), settings.sessionClientAddress),
      kinds,
      lastSeenAt: iso(atMs),
      methods: stampMethods(methods, atMs),
      publicId,
      user: userId,
      userAgent,
    },
    depth: 0,
    overrideAccess: true,
    req,
  })
  return publicId
}

export const findSession = async ({
  options,
  payload,
  publicId,
  req,
}: {
  options: SanitizedRestAuthOptions
  payload: Payload
  publicId: string
  req?: PayloadRequest
}): Promise<AuthSessionRow | null> => {
  const { docs } = await localApi(payload).find<AuthSessionRow>({
    collection: options.slugs.sessions,
    depth: 0,
    limit: 1,
    overrideAccess: true,
    pagination: false,
    req,
    where: { publicId: { equals: publicId } },
  })
  return docs[0] ?? null
}

/** Live: not ended and not expired. */
export const isSessionRowLive = (row: Pick<AuthSessionRow, 'endedAt' | 'expiresAt'>, atMs = now()): boolean =>
  !row.endedAt && (!row.expiresAt || new Date(row.expiresAt).getTime() > atMs)

/**
 * Changes columns of a session that has not ended, in one statement that writes only them: the
 * Local API's update writes the whole row it read, which would undo an end that happened meanwhile.
 * False when the session has ended (or is gone).
 */
export const updateOpenSession = async ({
  data,
  options,
  payload,
  req,
  where,
}: {
  data: Record<string, unknown>
  options: SanitizedRestAuthOptions
  payload: Payload
  req?: PayloadRequest
  where: Where
}): Promise<boolean> => {
  const row = await pluginDatabase(payload).updateOne({
    collection: options.slugs.sessions,
    data,
    options: { atomic: true },
    req,
    where: { and: [where, { endedAt: { exists: false } }] },
  })
  return row !== null
}

const SEEN_WRITE_INTERVAL_MS = 60_000
const lastSeenWrites = new WeakMap<Payload, Map<string, number>>()

const isDue = (payload: Payload, publicId: string, nowMs: number): boolean => {
  let writes = lastSeenWrites.get(payload)
  if (!writes) {
    writes = new Map()
    lastSeenWrites.set(payload, writes)
  }
  if (nowMs - (writes.get(publicId) ?? 0) < SEEN_WRITE_INTERVAL_MS) {
    return false
  }
  writes.delete(publicId)
  if (writes.size >= 10_000) {
    writes.delete(writes.keys().next().value as string)
  }
  writes.set(publicId, nowMs)
  return true
}

const writeSeen = async ({
  extendTo,
  nowMs,
  options,
  payload,
  publicId,
}: {
  extendTo?: number
  nowMs: number
  options: SanitizedRestAuthOptions
  payload: Payload
  publicId: string
}): Promise<void> => {
  const data: Record<string, unknown> = { lastSeenAt: iso(nowMs) }
  if (extendTo !== undefined) {
    const row = await findSession({ options, payload, publicId })
    const current = row?.expiresAt ? new Date(row.expiresAt).getTime() : null
    if (row && current !== null && current < extendTo) {
      data.expiresAt = iso(extendTo)
    }
  }
  await updateOpenSession({ data, options, payload, where: { publicId: { equals: publicId } } })
}

/**
 * Notes that a session was used: at most once a minute per session and process, off the request's
 * path (bookkeeping must never delay or fail the request it describes). A rotated refresh token
 * (`extendTo`, its expiry) carries the session's expiry along with it, every time.
 */
export const touchSession = (args: {
  extendTo?: number
  options: SanitizedRestAuthOptions
  payload: Payload
  publicId: string
}): void => {
  const nowMs = now()
  if (args.extendTo === undefined && !isDue(args.payload, args.publicId, nowMs)) {
    return
  }
  void writeSeen({ ...args, nowMs }).catch(() => undefined)
}
