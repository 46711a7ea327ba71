import type { Payload, PayloadRequest, Where } from 'payload'

import { createHmac } from 'node:crypto'

import type { SanitizedRestAuthOptions } from '../types.js'

import { now } from '../utilities/clock.js'
import { randomString, safeEqual, sha256Hex } from '../utilities/crypto.js'
import { localApi, pluginDatabase } from '../utilities/localApi.js'

/*
 * Authentication flows in progress (see src/collections/AuthFlows): the client holds a random flow
 * token, the row its SHA-256 digest. A secret the flow waits for (a mailed code) is stored as an
 * HMAC keyed from the Payload secret over the token's digest and the secret, so it is bound to its
 * flow: the code of one flow never completes another. Every change of state is one atomic
 * statement: an attempt is taken (`$inc` where attempts are left) before anything is checked, and
 * consuming is a compare-and-set that exactly one of any number of concurrent callers wins.
 */

type Id = number | string

export type Flow = {
  attempts: number
  consumedAt?: null | string
  data: Record<string, unknown>
  email?: null | string
  expiresAt: string
  id: Id
  kind: string
  maxAttempts: number
  /** How often its secret was replaced (renewSecret). */
  renewals?: null | number
  /** The user the flow is for, when it is for one. */
  user?: Id | null
}

type StoredFlow = { secretDigest?: null | string; tokenDigest: string } & Flow

export type FlowLookup =
  | { flow: Flow; status: 'ok' }
  /** Expired, or out of attempts: the client must start again. */
  | { flow: Flow; status: 'exhausted' | 'expired' }
  /** No such flow of this kind, or already used. */
  | { status: 'consumed' | 'unknown' }

type StoreArgs = { options: SanitizedRestAuthOptions; req: PayloadRequest }

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/

const secretKeys = new WeakMap<Payload, Buffer>()

const secretDigest = (payload: Payload, tokenDigest: string, secret: string): string => {
  let key = secretKeys.get(payload)
  if (!key) {
    key = createHmac('sha256', payload.secret).update('payload-rest-auth/flow-secret/v1').digest()
    secretKeys.set(payload, key)
  }
  return createHmac('sha256', key).update(`${tokenDigest}:${secret}`).digest('hex')
}

const toFlow = (row: StoredFlow): Flow => {
  const { secretDigest: _secret, tokenDigest: _token, ...flow } = row
  const user = flow.user as unknown
  return {
    ...flow,
    data: (flow.data as Record<string, unknown> | null) ?? {},
    user: user && typeof user === 'object' ? (user as { id: Id }).id : (user as Id | null | undefined),
  }
}

const isoAfter = (seconds: number): string => new Date(now() + seconds * 1000).toISOString()

/** Opens a flow; the token goes to the client and is never stored. */
export const startFlow = async ({
  data = {},
  email,
  kind,
  maxAttempts,
  options,
  req,
  secret,
  ttlSeconds,
  userId,
}: {
  data?: Record<string, unknown>
  email?: string
  kind: string
  /** Wrong secrets allowed before the flow dies. */
  maxAttempts: number
  /** What the client must present to complete the flow (a mailed code), kept only as a keyed digest. */
  secret?: string
  ttlSeconds: number
  userId?: Id
} & StoreArgs): Promise<{ flow: Flow; token: string }> => {
  await pruneFlows({ options, req })
  const token = randomString(32)
  const tokenDigest = sha256Hex(token)
  const row = await localApi(req.payload).create<StoredFlow>({
    collection: options.slugs.flows,
    data: {
      attempts: 0,
      data,
      email: email ?? null,
      expiresAt: isoAfter(ttlSeconds),
      kind,
      maxAttempts,
      secretDigest: secret === undefined ? null : secretDigest(req.payload, tokenDigest, secret),
      tokenDigest,
      user: userId ?? null,
    },
    depth: 0,
    overrideAccess: true,
    req,
  })
  return { flow: toFlow(row), token }
}

