import type { ResponseMap } from '../http/contract.js'
import type { AnyEndpoint, EndpointContext } from '../http/defineEndpoint.js'
import type { RestAuthUser } from '../types.js'

import { deleteAccount } from '../accounts/deleteAccount.js'
import { messages } from '../errors/messages.js'
import { detailError, fieldErrors } from '../errors/RestAuthError.js'
import { detailResponse, fieldErrorsResponse, objectSchema } from '../http/contract.js'
import { defineEndpoint, requireUser } from '../http/defineEndpoint.js'
import { jsonResponse } from '../http/responses.js'
import { hasActiveAuthenticator, removeAuthenticators } from '../mfa/authenticators.js'
import { announceMfaChange } from '../mfa/notify.js'
import { disconnectSocialAccount } from '../social/accounts.js'
import {
  findUserWithoutSecrets,
  loadUserAccount,
  markEmailVerified,
  resendEmailConfirmation,
  revokeAllUserCredentials,
  revokeRefreshTokenById,
  revokeSessionById,
  revokeTokenById,
} from './account.js'
import { loadEndpointList } from './endpointList.js'
import { toDatabaseId } from '../utilities/databaseId.js'
import { saveSecretSetting } from './secrets.js'

/**
 * Admin-only routes behind the admin screens, under `/api/<prefix>/admin/`. Each action runs the
 * same functions as the public API (token revocation, confirmation mails, the verify-email update).
 */

/** A route parameter as an id of `collection`; 404 when no document of it can have that id. */
const routeId = (ctx: EndpointContext, name: string, collection: string): number | string => {
  const id = toDatabaseId(ctx.req.payload, collection, (ctx.req.routeParams as Record<string, unknown> | undefined)?.[name])
  if (id === null) {
    throw detailError(404, messages.request.notFound)
  }
  return id
}

/** The user named by `:id`, 404 when there is none (dispatch has checked the caller is an admin). */
const findTargetUser = async (ctx: EndpointContext): Promise<RestAuthUser> => {
  const user = await findUserWithoutSecrets({ options: ctx.options, req: ctx.req, userId: routeId(ctx, 'id', ctx.options.usersCollection) })
  if (!user) {
    throw detailError(404, messages.request.notFound)
  }
  return user
}

const targetUser = async (ctx: EndpointContext): Promise<number | string> => (await findTargetUser(ctx)).id

const accountResponse = async (ctx: EndpointContext, userId: number | string, extra: Record<string, unknown> = {}) =>
  jsonResponse({
    ...extra,
    account: await loadUserAccount({ options: ctx.options, payload: ctx.req.payload, userId }),
  })

const optionalId = (ctx: EndpointContext, name: string, collection: string): null | number | string => {
  const raw = ctx.data[name]
  if (raw === undefined || raw === null || raw === '') {
    return null
  }
  const id = toDatabaseId(ctx.req.payload, collection, typeof raw === 'number' ? raw : String(raw))
  if (id === null) {
    throw fieldErrors({ [name]: [messages.field.invalidValue] })
  }
  return id
}

/** `session`: a login's public id. */
const optionalSessionId = (ctx: EndpointContext): null | string => {
  const raw = ctx.data.session
  if (raw === undefined || raw === null || raw === '') {
    return null
  }
  if (typeof raw !== 'string' || raw.length > 64) {
    throw fieldErrors({ session: [messages.field.invalidValue] })
  }
  return raw
}

/** What the account routes answer: the user's account as the admin screen shows it. */
const accountResponses: ResponseMap = {
  200: { description: "The user's account after the action.", schema: objectSchema({ account: { type: 'object' }, detail: { const: messages.admin.ok } }, { optional: ['detail'] }) },
  400: fieldErrorsResponse,
  404: detailResponse('No such user, address, account, token or session.', messages.request.notFound),
}

/** GET admin/endpoints/: the routes the saved settings enable, for the settings screen. */
export const adminEndpointListEndpoint = defineEndpoint({
  handlers: {
    get: async (ctx) => {
      return jsonResponse({ endpoints: await loadEndpointList({ options: ctx.options, req: ctx.req }) })
    },
  },
  access: 'admin',
  metadata: { description: `The routes of the API and whether the saved settings enable them, for the settings screen.`, name: 'Admin Endpoint List' },
  path: '/admin/endpoints',
  responses: { 200: { description: 'The routes.', schema: objectSchema({ endpoints: { type: 'array', items: { type: 'object' } }, openapi: { type: ['string', 'null'] } }, { optional: ['openapi'] }) } },
  summary: 'The routes of the API and whether the settings enable them',
})

