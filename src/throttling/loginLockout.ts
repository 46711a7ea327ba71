import type { PayloadRequest, Where } from 'payload'

import type { RestAuthSettings, SanitizedRestAuthOptions } from '../types.js'

import { clientAddress } from '../http/forwarded.js'
import { now } from '../utilities/clock.js'
import { throttledError } from './throttledError.js'
import { localApi, pluginDatabase } from '../utilities/localApi.js'

const PRUNE_INTERVAL_MS = 60 * 60 * 1000

type Failure = { failures: number; id: number | string; lockedUntil?: null | string; updatedAt?: string }

type LockoutArgs = { account: string; options: SanitizedRestAuthOptions; req: PayloadRequest; settings: RestAuthSettings }

// Outside the request's transaction on purpose (as Payload's own incrementLoginAttempts): a failed
// login's count must be visible to parallel requests at once, and survive the failed request.
const collectionOf = (options: SanitizedRestAuthOptions) => options.slugs.loginFailures

/**
 * The row that counts an address's failures for names beyond `loginLockoutMaxAccountsPerAddress`
 * (no username or address can be "*"): however many random names an address tries, it owns at
 * most that many rows plus this one.
 */
const WHOLE_ADDRESS = '*'

const whereOf = ({ account, req, settings }: LockoutArgs): Where => ({
  and: [{ account: { equals: account } }, { ip: { equals: clientAddress(req.headers, settings) } }],
})

const find = async (args: LockoutArgs): Promise<Failure | undefined> => {
  const { docs } = await localApi(args.req.payload).find({
    collection: collectionOf(args.options),
    depth: 0,
    limit: 1,
    overrideAccess: true,
    pagination: false,
    where: whereOf(args),
  })
  return docs[0] as Failure | undefined
}

/** The address has failure rows for as many names as it may have. */
const isAddressFull = async ({ options, req, settings }: LockoutArgs): Promise<boolean> => {
  const { totalDocs } = await localApi(req.payload).count({
    collection: collectionOf(options),
    overrideAccess: true,
    where: { and: [{ ip: { equals: clientAddress(req.headers, settings) } }, { account: { not_equals: WHOLE_ADDRESS } }] },
  })
  return totalDocs >= settings.loginLockoutMaxAccountsPerAddress
}

const isForgotten = (row: Failure, settings: RestAuthSettings): boolean =>
  !!row.updatedAt && now() - new Date(row.updatedAt).getTime() > settings.loginLockoutResetSeconds * 1000

const backoffUntil = (failures: number, settings: RestAuthSettings): null | string => {
  const over = failures - settings.loginLockoutThreshold
  if (over < 0) {
    return null
  }
  const seconds = Math.min(settings.loginLockoutMaxSeconds, settings.loginLockoutBaseSeconds * 2 ** Math.min(over, 30))
  return new Date(now() + seconds * 1000).toISOString()
}

/**
 * Failed-login back-off per account and client address: after `loginLockoutThreshold` failures
 * the pair waits `loginLockoutBaseSeconds`, doubling with every further failure up to
 * `loginLockoutMaxSeconds`. Only the failing address waits, so an attacker elsewhere cannot lock a
 * victim out. An address that has failed on `loginLockoutMaxAccountsPerAddress` names counts
 * every further name on one shared row (WHOLE_ADDRESS): spraying names locks that address out of
 * all of them, its own account included. Returns the 429 to throw while locked, or null.
 */
export const lockoutFor = async (args: LockoutArgs): Promise<null | ReturnType<typeof throttledError>> => {
  const { options, req, settings } = args
  if (settings.loginLockoutThreshold <= 0) {
    return null
  }
  // The account's own row, and the address's as a whole (see WHOLE_ADDRESS): one query either way.
  const { docs } = await localApi(req.payload).find<Failure>({
    collection: collectionOf(options),
    depth: 0,
    limit: 2,
    overrideAccess: true,
    pagination: false,
    where: { and: [{ account: { in: [args.account, WHOLE_ADDRESS] } }, { ip: { equals: clientAddress(req.headers, settings) } }] },
  })
  const until = Math.max(0, ...docs.map((row) => (row.lockedUntil ? new Date(row.lockedUntil).getTime() : 0)))
  return until > now() ? throttledError(until - now()) : null
}

/**
 * Counts one failure for the pair (one row per pair, a unique index settles concurrent first
 * failures), or for the address as a whole once it has rows for as many names as it may.
 */
const countFailure = async (named: LockoutArgs): Promise<Failure> => {
  const { options, req, settings } = named
  let args = named
  let existing = await find(args)
  if (!existing && (await isAddressFull(args))) {
    args = { ...named, account: WHOLE_ADDRESS }
    existing = await find(args)
  }
  if (existing && isForgotten(existing, settings)) {
    return (await localApi(req.payload).update({
      collection: collectionOf(options),
      data: { failures: 1, lockedUntil: null },
      id: existing.id,
      overrideAccess: true,
    })) as unknown as Failure
  }
  if (!existing) {
    try {
      return (await localApi(req.payload).create({
        collection: collectionOf(options),
        data: { account: args.account, failures: 1, ip: clientAddress(req.headers, settings) },
        overrideAccess: true,
      })) as unknown as Failure
    } catch {
      // A parallel failure created the row first: count this one on it.
    }
  }
  const row = existing ?? (await find(args))
  if (!row) {
    throw new Error('login failure row vanished')
  }
  // An atomic `failures = failures + 1` in the database; the Local API has no increment.
  return (await pluginDatabase(req.payload).updateOne({
    collection: options.slugs.loginFailures,
    data: { failures: { $inc: 1 }, updatedAt: new Date(now()).toISOString() },
    id: row.id,
  })) as unknown as Failure
}

let lastPrune = 0

/** Rows nobody has failed on for `loginLockoutResetSeconds` are forgotten; deleted at most hourly per process. */
const pruneForgotten = async ({ options, req, settings }: LockoutArgs): Promise<void> => {
  if (now() - lastPrune < PRUNE_INTERVAL_MS) {
    return
  }
  lastPrune = now()
  await localApi(req.payload).delete({
    collection: collectionOf(options),
    overrideAccess: true,
    where: { updatedAt: { less_than: new Date(now() - settings.loginLockoutResetSeconds * 1000).toISOString() } },
  })
}

export const recordLoginFailure = async (args: LockoutArgs): Promise<void> => {
  const { options, req, settings } = args
  if (settings.loginLockoutThreshold <= 0) {
    return
  }
  const row = await countFailure(args)
  const lockedUntil = backoffUntil(row.failures, settings)
  if (lockedUntil) {
    await pluginDatabase(req.payload).updateOne({ collection: options.slugs.loginFailures, data: { lockedUntil }, id: row.id })
  }
  await pruneForgotten(args)
}

export const clearLoginFailures = async (args: LockoutArgs): Promise<void> => {
  if (args.settings.loginLockoutThreshold <= 0) {
    return
  }
  await localApi(args.req.payload).delete({ collection: collectionOf(args.options), overrideAccess: true, where: whereOf(args) })
}

/** Tests: prune again on the next failure. */
export const resetLockoutPruning = (): void => {
  lastPrune = 0
}
