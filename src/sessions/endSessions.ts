import type { PayloadRequest } from 'payload'

import type { BlacklistReason } from '../collections/OutstandingTokens/index.js'
import type { SessionEndReason } from '../collections/AuthSessions/index.js'
import type { SanitizedRestAuthOptions } from '../types.js'
import type { AuthSessionRow } from './types.js'

import { invalidateCaches } from '../cache/invalidation.js'
import { recordAuthEvent } from '../events/recordEvent.js'
import { now } from '../utilities/clock.js'
import { localApi, pluginDatabase } from '../utilities/localApi.js'
import { sessionUserId } from './types.js'

const blacklistReasonOf: Record<SessionEndReason, BlacklistReason> = {
  admin: 'admin',
  deactivated: 'admin',
  logout: 'logout',
  max_sessions: 'session_ended',
  password_change: 'password_change',
  reuse: 'reuse',
  revoked: 'session_ended',
  revoked_others: 'session_ended',
}

/**
 * Everything that hangs on a session stops: its API token and cookie session are deleted (their
 * rows' hooks invalidate the token caches), its JWT refresh family is blacklisted, and every
 * instance forgets that it was live.
 */
export const revokeSessionCredentials = async ({
  options,
  publicIds,
  reason,
  req,
}: {
  options: SanitizedRestAuthOptions
  publicIds: string[]
  reason: SessionEndReason
  req: PayloadRequest
}): Promise<void> => {
  if (publicIds.length === 0) {
    return
  }
  await localApi(req.payload).delete({
    collection: options.slugs.tokens,
    depth: 0,
    overrideAccess: true,
    req,
    where: { session: { in: publicIds } },
  })
  await localApi(req.payload).update({
    collection: options.slugs.outstandingTokens,
    data: { blacklistedAt: new Date(now()).toISOString(), blacklistReason: blacklistReasonOf[reason] },
    depth: 0,
    overrideAccess: true,
    req,
    where: { and: [{ session: { in: publicIds } }, { blacklistedAt: { exists: false } }] },
  })
  for (const publicId of publicIds) {
    // Every instance: access JWTs of the session stop at once (jwtAccessHonoursSessionEnd).
    await invalidateCaches({ message: { kind: 'session', publicId }, options, payload: req.payload })
  }
}

/**
 * Ends one live session: a compare-and-set on `endedAt`, so of concurrent revocations exactly one
 * ends it (and says so by returning true); then its credentials are revoked. `userId` confines it
 * to one user's sessions (another user's id is not found).
 */
export const endSession = async ({
  options,
  publicId,
  reason,
  req,
  userId,
}: {
  options: SanitizedRestAuthOptions
  publicId: string
  reason: SessionEndReason
  req: PayloadRequest
  userId?: number | string
}): Promise<boolean> => {
  const ended = await pluginDatabase(req.payload).updateOne({
    collection: options.slugs.sessions,
    data: { endedAt: new Date(now()).toISOString(), endReason: reason },
    options: { atomic: true },
    req,
    where: {
      and: [
        { publicId: { equals: publicId } },
        { endedAt: { exists: false } },
        ...(userId !== undefined ? [{ user: { equals: userId } }] : []),
      ],
    },
  })
  if (!ended) {
    return false
  }
  await revokeSessionCredentials({ options, publicIds: [publicId], reason, req })
  await recordAuthEvent({
    event: { detail: { reason }, sessionId: publicId, type: 'session_ended', userId: sessionUserId(ended as unknown as AuthSessionRow) },
    options,
    req,
    settings: await options.settingsStore.get(req.payload),
  })
  return true
}

/** A user's sessions that have not ended (expired ones included: their rows are closed too). */
export const openSessionsOf = async ({
  options,
  req,
  userId,
}: {
  options: SanitizedRestAuthOptions
  req: PayloadRequest
  userId: number | string
}): Promise<AuthSessionRow[]> => {
  const { docs } = await localApi(req.payload).find<AuthSessionRow>({
    collection: options.slugs.sessions,
    depth: 0,
    limit: 0,
    overrideAccess: true,
    pagination: false,
    req,
    sort: '-createdAt',
    where: { and: [{ user: { equals: userId } }, { endedAt: { exists: false } }] },
  })
  return docs
}

/** Ends every open session of a user but `exceptPublicId`; returns the public ids this call ended. */
export const endUserSessions = async ({
  exceptPublicId,
  options,
  reason,
  req,
  userId,
}: {
  exceptPublicId?: string
  options: SanitizedRestAuthOptions
  reason: SessionEndReason
  req: PayloadRequest
  userId: number | string
}): Promise<string[]> => {
  const ended: string[] = []
  for (const row of await openSessionsOf({ options, req, userId })) {
    if (row.publicId !== exceptPublicId && (await endSession({ options, publicId: row.publicId, reason, req, userId }))) {
      ended.push(row.publicId)
    }
  }
  return ended
}

/**
 * Credentials made before sessions existed (an older release's, Django's imported tokens) belong to
 * no session: "revoke the other sessions" revokes them too.
 */
export const revokeSessionlessCredentials = async ({
  options,
  req,
  userId,
}: {
  options: SanitizedRestAuthOptions
  req: PayloadRequest
  userId: number | string
}): Promise<void> => {
  await localApi(req.payload).delete({
    collection: options.slugs.tokens,
    depth: 0,
    overrideAccess: true,
    req,
    where: { and: [{ user: { equals: userId } }, { session: { exists: false } }] },
  })
  await localApi(req.payload).update({
    collection: options.slugs.outstandingTokens,
    data: { blacklistedAt: new Date(now()).toISOString(), blacklistReason: 'session_ended' },
    depth: 0,
    overrideAccess: true,
    req,
    where: { and: [{ user: { equals: userId } }, { session: { exists: false } }, { blacklistedAt: { exists: false } }] },
  })
}