/** GET admin/users/:id/account/: addresses, social accounts, active tokens. */
export const adminUserAccountEndpoint = defineEndpoint({
  handlers: {
    get: async (ctx) => accountResponse(ctx, await targetUser(ctx)),
  },
  access: 'admin',
  metadata: { description: `A user's e-mail addresses, social accounts and active tokens.`, name: 'Admin User Account' },
  path: '/admin/users/:id/account',
  responses: accountResponses,
  summary: "A user's addresses, social accounts and active tokens",
})

/**
 * POST admin/users/:id/revoke-tokens/: `{"session": "<public id>"}` ends one login with all its
 * credentials, `{"token": <id>}` revokes one API token or session,
 * `{"refresh": <id>}` blacklists one JWT refresh token, an empty body revokes everything.
 */
export const adminRevokeTokensEndpoint = defineEndpoint({
  handlers: {
    post: async (ctx) => {
      const userId = await targetUser(ctx)
      const tokenId = optionalId(ctx, 'token', ctx.options.slugs.tokens)
      const refreshId = optionalId(ctx, 'refresh', ctx.options.slugs.outstandingTokens)
      const sessionId = optionalSessionId(ctx)
      const { options, req } = ctx
      if (sessionId !== null) {
        if (!(await revokeSessionById({ options, publicId: sessionId, req, userId }))) {
          throw detailError(404, messages.request.notFound)
        }
      } else if (tokenId !== null) {
        if (!(await revokeTokenById({ options, req, tokenId, userId }))) {
          throw detailError(404, messages.request.notFound)
        }
      } else if (refreshId !== null) {
        if (!(await revokeRefreshTokenById({ options, refreshId, req, userId }))) {
          throw detailError(404, messages.request.notFound)
        }
      } else {
        await revokeAllUserCredentials({ options, req, userId })
      }
      return accountResponse(ctx, userId, { detail: messages.admin.ok })
    },
  },
  access: 'admin',
  metadata: { description: `Ends one login with its credentials (\`session\`), revokes one API token or session (\`token\`), blacklists one JWT refresh token (\`refresh\`),
or, with an empty body, revokes all of the user's credentials.`, name: 'Admin Revoke Tokens' },
  path: '/admin/users/:id/revoke-tokens',
  responses: accountResponses,
  summary: "Revoke one or all of a user's credentials",
})

/** POST admin/users/:id/email-addresses/:addressId/verify/ */
export const adminVerifyEmailEndpoint = defineEndpoint({
  handlers: {
    post: async (ctx) => {
      const userId = await targetUser(ctx)
      const address = await markEmailVerified({ addressId: routeId(ctx, 'addressId', ctx.options.slugs.emailAddresses), options: ctx.options, req: ctx.req, userId })
      if (!address) {
        throw detailError(404, messages.request.notFound)
      }
      return accountResponse(ctx, userId, { detail: messages.admin.ok })
    },
  },
  access: 'admin',
  metadata: { description: `Marks one of the user's e-mail addresses verified.`, name: 'Admin Verify Email' },
  path: '/admin/users/:id/email-addresses/:addressId/verify',
  responses: accountResponses,
  summary: 'Mark an address verified',
})

/** POST admin/users/:id/email-addresses/:addressId/resend-confirmation/: 502 when the mail could not be sent. */
export const adminResendConfirmationEndpoint = defineEndpoint({
  handlers: {
    post: async (ctx) => {
      const userId = await targetUser(ctx)
      const result = await resendEmailConfirmation({
        addressId: routeId(ctx, 'addressId', ctx.options.slugs.emailAddresses),
        options: ctx.options,
        req: ctx.req,
        settings: ctx.settings,
        userId,
      })
      if (!result) {
        throw detailError(404, messages.request.notFound)
      }
      if (!result.isSent) {
        throw detailError(502, messages.admin.confirmationNotSent)
      }
      return accountResponse(ctx, userId, { detail: messages.admin.ok })
    },
  },
  access: 'admin',
  metadata: { description: `Sends the confirmation mail of one of the user's e-mail addresses again.`, name: 'Admin Resend Confirmation' },
  path: '/admin/users/:id/email-addresses/:addressId/resend-confirmation',
  responses: { ...accountResponses, 502: detailResponse('The mail could not be sent.', messages.admin.confirmationNotSent) },
  summary: "Send an address's confirmation mail again",
})

/**
 * POST admin/users/:id/social-accounts/:accountId/disconnect/: socialaccounts/<id>/disconnect/ on
 * the user's behalf, allauth's validate_disconnect included (400 when it is their only way in).
 */