const findStored = async ({ kind, options, req, token }: { kind: string; token: string } & StoreArgs): Promise<null | StoredFlow> => {
  if (!TOKEN_SHAPE.test(token)) {
    return null
  }
  const { docs } = await localApi(req.payload).find<StoredFlow>({
    collection: options.slugs.flows,
    depth: 0,
    limit: 1,
    overrideAccess: true,
    pagination: false,
    req,
    showHiddenFields: true,
    where: { and: [{ tokenDigest: { equals: sha256Hex(token) } }, { kind: { equals: kind } }] },
  })
  return docs[0] ?? null
}

const statusOf = (row: StoredFlow): FlowLookup => {
  if (row.consumedAt) {
    return { status: 'consumed' }
  }
  if (Date.parse(row.expiresAt) <= now()) {
    return { flow: toFlow(row), status: 'expired' }
  }
  if (row.attempts >= row.maxAttempts) {
    return { flow: toFlow(row), status: 'exhausted' }
  }
  return { flow: toFlow(row), status: 'ok' }
}

/** The flow a client's token names, with whether it can still be completed. */
export const findFlow = async (args: { kind: string; token: string } & StoreArgs): Promise<FlowLookup> => {
  const row = await findStored(args)
  return row ? statusOf(row) : { status: 'unknown' }
}

/** The row of `flow` while nobody consumed it and it has not expired. */
const openWhere = (flow: Flow): Where[] => [
  { id: { equals: flow.id } },
  { consumedAt: { exists: false } },
  { expiresAt: { greater_than: new Date(now()).toISOString() } },
]

/**
 * Takes one attempt of an open flow before its secret (or a TOTP code, a passkey assertion) is
 * checked: `attempts = attempts + 1` where the flow is open and has attempts left, in one statement.
 * So however many guesses arrive at once, at most `maxAttempts` are ever checked. `row` is null
 * when the flow is unknown, used, expired or out of attempts; the lookup then says which.
 */
export const reserveAttempt = async ({
  kind,
  options,
  req,
  token,
}: { kind: string; token: string } & StoreArgs): Promise<{ lookup: FlowLookup; row: null | StoredFlow }> => {
  const row = await findStored({ kind, options, req, token })
  if (!row) {
    return { lookup: { status: 'unknown' }, row: null }
  }
  const lookup = statusOf(row)
  if (lookup.status !== 'ok') {
    return { lookup, row: null }
  }
  const reserved = (await pluginDatabase(req.payload).updateOne({
    collection: options.slugs.flows,
    data: { attempts: { $inc: 1 } },
    options: { atomic: true },
    req,
    returning: true,
    where: { and: [...openWhere(lookup.flow), { attempts: { less_than: row.maxAttempts } }] },
  })) as null | StoredFlow
  if (!reserved) {
    const again = await findStored({ kind, options, req, token })
    return { lookup: again ? statusOf(again) : { status: 'unknown' }, row: null }
  }
  return {
    lookup: { flow: toFlow(reserved), status: 'ok' },
    row: { ...reserved, secretDigest: row.secretDigest, tokenDigest: row.tokenDigest },
  }
}

/**
 * Whether `secret` is the one the flow waits for, at the cost of one attempt (see reserveAttempt).
 * A match does not consume the flow: the caller consumes it when it completes.
 */
export const checkFlowSecret = async ({
  kind,
  options,
  req,
  secret,
  token,
}: { kind: string; secret: string; token: string } & StoreArgs): Promise<{ isMatch: boolean; lookup: FlowLookup }> => {
  const { lookup, row } = await reserveAttempt({ kind, options, req, token })
  if (!row || lookup.status !== 'ok') {
    return { isMatch: false, lookup }
  }
  const isMatch = Boolean(row.secretDigest) && safeEqual(secretDigest(req.payload, row.tokenDigest, secret), row.secretDigest!)
  if (!isMatch && row.attempts >= row.maxAttempts) {
    return { isMatch, lookup: { flow: lookup.flow, status: 'exhausted' } }
  }
  return { isMatch, lookup }
}

