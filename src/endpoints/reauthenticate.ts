import type { Schema } from '../http/fields.js'

import { reauthenticationMethods } from '../auth/reauthentication/index.js'
import { availableReauthenticationMethods, currentSession, recordReauthentication } from '../auth/recentAuthentication.js'
import { messages } from '../errors/messages.js'
import { recordAuthEvent } from '../events/recordEvent.js'
import { getRequestAuth } from '../strategies/requestAuth.js'
import { detailError, nonFieldError, RestAuthError } from '../errors/RestAuthError.js'
import { defineEndpoint, requireUser } from '../http/defineEndpoint.js'
import { fieldErrorsResponse, objectSchema, schemaRef, stringSchema } from '../http/contract.js'
import { describeFields } from '../http/metadata.js'
import { jsonResponse } from '../http/responses.js'

/** Every method's fields: a body carries the ones of the method it uses. */
const allFields = (): Schema =>
  Object.assign({}, ...reauthenticationMethods.map((method) => method.fields)) as Schema

/**
 * POST reauthenticate/ (allauth headless's `auth/reauthenticate`): a new proof of identity for the
 * current login — `{"password"}`, or another registered method's fields — which renews the
 * window of `requireRecentAuthentication`. The method is the first available one whose field the
 * body carries; with only one available, that one (so a bare body gets its "required" errors).
 */
export const reauthenticateEndpoint = defineEndpoint({
  handlers: {
    post: async (ctx) => {
      const user = requireUser(ctx)
      if (!(await currentSession(ctx))) {
        throw detailError(400, messages.reauthentication.noSession)
      }
      const available = new Set(await availableReauthenticationMethods(ctx, user))
      const usable = reauthenticationMethods.filter((method) => available.has(method.id))
      const method = usable.find((candidate) => candidate.isChosen(ctx.data)) ?? (usable.length === 1 ? usable[0] : undefined)
      if (!method) {
        throw nonFieldError(messages.reauthentication.noMethod)
      }
      const used = await method.verify({ ctx, user }).catch(async (err: unknown) => {
        if (err instanceof RestAuthError) {
          await recordAuthEvent({ ...ctx, event: { method: method.id, type: 'reauthentication_failed', userId: user.id } })
        }
        throw err
      })
      const until = await recordReauthentication(ctx, used)
      await recordAuthEvent({
        event: { method: used.method, sessionId: getRequestAuth(ctx.req).credential?.sessionId, type: 'reauthenticated', userId: user.id },
        options: ctx.options,
        req: ctx.req,
        settings: ctx.settings,
      })
      return jsonResponse({ detail: messages.reauthentication.reauthenticated, method: used.method, reauthenticated_until: until.toISOString() })
    },
  },
  isAuthenticationRequired: true,
  metadata: {
    actions: () => ({ POST: describeFields(allFields()) }),
    description: `Proves the user's identity again for the current login (its password, or another
registered method), so sensitive operations are allowed for the reauthentication window.`,
    name: 'Reauthenticate',
  },
  path: '/reauthenticate',
  responses: {
    200: {
      description: 'Reauthenticated: sensitive operations are allowed until `reauthenticated_until`.',
      schema: objectSchema({ detail: { const: messages.reauthentication.reauthenticated }, method: stringSchema, reauthenticated_until: { type: 'string', format: 'date-time' } }),
    },
    400: {
      ...fieldErrorsResponse,
      description: 'A wrong password (field errors), no usable method, or a login that cannot be reauthenticated (`detail`).',
      schema: { anyOf: [schemaRef('FieldErrors'), schemaRef('Detail')] },
    },
  },
  summary: 'Prove your identity again for the current login',
  throttle: 'reauthenticate',
})
