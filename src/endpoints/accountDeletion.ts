import type { EndpointContext } from '../http/defineEndpoint.js'
import type { Schema } from '../http/fields.js'

import { deleteAccount } from '../accounts/deleteAccount.js'
import { requireRecentAuthentication } from '../auth/recentAuthentication.js'
import { clearSessionCookie } from '../auth/sessionCookies.js'
import { mailLink } from '../email/links.js'
import { sendTemplatedEmail } from '../email/sendTemplatedEmail.js'
import { messages } from '../errors/messages.js'
import { detailError } from '../errors/RestAuthError.js'
import { consumeFlow, findFlow, startFlow } from '../flows/flowStore.js'
import { defineEndpoint, requireUser } from '../http/defineEndpoint.js'
import { readCookie } from '../http/cookies.js'
import { requireValidFields } from '../http/fields.js'
import { describeFields } from '../http/metadata.js'
import { jsonResponse } from '../http/responses.js'
import { clearJwtCookies } from '../jwt/cookies.js'
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
  jsonResponse({ detail: outcome === 'deleted' ? messages.accountDeleted : messages.accountDeactivated }, { cookies: clearedCookies(ctx) })

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
  handlers: {
    post: async (ctx) => {
      const user = requireUser(ctx)
      await requireRecentAuthentication(ctx)
      if (ctx.settings.accountDeletionConfirmByEmail && user.email) {
        await mailConfirmation(ctx, user)
        return jsonResponse({ detail: messages.accountDeletionMailSent }, { status: 202 })
      }
      return deletedResponse(ctx, await deleteAccount({ by: 'user', options: ctx.options, req: ctx.req, settings: ctx.settings, user }))
    },
  },
  isAuthenticationRequired: true,
  metadata: { description: `Deletes (or deactivates) the user's account; recent authentication required.`, name: 'Account Delete' },
  path: '/user/delete',
})

/** POST user/delete/confirm/ with the mailed `key`: once, within a day; anything else is 404. */
export const accountDeleteConfirmEndpoint = defineEndpoint({
  handlers: {
    post: async (ctx) => {
      const { key } = requireValidFields(ctx.data, confirmFields)
      const { options, req, settings } = ctx
      const lookup = await findFlow({ kind: FLOW_KIND, options, req, token: key! })
      const userId = lookup.status === 'ok' ? lookup.flow.user : null
      const user = userId !== null && userId !== undefined ? await findUserById({ id: userId, options, req }) : null
      if (lookup.status !== 'ok' || !user || !(await consumeFlow({ flow: lookup.flow, options, req }))) {
        throw detailError(404, messages.notFound)
      }
      return deletedResponse(ctx, await deleteAccount({ by: 'user', options, req, settings, user: withoutSecrets(user) }))
    },
  },
  metadata: { actions: () => ({ POST: describeFields(confirmFields) }), description: `Completes an account deletion with the mailed key.`, name: 'Account Delete Confirm' },
  path: '/user/delete/confirm',
  throttle: 'accountDeletionConfirm',
})