/**
 * Marks the flow used, if nobody did first: one `UPDATE … WHERE consumedAt IS NULL AND …` (see
 * pluginDatabase). True for exactly one caller; false when the flow was consumed, expired or ran out
 * of attempts meanwhile.
 */
export const consumeFlow = async ({ flow, options, req }: { flow: Flow } & StoreArgs): Promise<boolean> => {
  const row = await pluginDatabase(req.payload).updateOne({
    collection: options.slugs.flows,
    data: { consumedAt: new Date(now()).toISOString() },
    options: { atomic: true },
    req,
    returning: true,
    // The attempt that completes the flow has been counted (reserveAttempt).
    where: { and: [...openWhere(flow), { attempts: { less_than_equal: flow.maxAttempts } }] },
  })
  return row !== null
}

/**
 * Changes an open flow (a resent code replaces the old one, a passkey ceremony stores its
 * challenge): the old secret stops matching at once. False when the flow is no longer open.
 */
export const updateFlow = async ({
  data,
  flow,
  options,
  req,
  secret,
  token,
  ttlSeconds,
}: {
  data?: Record<string, unknown>
  flow: Flow
  secret?: string
  /** Needed with `secret`: the new secret is bound to the flow's token. */
  token?: string
  ttlSeconds?: number
} & StoreArgs): Promise<Flow | null> => {
  const changes: Record<string, unknown> = {}
  if (data !== undefined) {
    changes.data = data
  }
  if (secret !== undefined) {
    if (token === undefined) {
      throw new Error('updateFlow: a new secret needs the flow token')
    }
    changes.secretDigest = secretDigest(req.payload, sha256Hex(token), secret)
  }
  if (ttlSeconds !== undefined) {
    changes.expiresAt = isoAfter(ttlSeconds)
  }
  const row = await pluginDatabase(req.payload).updateOne({
    collection: options.slugs.flows,
    data: changes,
    options: { atomic: true },
    req,
    returning: true,
    where: { and: [...openWhere(flow), { attempts: { less_than: flow.maxAttempts } }] },
  })
  return row ? toFlow(row as unknown as StoredFlow) : null
}

/**
 * A new secret and expiry for an open flow (a resent code), at most `maxRenewals` times: one
 * statement that counts the renewal where fewer were made, so parallel resends cannot exceed it.
 * The old secret stops matching at once; attempts already spent stay spent. Null when the flow is
 * no longer open or had its renewals.
 */
export const renewSecret = async ({
  flow,
  maxRenewals,
  options,
  req,
  secret,
  token,
  ttlSeconds,
}: { flow: Flow; maxRenewals: number; secret: string; token: string; ttlSeconds: number } & StoreArgs): Promise<Flow | null> => {
  const row = await pluginDatabase(req.payload).updateOne({
    collection: options.slugs.flows,
    data: { expiresAt: isoAfter(ttlSeconds), renewals: { $inc: 1 }, secretDigest: secretDigest(req.payload, sha256Hex(token), secret) },
    options: { atomic: true },
    req,
    returning: true,
    where: {
      and: [
        ...openWhere(flow),
        { attempts: { less_than: flow.maxAttempts } },
        { or: [{ renewals: { less_than: maxRenewals } }, { renewals: { exists: false } }] },
      ],
    },
  })
  return row ? toFlow(row as unknown as StoredFlow) : null
}

const PRUNE_INTERVAL_MS = 60 * 60_000
const KEEP_AFTER_EXPIRY_MS = 24 * 60 * 60_000
const lastPrune = new WeakMap<Payload, number>()

/** Flows a day past their expiry are deleted, at most hourly per process. */
export const pruneFlows = async ({ options, req }: StoreArgs): Promise<void> => {
  const at = now()
  if (at - (lastPrune.get(req.payload) ?? 0) < PRUNE_INTERVAL_MS) {
    return
  }
  lastPrune.set(req.payload, at)
  await localApi(req.payload).delete({
    collection: options.slugs.flows,
    overrideAccess: true,
    req,
    where: { expiresAt: { less_than: new Date(at - KEEP_AFTER_EXPIRY_MS).toISOString() } },
  })
}
