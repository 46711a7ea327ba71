import type { EndpointContext, RestAuthEndpoint } from '../http/defineEndpoint.js'
import type { RestAuthUser } from '../types.js'

import { messages } from '../errors/messages.js'
import { detailError, fieldErrors } from '../errors/RestAuthError.js'
import { defineEndpoint, requireUser } from '../http/defineEndpoint.js'
import { jsonResponse } from '../http/responses.js'
import { hasActiveAuthenticator, removeAuthenticators } from '../mfa/authenticators.js'
import { sendMfaNotice } from '../mfa/notify.js'
import { disconnectSocialAccount } from '../social/accounts.js'
import {
  findUserById,
  loadUserAccount,
  markEmailVerified,
  resendEmailConfirmation,
  revokeAllUserCredentials,
  revokeRefreshTokenById,
  revokeTokenById,
} from './account.js'
import { loadEndpointList } from './endpointList.js'
import { toDatabaseId } from '../utilities/databaseId.js'
import { saveSecretSetting } from './secrets.js'

/**
 * Admin-only routes behind the admin screens, under `/api/<prefix>/admin/`. Each action runs the
 * same functions as the public API (token revocation, confirmation mails, the verify-email update).
 */

/** 403 unless an admin (`isAdmin`) calls; a browser's cross-site request is refused whatever its cookies. */
const requireAdmin = (ctx: EndpointContext): RestAuthUser => {
  if (ctx.req.headers.get('sec-fetch-site') === 'cross-site') {
    throw detailError(403, messages.permissionDenied)
  }
  const user = requireUser(ctx)
  if (!ctx.options.isAdmin({ req: ctx.req, user })) {
    throw detailError(403, messages.permissionDenied)
  }
  return user
}

/** A route parameter as an id of `collection`; 404 when no document of it can have that id. */
const routeId = (ctx: EndpointContext, name: string, collection: string): number | string => {
  const id = toDatabaseId(ctx.req.payload, collection, (ctx.req.routeParams as Record<string, unknown> | undefined)?.[name])
  if (id === null) {
    throw detailError(404, messages.notFound)
  }
  return id
}

/** The user named by `:id`, 404 when there is none. */
const findTargetUser = async (ctx: EndpointContext): Promise<RestAuthUser> => {
  requireAdmin(ctx)
  const user = await findUserById({ options: ctx.options, req: ctx.req, userId: routeId(ctx, 'id', ctx.options.usersCollection) })
  if (!user) {
    throw detailError(404, messages.notFound)
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
    throw fieldErrors({ [name]: [messages.invalidValue] })
  }
  return id
}

/** GET admin/endpoints/: the routes the saved settings enable, for the settings screen. */
export const adminEndpointListEndpoint = defineEndpoint({
  handlers: {
    get: async (ctx) => {
      requireAdmin(ctx)
      return jsonResponse({ endpoints: await loadEndpointList({ options: ctx.options, req: ctx.req }) })
    },
  },
  isAuthenticationRequired: true,
  metadata: { description: `The routes of the API and whether the saved settings enable them, for the settings screen.`, name: 'Admin Endpoint List' },
  path: '/admin/endpoints',
})

/** GET admin/users/:id/account/: addresses, social accounts, active tokens. */
export const adminUserAccountEndpoint = defineEndpoint({
  handlers: {
    get: async (ctx) => accountResponse(ctx, await targetUser(ctx)),
  },
  isAuthenticationRequired: true,
  metadata: { description: `A user's e-mail addresses, social accounts and active tokens.`, name: 'Admin User Account' },
  path: '/admin/users/:id/account',
})

/**
 * POST admin/users/:id/revoke-tokens/: `{"token": <id>}` revokes one API token or session,
 * `{"refresh": <id>}` blacklists one JWT refresh token, an empty body revokes everything.
 */
