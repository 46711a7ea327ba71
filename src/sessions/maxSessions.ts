import type { PayloadRequest } from 'payload'

import type { RestAuthSettings, SanitizedRestAuthOptions } from '../types.js'

import { endSession, openSessionsOf } from './endSessions.js'
import { isSessionRowLive } from './sessionStore.js'

/**
 * `maxSessionsPerUser`: after a new login, the user's oldest live logins beyond the limit end (with
 * their credentials). Expired rows do not count; they are closed on the way.
 */
export const enforceMaxSessions = async ({
  keepPublicId,
  options,
  req,
  settings,
  userId,
}: {
  keepPublicId: string
  options: SanitizedRestAuthOptions
  req: PayloadRequest
  settings: RestAuthSettings
  userId: number | string
}): Promise<void> => {
  if (settings.maxSessionsPerUser <= 0) {
    return
  }
  // Newest first: the new login, then the ones it may keep.
  const live = (await openSessionsOf({ options, req, userId })).filter((row) => isSessionRowLive(row))
  const others = live.filter((row) => row.publicId !== keepPublicId)
  for (const row of others.slice(Math.max(settings.maxSessionsPerUser - 1, 0))) {
    await endSession({ options, publicId: row.publicId, reason: 'max_sessions', req, userId })
  }
}