export const adminDisconnectSocialEndpoint = defineEndpoint({
  handlers: {
    post: async (ctx) => {
      const user = await findTargetUser(ctx)
      await disconnectSocialAccount(ctx, user, routeId(ctx, 'accountId', ctx.options.slugs.socialAccounts))
      return accountResponse(ctx, user.id, { detail: messages.admin.ok })
    },
  },
  access: 'admin',
  metadata: { description: `Disconnects one of the user's social accounts, unless it is their only way in.`, name: 'Admin Disconnect Social Account' },
  path: '/admin/users/:id/social-accounts/:accountId/disconnect',
  responses: accountResponses,
  summary: "Disconnect a user's social account",
})

/**
 * POST admin/users/:id/delete/: what user/delete/ does, on the user's behalf (delete or deactivate by
 * `accountDeletionMode`, in one transaction, with the notice mail); no reauthentication or mailed
 * confirmation of the user's. An admin cannot delete their own account here.
 */
export const adminDeleteUserEndpoint = defineEndpoint({
  handlers: {
    post: async (ctx) => {
      const self = requireUser(ctx)
      const user = await findTargetUser(ctx)
      if (String(user.id) === String(self.id)) {
        throw detailError(403, messages.request.permissionDenied)
      }
      const outcome = await deleteAccount({ by: 'admin', options: ctx.options, req: ctx.req, settings: ctx.settings, user })
      return jsonResponse({ detail: outcome === 'deleted' ? messages.accountDeletion.deleted : messages.accountDeletion.deactivated, outcome })
    },
  },
  access: 'admin',
  metadata: { description: `Deletes (or deactivates) the user's account, as user/delete/ would, and mails them a notice.`, name: 'Admin Delete User' },
  path: '/admin/users/:id/delete',
  responses: {
    200: {
      description: 'The account is deleted or deactivated (by `accountDeletionMode`).',
      schema: objectSchema({
        detail: { enum: [messages.accountDeletion.deleted, messages.accountDeletion.deactivated] },
        outcome: { enum: ['deleted', 'deactivated'] },
      }),
    },
    403: detailResponse('Not an admin, or an admin deleting their own account here.', messages.request.permissionDenied),
    404: detailResponse('No such user.', messages.request.notFound),
  },
  summary: "Delete or deactivate a user's account",
})

/**
 * POST admin/users/:id/reset-mfa/: the user's authenticator app and recovery codes go (a user who
 * lost their phone and their codes), and the user is told by mail. 404 when there was none.
 */
export const adminResetMfaEndpoint = defineEndpoint({
  handlers: {
    post: async (ctx) => {
      const user = await findTargetUser(ctx)
      if (!(await hasActiveAuthenticator({ options: ctx.options, req: ctx.req, userId: user.id }))) {
        throw detailError(404, messages.request.notFound)
      }
      await removeAuthenticators({ options: ctx.options, req: ctx.req, userId: user.id })
      await announceMfaChange({ ...ctx, by: 'admin', notice: 'mfaDeactivated', user })
      return accountResponse(ctx, user.id, { detail: 'ok' })
    },
  },
  access: 'admin',
  metadata: { description: `Removes the user's authenticator app and recovery codes: their logins ask for no code until they enrol again.`, name: 'Admin Reset MFA' },
  path: '/admin/users/:id/reset-mfa',
  responses: accountResponses,
  summary: "Reset a user's two-factor authentication",
})

/** POST admin/settings/secret/: `{"key": "<secret setting>", "value": "…"}` sets a write-only setting; "" clears it. */
export const adminSecretSettingEndpoint = defineEndpoint({
  handlers: {
    post: async (ctx) => {
      const { isSet } = await saveSecretSetting({ data: ctx.data, options: ctx.options, req: ctx.req })
      return jsonResponse({ detail: messages.admin.ok, isSet })
    },
  },
  access: 'admin',
  metadata: { description: `Sets a write-only setting (\`key\`, \`value\`); an empty value clears it.`, name: 'Admin Secret Setting' },
  path: '/admin/settings/secret',
  responses: { 200: { description: 'Saved.', schema: objectSchema({ detail: { const: messages.admin.ok }, isSet: { type: 'boolean' } }) }, 400: fieldErrorsResponse },
  summary: 'Set or clear a write-only setting',
})

export const adminEndpoints: AnyEndpoint[] = [
  adminEndpointListEndpoint,
  adminSecretSettingEndpoint,
  adminUserAccountEndpoint,
  adminRevokeTokensEndpoint,
  adminVerifyEmailEndpoint,
  adminResendConfirmationEndpoint,
  adminDisconnectSocialEndpoint,
  adminDeleteUserEndpoint,
  adminResetMfaEndpoint,
]
