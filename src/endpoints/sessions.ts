import type { JsonSchema } from '../http/contract.js'
import type { EndpointContext } from '../http/defineEndpoint.js'
import type { AuthSessionRow } from '../sessions/types.js'
import type { RestAuthUser } from '../types.js'

import { requireRecentAuthentication } from '../auth/recentAuthentication.js'
import { clearJwtCookies, clearSessionCookie } from '../auth/cookies.js'
import { messages } from '../errors/messages.js'
import { sendNotice } from '../events/sendNotice.js'
import { afterResponse } from '../utilities/afterResponse.js'
import { detailError, fieldErrors } from '../errors/RestAuthError.js'
import { defineEndpoint, requireUser } from '../http/defineEndpoint.js'
import { detailResponse, fieldErrorsResponse, objectSchema, reauthenticationRequiredResponse, stringSchema } from '../http/contract.js'
import { readCookie } from '../http/cookies.js'
import { jsonResponse } from '../http/responses.js'
import { endSession, endUserSessions, openSessionsOf, revokeSessionlessCredentials } from '../sessions/endSessions.js'
import { serializeSession } from '../sessions/serializeSession.js'
import { isSessionRowLive } from '../sessions/sessionStore.js'
import { getRequestAuth } from '../strategies/requestAuth.js'

/** At most this many ids in one `DELETE sessions/`. */
const MAX_IDS = 100

const currentId = (ctx: EndpointContext): string | undefined => getRequestAuth(ctx.req).credential?.sessionId

/** The user's live sessions, newest first. */
const liveSessions = async (ctx: EndpointContext, user: RestAuthUser): Promise<AuthSessionRow[]> =>
  (await openSessionsOf({ options: ctx.options, req: ctx.req, userId: user.id })).filter((row) => isSessionRowLive(row))

const listResponse = async (ctx: EndpointContext, user: RestAuthUser, cookies: string[] = []) => {
  const current = currentId(ctx)
  return jsonResponse((await liveSessions(ctx, user)).map((row) => serializeSession(row, current)), { cookies })
}

/** When the request ended its own login, its cookies go as logout clears them. */
const clearedCookies = (ctx: EndpointContext): string[] => {
  const { req, settings } = ctx
  const cookies: string[] = []
  if (readCookie(req.headers, settings.sessionCookieName)) {
    cookies.push(clearSessionCookie(settings))
  }
  if (settings.useJwt && (readCookie(req.headers, settings.jwtAuthCookie) || readCookie(req.headers, settings.jwtAuthRefreshCookie))) {
    cookies.push(...clearJwtCookies(settings))
  }
  return cookies
}

/** Python's type names, for DRF's ListField message. */
const pythonType = (value: unknown): string => {
  if (value === null) {
    return 'NoneType'
  }
  if (typeof value === 'string') {
    return 'str'
  }
  if (typeof value === 'number') {
    return Number.isInteger(value) ? 'int' : 'float'
  }
  return typeof value === 'boolean' ? 'bool' : 'dict'
}

/** allauth's `{"sessions": [ids]}`, checked like DRF's ListField of CharFields. */
const requestedIds = (ctx: EndpointContext): string[] => {
  const raw = ctx.data.sessions
  if (raw === undefined) {
    throw fieldErrors({ sessions: [messages.field.requiredField] })
  }
  if (!Array.isArray(raw)) {
    throw fieldErrors({ sessions: [messages.field.listExpected(pythonType(raw))] })
  }
  if (raw.length === 0) {
    throw fieldErrors({ sessions: [messages.field.listEmpty] })
  }
  if (raw.length > MAX_IDS || !raw.every((id) => typeof id === 'string' && id.length > 0 && id.length <= 64)) {
    throw fieldErrors({ sessions: [messages.field.invalidValue] })
  }
  return [...new Set(raw as string[])]
}

/** A session of the user's that is live, by its public id; 404 for an unknown id or another user's. */
const ownLiveSession = async (ctx: EndpointContext, user: RestAuthUser, publicId: string): Promise<AuthSessionRow> => {
  const row = (await liveSessions(ctx, user)).find((session) => session.publicId === publicId)
  if (!row) {
    throw detailError(404, messages.request.notFound)
  }
  return row
}

const nullableString: JsonSchema = { type: ['string', 'null'] }
const dateTime: JsonSchema = { type: 'string', format: 'date-time' }

/** One session as serializeSession answers it. */
const sessionSchema = objectSchema({
  id: stringSchema,
  device: stringSchema,
  user_agent: stringSchema,
  ip_address: nullableString,
  kinds: { type: 'array', items: stringSchema, description: 'The credentials the login holds: token, session, jwt.' },
  methods: {
    type: 'array',
    items: { type: 'object', properties: { at: dateTime, method: stringSchema }, required: ['at', 'method'] },
    description: 'How the user proved their identity on this login, oldest first.',
  },
  created_at: dateTime,
  last_seen_at: { type: ['string', 'null'], format: 'date-time' },
  authenticated_at: dateTime,
  expires_at: { type: ['string', 'null'], format: 'date-time' },
  is_current: { type: 'boolean' },
})