export const adminRevokeTokensEndpoint = defineEndpoint({
  handlers: {
    post: async (ctx) => {
      const userId = await targetUser(ctx)
      const tokenId = optionalId(ctx, 'token', ctx.options.slugs.tokens)
      const refreshId = optionalId(ctx, 'refresh', ctx.options.slugs.outstandingTokens)
      const { options, req } = ctx
      if (tokenId !== null) {
        if (!(await revokeTokenById({ options, req, tokenId, userId }))) {
          throw detailError(404, messages.notFound)
        }
      } else if (refreshId !== null) {
        if (!(await revokeRefreshTokenById({ options, refreshId, req, userId }))) {
          throw detailError(404, messages.notFound)
        }
      } else {
        await revokeAllUserCredentials({ options, req, userId })
      }
      return accountResponse(ctx, userId, { detail: 'ok' })
    },
  },
  isAuthenticationRequired: true,
  metadata: { description: `Revokes one API token or session (\`token\`), blacklists one JWT refresh token (\`refresh\`),
or, with an empty body, revokes all of the user's credentials.`, name: 'Admin Revoke Tokens' },
  path: '/admin/users/:id/revoke-tokens',
})

/** POST admin/users/:id/email-addresses/:addressId/verify/ */
export const adminVerifyEmailEndpoint = defineEndpoint({
  handlers: {
    post: async (ctx) => {
      const userId = await targetUser(ctx)
      const address = await markEmailVerified({ addressId: routeId(ctx, 'addressId', ctx.options.slugs.emailAddresses), options: ctx.options, req: ctx.req, userId })
      if (!address) {
        throw detailError(404, messages.notFound)
      }
      return accountResponse(ctx, userId, { detail: 'ok' })
    },
  },
  isAuthenticationRequired: true,
  metadata: { description: `Marks one of the user's e-mail addresses verified.`, name: 'Admin Verify Email' },
  path: '/admin/users/:id/email-addresses/:addressId/verify',
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
        throw detailError(404, messages.notFound)
      }
      if (!result.isSent) {
        throw detailError(502, 'The confirmation e-mail could not be sent.')
      }
      return accountResponse(ctx, userId, { detail: 'ok' })
    },
  },
  isAuthenticationRequired: true,
  metadata: { description: `Sends the confirmation mail of one of the user's e-mail addresses again.`, name: 'Admin Resend Confirmation' },
  path: '/admin/users/:id/email-addresses/:addressId/resend-confirmation',
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
      return accountResponse(ctx, user.id, { detail: 'ok' })
    },
  },
  isAuthenticationRequired: true,
  metadata: { description: `Disconnects one of the user's social accounts, unless it is their only way in.`, name: 'Admin Disconnect Social Account' },
  path: '/admin/users/:id/social-accounts/:accountId/disconnect',
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
        throw detailError(404, messages.notFound)
      }
      await removeAuthenticators({ options: ctx.options, req: ctx.req, userId: user.id })
      await sendMfaNotice({ ...ctx, notice: 'mfaDeactivated', user })
      return accountResponse(ctx, user.id, { detail: 'ok' })
    },
  },
  isAuthenticationRequired: true,
  metadata: { description: `Removes the user's authenticator app and recovery codes: their logins ask for no code until they enrol again.`, name: 'Admin Reset MFA' },
  path: '/admin/users/:id/reset-mfa',
})

/** POST admin/settings/secret/: `{"key": "<secret setting>", "value": "…"}` sets a write-only setting; "" clears it. */
export const adminSecretSettingEndpoint = defineEndpoint({
  handlers: {
    post: async (ctx) => {
      requireAdmin(ctx)
      const { isSet } = await saveSecretSetting({ data: ctx.data, options: ctx.options, req: ctx.req })
      return jsonResponse({ detail: 'ok', isSet })
    },
  },
  isAuthenticationRequired: true,
  metadata: { description: `Sets a write-only setting (\`key\`, \`value\`); an empty value clears it.`, name: 'Admin Secret Setting' },
  path: '/admin/settings/secret',
})

export const adminEndpoints: RestAuthEndpoint[] = [
  adminEndpointListEndpoint,
  adminSecretSettingEndpoint,
  adminUserAccountEndpoint,
  adminRevokeTokensEndpoint,
  adminVerifyEmailEndpoint,
  adminResendConfirmationEndpoint,
  adminDisconnectSocialEndpoint,
  adminResetMfaEndpoint,
]
