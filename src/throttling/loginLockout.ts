import type { PayloadRequest } from 'payload'

import type { RestAuthSettings, SanitizedRestAuthOptions } from '../types.js'

import { now } from '../utilities/clock.js'
import { clientIp } from './clientIp.js'
import { throttledError } from './throttledError.js'

const MAX_BACKOFF_SECONDS = 3600

type Failure = { failures: number; id: number | string; lockedUntil?: null | string }

type LockoutArgs = { account: string; options: SanitizedRestAuthOptions; req: PayloadRequest; settings: RestAuthSettings }

const find = async ({ account, options, req, settings }: LockoutArgs): Promise<Failure | undefined> => {
  const { docs } = await req.payload.find({
    collection: options.slugs.loginFailures as never,
    depth: 0,
    limit: 1,
    overrideAccess: true,
    pagination: false,
    where: { and: [{ account: { equals: account } }, { ip: { equals: clientIp(req.headers, settings) } }] },
  })
  return docs[0] as Failure | undefined
}

/**
 * Failed-login back-off per account and client address: after `loginLockoutThreshold` failures
 * the pair waits `loginLockoutBaseSeconds`, doubling with every further failure up to an hour.
 * Other addresses are never locked out by it, so an attacker cannot lock a victim out.
 * Returns the 429 to throw while locked, or null.
 */
export const lockoutFor = async (args: LockoutArgs): Promise<ReturnType<typeof throttledError> | null> => {
  if (args.settings.loginLockoutThreshold <= 0) {
    return null
  }
  const row = await find(args)
  const until = row?.lockedUntil ? new Date(row.lockedUntil).getTime() : 0
  return until > now() ? throttledError(until - now()) : null
}

export const recordLoginFailure = async (args: LockoutArgs): Promise<void> => {
  const { options, req, settings } = args
  if (settings.loginLockoutThreshold <= 0) {
    return
  }
  const row = await find(args)
  const failures = (row?.failures ?? 0) + 1
  const over = failures - settings.loginLockoutThreshold
  const lockedUntil =
    over >= 0
      ? new Date(now() + Math.min(MAX_BACKOFF_SECONDS, settings.loginLockoutBaseSeconds * 2 ** Math.min(over, 20)) * 1000).toISOString()
      : null
  const data = { failures, lockedUntil }
  if (row) {
    await req.payload.update({ collection: options.slugs.loginFailures as never, data: data as never, id: row.id, overrideAccess: true })
  } else {
    await req.payload.create({
      collection: options.slugs.loginFailures as never,
      data: { ...data, account: args.account, ip: clientIp(req.headers, settings) } as never,
      overrideAccess: true,
    })
  }
}

export const clearLoginFailures = async (args: LockoutArgs): Promise<void> => {
  if (args.settings.loginLockoutThreshold <= 0) {
    return
  }
  await args.req.payload.delete({
    collection: args.options.slugs.loginFailures as never,
    overrideAccess: true,
    where: { and: [{ account: { equals: args.account } }, { ip: { equals: clientIp(args.req.headers, args.settings) } }] },
  })
}
