import type { EndpointContext } from '../http/defineEndpoint.js'
import type { AuthMethod, AuthSessionRow } from '../sessions/types.js'
import type { RestAuthUser } from '../types.js'

import { messages } from '../errors/messages.js'
import { detailError, RestAuthError } from '../errors/RestAuthError.js'
import { requireUser } from '../http/defineEndpoint.js'
import { findSession, isSessionRowLive, stampMethods, updateOpenSession } from '../sessions/sessionStore.js'
import { sessionUserId } from '../sessions/types.js'
import { authenticationChallenge } from '../strategies/authenticationClasses.js'
import { getRequestAuth } from '../strategies/requestAuth.js'
import { now } from '../utilities/clock.js'
import { reauthenticationMethods } from './reauthentication/index.js'

/** The login (auth-sessions row) the request's credential belongs to, if it is the user's and live. */
export const currentSession = async (ctx: Pick<EndpointContext, 'options' | 'req' | 'user'>): Promise<AuthSessionRow | null> => {
  const publicId = getRequestAuth(ctx.req).credential?.sessionId
  if (!publicId || !ctx.user) {
    return null
  }
  const row = await findSession({ options: ctx.options, payload: ctx.req.payload, publicId, req: ctx.req })
  return row && String(sessionUserId(row)) === String(ctx.user.id) && isSessionRowLive(row) ? row : null
}

/** The ids of the reauthentication methods this user can use now, in the registry's order. */
export const availableReauthenticationMethods = async (ctx: EndpointContext, user: RestAuthUser): Promise<string[]> => {
  const available: string[] = []
  for (const method of reauthenticationMethods) {
    if (await method.isAvailable({ ctx, user })) {
      available.push(method.id)
    }
  }
  return available
}

/** When the current login's last proof of identity stops counting as recent. */
export const recentUntil = (ctx: Pick<EndpointContext, 'settings'>, row: Pick<AuthSessionRow, 'authenticatedAt'>): number =>
  new Date(row.authenticatedAt).getTime() + ctx.settings.reauthenticationTimeout * 1000

/**
 * Guards a sensitive operation (e-mail change, account deletion, revoking other sessions, second
 * factors, passkeys): the current login must have proved the user's identity within
 * `reauthenticationTimeout` seconds (allauth's ACCOUNT_REAUTHENTICATION_TIMEOUT), by logging in or
 * through `reauthenticate/`. Otherwise 401 `{"detail", "code": "reauthentication_required",
 * "methods": [...]}`, the methods being those the user can use at `reauthenticate/` (none: log in again).
 */
export const requireRecentAuthentication = async (ctx: EndpointContext): Promise<void> => {
  const user = requireUser(ctx)
  const row = await currentSession(ctx)
  if (row && recentUntil(ctx, row) > now()) {
    return
  }
  const challenge = authenticationChallenge(ctx.settings)
  throw new RestAuthError({
    body: {
      code: 'reauthentication_required',
      detail: messages.reauthentication.required,
      methods: await availableReauthenticationMethods(ctx, user),
    },
    headers: challenge ? { 'WWW-Authenticate': challenge } : {},
    status: 401,
  })
}

/**
 * Records a new proof of identity on the current login: its authentication time becomes now and the
 * method joins its recorded methods. Called by `reauthenticate/` after a method verified it; a
 * feature whose own flow proves identity (a second factor) may call it too. Returns until when the
 * login counts as recently authenticated.
 */
export const recordReauthentication = async (ctx: EndpointContext, method: AuthMethod | string): Promise<Date> => {
  requireUser(ctx)
  const row = await currentSession(ctx)
  if (!row) {
    throw detailError(400, messages.reauthentication.noSession)
  }
  const atMs = now()
  const used = typeof method === 'string' ? { method } : method
  const isUpdated = await updateOpenSession({
    data: {
      authenticatedAt: new Date(atMs).toISOString(),
      methods: [...(row.methods ?? []), ...stampMethods([used], atMs)],
    },
    options: ctx.options,
    payload: ctx.req.payload,
    req: ctx.req,
    where: { id: { equals: row.id } },
  })
  if (!isUpdated) {
    // Ended meanwhile (revoked from another device): the proof renews nothing.
    throw detailError(400, messages.reauthentication.noSession)
  }
  return new Date(recentUntil(ctx, { authenticatedAt: new Date(atMs).toISOString() }))
}
