import type { EndpointContext } from '../http/defineEndpoint.js'
import type { Schema } from '../http/fields.js'

import { deleteAccount } from '../accounts/deleteAccount.js'
import { requireRecentAuthentication } from '../auth/recentAuthentication.js'
import { clearJwtCookies, clearSessionCookie } from '../auth/cookies.js'
import { mailLink } from '../email/links.js'
import { sendTemplatedEmail } from '../email/sendTemplatedEmail.js'
import { messages } from '../errors/messages.js'
import { detailError } from '../errors/RestAuthError.js'
import { consumeFlow, findFlow, startFlow } from '../flows/flowStore.js'
import { detailResponse, fieldErrorsResponse, reauthenticationRequiredResponse } from '../http/contract.js'
import { defineEndpoint, requireUser } from '../http/defineEndpoint.js'
import { readCookie } from '../http/cookies.js'
import { describeFields } from '../http/metadata.js'
import { jsonResponse } from '../http/responses.js'
import { findUserById, withoutSecrets } from '../users/findUser.js'
import { afterResponse } from '../utilities/afterResponse.js'

const FLOW_KIND = 'account_deletion'
/** A deletion link is good for a day. */
const FLOW_TTL_SECONDS = 86400
const DEFAULT_CONFIRM_URL = '{origin}/account-delete/confirm/{key}/'

const confirmFields = { key: { required: true } } satisfies Schema

/** The account is gone: the caller's cookies go too. */
const clearedCookies = ({ req, settings }: EndpointContext): string[] => [
  ...(readCookie(req.headers, settings.sessionCookieName) ? [clearSessionCookie(settings)] : []),
  ...(settings.useJwt ? clearJwtCookies(settings) : []),
]

const deletedResponse = (ctx: EndpointContext, outcome: 'deactivated' | 'deleted') =>
  jsonResponse(
    { detail: outcome === 'deleted' ? messages.accountDeletion.deleted : messages.accountDeletion.deactivated },
    { cookies: clearedCookies(ctx) },
  )

/** What both routes answer when the account goes. */
const doneResponse = {
  ...detailResponse('The account is deleted or deactivated (by `accountDeletionMode`); its cookies are cleared.', messages.accountDeletion.deleted, messages.accountDeletion.deactivated),
  headers: ['Set-Cookie'],
}

/** Mails the link that confirms the deletion; the flow (auth-flows) keeps only its token's digest. */
const mailConfirmation = async (ctx: EndpointContext, user: { email?: null | string; first_name?: null | string; id: number | string; username?: null | string }) => {
  const { options, req, settings } = ctx
  const { token } = await startFlow({ kind: FLOW_KIND, maxAttempts: 1, options, req, ttlSeconds: FLOW_TTL_SECONDS, userId: user.id })
  const link = mailLink({
    purpose: 'account deletion link',
    req,
    settings,
    template: settings.accountDeletionConfirmUrl || DEFAULT_CONFIRM_URL,
    values: { key: token },
  })
  if (link === null || !user.email) {
    return
  }
  const email = user.email
  afterResponse(() =>
    sendTemplatedEmail({
      context: { link, siteDomain: settings.siteDomain, siteName: settings.siteName, user: { email, first_name: user.first_name, username: user.username ?? '' } },
      kind: 'account deletion',
      req,
      template: options.emailTemplates.accountDeletion,
    }),
  )
}

/**
 * POST user/delete/: the user deletes (or, by `accountDeletionMode`, deactivates) their own account.
 * Recent authentication required. With `accountDeletionConfirmByEmail` a link is mailed instead
 * (202), and user/delete/confirm/ completes it.
 */
export const accountDeleteEndpoint = defineEndpoint({
  access: 'user',
  handlers: {
    post: async (ctx) => {
      const user = requireUser(ctx)
      await requireRecentAuthentication(ctx)
      if (ctx.settings.accountDeletionConfirmByEmail && user.email) {
        await mailConfirmation(ctx, user)
        return jsonResponse({ detail: messages.accountDeletion.mailSent }, { status: 202 })
      }
      return deletedResponse(ctx, await deleteAccount({ by: 'user', options: ctx.options, req: ctx.req, settings: ctx.settings, user }))
    },
  },
  metadata: { description: `Deletes (or deactivates) the user's account; recent authentication required.`, name: 'Account Delete' },
  path: '/user/delete',
  responses: {
    200: doneResponse,
    202: detailResponse('`accountDeletionConfirmByEmail`: a confirmation link is mailed; user/delete/confirm/ completes the deletion.', messages.accountDeletion.mailSent),
    401: reauthenticationRequiredResponse,
  },
  summary: 'Delete (or deactivate) your account',
})

/** POST user/delete/confirm/ with the mailed `key`: once, within a day; anything else is 404. */
export const accountDeleteConfirmEndpoint = defineEndpoint({
  body: { fields: confirmFields },
  handlers: {
    post: async (ctx) => {
      const { body, options, req, settings } = ctx
      const lookup = await findFlow({ kind: FLOW_KIND, options, req, token: body.key })
      const userId = lookup.status === 'ok' ? lookup.flow.user : null
      const user = userId !== null && userId !== undefined ? await findUserById({ id: userId, options, req }) : null
      if (lookup.status !== 'ok' || !user || !(await consumeFlow({ flow: lookup.flow, options, req }))) {
        throw detailError(404, messages.request.notFound)
      }
      return deletedResponse(ctx, await deleteAccount({ by: 'user', options, req, settings, user: withoutSecrets(user) }))
    },
  },
  metadata: { actions: () => ({ POST: describeFields(confirmFields) }), description: `Completes an account deletion with the mailed key.`, name: 'Account Delete Confirm' },
  path: '/user/delete/confirm',
  responses: {
    200: doneResponse,
    400: fieldErrorsResponse,
    404: detailResponse('The key is unknown, used or expired.', messages.request.notFound),
  },
  summary: 'Complete an account deletion with the mailed key',
  throttle: 'accountDeletionConfirm',
})
