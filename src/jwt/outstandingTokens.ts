import type { Payload, PayloadRequest, Where } from 'payload'

import { createHmac } from 'node:crypto'

import type { BlacklistReason } from '../collections/OutstandingTokens/index.js'
import type { SanitizedRestAuthOptions } from '../types.js'

import { now } from '../utilities/clock.js'
import { localApi } from '../utilities/localApi.js'

/** One row of the outstanding-tokens collection, as the plugin reads it. */
export type OutstandingToken = {
  blacklistedAt?: null | string
  blacklistReason?: BlacklistReason | null
  expiresAt: string
  family: string
  id: number | string
  jti: string
  session?: null | string
  user: number | string | { id: number | string }
}

export const outstandingUserId = (row: OutstandingToken): number | string =>
  typeof row.user === 'object' && row.user !== null ? row.user.id : row.user

const slug = (options: SanitizedRestAuthOptions) => options.slugs.outstandingTokens

/**
 * The jti of the token a refresh token is rotated into, derived from its own (a keyed hash shaped
 * like simplejwt's uuid4 hex). Every refresh of one token names the same successor, so the unique
 * index on jti lets exactly one of many parallel refreshes record it — a compare-and-set that needs
 * no lock — and a repeat can be answered with that same successor.
 */
export const successorJti = (payload: Pick<Payload, 'secret'>, jti: string): string => {
  const bytes = createHmac('sha256', payload.secret).update(`payload-rest-auth/refresh-successor/${jti}`).digest().subarray(0, 16)
  bytes[6] = (bytes[6]! & 0x0f) | 0x40
  bytes[8] = (bytes[8]! & 0x3f) | 0x80
  return bytes.toString('hex')
}

/** OutstandingToken.objects.create: records a refresh token by its jti, never the token. */
export const recordRefreshToken = async ({
  expiresAt,
  family,
  jti,
  options,
  req,
  sessionId,
  userId,
}: {
  expiresAt: number
  family: string
  jti: string
  options: SanitizedRestAuthOptions
  req: PayloadRequest
  /** The login's auth-sessions row (its public id); every token of a family shares it. */
  sessionId?: null | string
  userId: number | string
}): Promise<void> => {
  await localApi(req.payload).create({
    collection: slug(options),
    data: {
      expiresAt: new Date(expiresAt * 1000).toISOString(),
      family,
      jti,
      session: sessionId ?? null,
      user: userId,
      userAgent: (req.headers.get('user-agent') ?? '').slice(0, 512),
    },
    depth: 0,
    overrideAccess: true,
    req,
  })
}

export const findOutstandingToken = async ({
  jti,
  options,
  req,
}: {
  jti: string
  options: SanitizedRestAuthOptions
  req: PayloadRequest
}): Promise<null | OutstandingToken> => {
  const { docs } = await localApi(req.payload).find({
    collection: slug(options),
    depth: 0,
    limit: 1,
    overrideAccess: true,
    pagination: false,
    req,
    where: { jti: { equals: jti } },
  })
  return (docs[0] as OutstandingToken | undefined) ?? null
}

const blacklistWhere = async ({
  options,
  reason,
  req,
  where,
}: {
  options: SanitizedRestAuthOptions
  reason: BlacklistReason
  req: PayloadRequest
  where: Where[]
}): Promise<number> => {
  const { docs } = await localApi(req.payload).update({
    collection: slug(options),
    data: { blacklistedAt: new Date(now()).toISOString(), blacklistReason: reason },
    depth: 0,
    overrideAccess: true,
    req,
    where: { and: [...where, { blacklistedAt: { exists: false } }] },
  })
  return docs.length
}

/** Blacklists one refresh token unless it already is. Returns whether this call blacklisted it. */
export const blacklistToken = async (args: {
  jti: string
  options: SanitizedRestAuthOptions
  reason: BlacklistReason
  req: PayloadRequest
}): Promise<boolean> =>
  (await blacklistWhere({ ...args, where: [{ jti: { equals: args.jti } }] })) > 0

/** Blacklists every refresh token descended from one login. */
export const blacklistFamily = (args: {
  family: string
  options: SanitizedRestAuthOptions
  reason: BlacklistReason
  req: PayloadRequest
}): Promise<number> => blacklistWhere({ ...args, where: [{ family: { equals: args.family } }] })

/**
 * Blacklists every refresh token of a user that has not expired yet: their JWT logins end when their
 * access tokens expire. Call it after a password change or reset. Returns how many were revoked.
 */
export const revokeUserRefreshTokens = ({
  options,
  reason = 'password_change',
  req,
  userId,
}: {
  options: SanitizedRestAuthOptions
  reason?: BlacklistReason
  req: PayloadRequest
  userId: number | string
}): Promise<number> =>
  blacklistWhere({
    options,
    reason,
    req,
    where: [{ user: { equals: userId } }, { expiresAt: { greater_than: new Date(now()).toISOString() } }],
  })

/** flushexpiredtokens for one user: rows of expired tokens are of no further use. */
export const pruneExpiredTokens = async ({
  options,
  req,
  userId,
}: {
  options: SanitizedRestAuthOptions
  req: PayloadRequest
  userId: number | string
}): Promise<void> => {
  await localApi(req.payload).delete({
    collection: slug(options),
    depth: 0,
    overrideAccess: true,
    req,
    where: { and: [{ user: { equals: userId } }, { expiresAt: { less_than: new Date(now()).toISOString() } }] },
  })
}

export const deleteUserOutstandingTokens = async ({
  options,
  payload,
  req,
  userId,
}: {
  options: SanitizedRestAuthOptions
  payload: Payload
  req?: PayloadRequest
  userId: number | string
}): Promise<void> => {
  await localApi(payload).delete({
    collection: slug(options),
    depth: 0,
    overrideAccess: true,
    req,
    where: { user: { equals: userId } },
  })
}