const notFoundResponse = detailResponse("No live session of the user's has that id.", messages.request.notFound)

/**
 * GET sessions/: the user's live logins, newest first, `is_current` marking the request's own.
 * DELETE sessions/ with `{"sessions": [ids]}` (allauth's usersessions): ends them and answers what
 * remains; every id must be one of the user's live sessions (404 otherwise, and nothing ends).
 * Ending another login than the request's own needs recent authentication.
 */
export const sessionsEndpoint = defineEndpoint({
  handlers: {
    delete: async (ctx) => {
      const user = requireUser(ctx)
      const ids = requestedIds(ctx)
      const live = new Set((await liveSessions(ctx, user)).map((row) => row.publicId))
      if (!ids.every((id) => live.has(id))) {
        throw detailError(404, messages.request.notFound)
      }
      const current = currentId(ctx)
      if (ids.some((id) => id !== current)) {
        await requireRecentAuthentication(ctx)
      }
      for (const publicId of ids) {
        await endSession({ options: ctx.options, publicId, reason: 'revoked', req: ctx.req, userId: user.id })
      }
      return listResponse(ctx, user, current && ids.includes(current) ? clearedCookies(ctx) : [])
    },
    get: async (ctx) => listResponse(ctx, requireUser(ctx)),
  },
  access: 'user',
  metadata: {
    description: `The user's sessions (one per login), newest first; DELETE with {"sessions": [ids]} ends them.`,
    name: 'Sessions',
  },
  path: '/sessions',
  responses: {
    200: {
      description: "The user's live sessions, newest first (after a DELETE, those that remain; its own ended: its cookies cleared).",
      schema: { type: 'array', items: sessionSchema },
      headers: ['Set-Cookie'],
    },
    400: { ...fieldErrorsResponse, description: 'DELETE: `sessions` is missing, not a list of ids, or empty.' },
    401: { ...reauthenticationRequiredResponse, description: 'DELETE of another session than the current one: the login is not recent enough.' },
    404: notFoundResponse,
  },
  summary: "List the user's sessions, or end some of them",
})

/**
 * POST sessions/<id>/revoke/: ends one of the user's logins with everything that hangs on it.
 * Another user's or an unknown id: 404. Of concurrent revocations of one session, one answers 200.
 */
export const sessionRevokeEndpoint = defineEndpoint({
  handlers: {
    post: async (ctx) => {
      const user = requireUser(ctx)
      const publicId = String((ctx.req.routeParams as Record<string, unknown> | undefined)?.id ?? '')
      await ownLiveSession(ctx, user, publicId)
      const isCurrent = publicId === currentId(ctx)
      if (!isCurrent) {
        await requireRecentAuthentication(ctx)
      }
      if (!(await endSession({ options: ctx.options, publicId, reason: 'revoked', req: ctx.req, userId: user.id }))) {
        // A concurrent revocation ended it first.
        throw detailError(404, messages.request.notFound)
      }
      return jsonResponse({ detail: messages.sessions.revoked }, { cookies: isCurrent ? clearedCookies(ctx) : [] })
    },
  },
  access: 'user',
  metadata: { description: `Ends one of the user's sessions and every credential of it.`, name: 'Session Revoke' },
  path: '/sessions/:id/revoke',
  responses: {
    200: { ...detailResponse('The session is ended (the current one: its cookies cleared).', messages.sessions.revoked), headers: ['Set-Cookie'] },
    401: { ...reauthenticationRequiredResponse, description: 'Another session than the current one: the login is not recent enough.' },
    404: notFoundResponse,
  },
  summary: 'End one of your sessions',
})

/**
 * POST sessions/revoke-others/: ends every login of the user but the request's own (recent
 * authentication required), and revokes credentials issued before sessions existed.
 */
export const sessionsRevokeOthersEndpoint = defineEndpoint({
  handlers: {
    post: async (ctx) => {
      const user = requireUser(ctx)
      await requireRecentAuthentication(ctx)
      const { options, req } = ctx
      const current = currentId(ctx)
      const ended = await endUserSessions({ exceptPublicId: current, options, reason: 'revoked_others', req, userId: user.id })
      await revokeSessionlessCredentials({ options, req, userId: user.id })
      if (ended.length > 0 && ctx.settings.securityNoticeMails) {
        afterResponse(() => sendNotice({ event: 'other_sessions_revoked', options, req, settings: ctx.settings, user }))
      }
      return jsonResponse({ detail: messages.sessions.otherRevoked, revoked: ended.length })
    },
  },
  access: 'user',
  metadata: { description: `Ends every session of the user except the current one.`, name: 'Sessions Revoke Others' },
  path: '/sessions/revoke-others',
  responses: {
    200: {
      description: 'Every other session is ended; `revoked` counts them.',
      schema: objectSchema({ detail: { const: messages.sessions.otherRevoked }, revoked: { type: 'integer', minimum: 0 } }),
    },
    401: reauthenticationRequiredResponse,
  },
  summary: 'End every session but the current one',
})
