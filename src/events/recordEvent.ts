import type { PayloadRequest } from 'payload'

import type { RestAuthSettings, SanitizedRestAuthOptions } from '../types.js'

import { clientAddress } from '../http/forwarded.js'
import { recordedAddress } from '../sessions/recordedAddress.js'
import { now } from '../utilities/clock.js'
import { localApi } from '../utilities/localApi.js'

/**
 * What happened: `login`, `login_failed`, `logout`, `session_ended`, `reauthenticated`,
 * `password_changed`, `email_added`, `email_removed`, `email_primary_changed`, `account_deleted`,
 * `account_deactivated`, `mfa_enabled`, `mfa_disabled`, `mfa_recovery_codes_regenerated`, `passkey_added`,
 * `passkey_removed`, `reauthentication_failed`.
 */
export type AuthEventType = string

export type AuthEvent = {
  detail?: Record<string, unknown>
  /** The user row is gone (a deletion): only the id it had is kept. */
  isUserGone?: boolean
  method?: string
  sessionId?: string
  type: AuthEventType
  userId?: null | number | string
}

const PRUNE_INTERVAL_MS = 3600_000
let lastPrune = 0

const prune = async ({ options, req, settings }: { options: SanitizedRestAuthOptions; req: PayloadRequest; settings: RestAuthSettings }) => {
  if (now() - lastPrune < PRUNE_INTERVAL_MS) {
    return
  }
  lastPrune = now()
  await localApi(req.payload).delete({
    collection: options.slugs.events,
    overrideAccess: true,
    where: { createdAt: { less_than: new Date(now() - settings.authEventsRetentionDays * 86400_000).toISOString() } },
  })
}

/**
 * Writes one row of the security log (when `authEventsEnabled`), never throwing: a log that cannot
 * be written must not fail what it describes (the error is logged). A failed login has no
 * transaction to undo, so its event stays although the request fails.
 */
export const recordAuthEvent = async ({
  event,
  options,
  req,
  settings,
}: {
  event: AuthEvent
  options: SanitizedRestAuthOptions
  req: PayloadRequest
  settings: RestAuthSettings
}): Promise<void> => {
  if (!settings.authEventsEnabled) {
    return
  }
  try {
    const hasUser = event.userId !== undefined && event.userId !== null
    await localApi(req.payload).create({
      collection: options.slugs.events,
      data: {
        detail: event.detail ?? null,
        ipAddress: recordedAddress(clientAddress(req.headers, settings), settings.sessionClientAddress),
        method: event.method ?? null,
        session: event.sessionId ?? null,
        type: event.type,
        user: hasUser && !event.isUserGone ? event.userId : null,
        userAgent: (req.headers.get('user-agent') ?? '').slice(0, 512),
        subject: hasUser ? String(event.userId) : null,
      },
      depth: 0,
      overrideAccess: true,
      // In the request's transaction, if it has one: a row written beside it would wait on the
      // user row that transaction holds (its foreign key), and an undone change leaves no event.
      req,
    })
    await prune({ options, req, settings })
  } catch (err) {
    req.payload.logger.error({ msg: `payload-rest-auth: could not record the ${event.type} event: ${String((err as Error)?.message ?? err)}` })
  }
}

/** Tests: prune again on the next event. */
export const resetEventPruning = (): void => {
  lastPrune = 0
}
