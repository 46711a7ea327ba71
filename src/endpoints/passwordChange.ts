import type { RestAuthSettings } from '../types.js'
import type { Schema } from '../http/fields.js'

import { clearJwtCookies, clearSessionCookie } from '../auth/cookies.js'
import { startSession } from '../auth/sessionCookies.js'
import { messages } from '../errors/messages.js'
import { fieldErrors } from '../errors/RestAuthError.js'
import { defineEndpoint, requireUser } from '../http/defineEndpoint.js'
import { detailResponse, fieldErrorsResponse } from '../http/contract.js'
import { describeFields } from '../http/metadata.js'
import { jsonResponse } from '../http/responses.js'
import { readCookie } from '../http/cookies.js'
import { renewJwtCookies } from '../jwt/login.js'
import { checkNewPassword } from '../passwords/checkNewPassword.js'
import { verifyPassword } from '../passwords/verifyPassword.js'
import { getRequestAuth, markSessionUsed } from '../strategies/requestAuth.js'
import { findUserById, withoutSecrets } from '../users/findUser.js'
import { setPassword } from '../users/setPassword.js'
import { withTransaction } from '../utilities/withTransaction.js'

const PASSWORD_MAX = 128

/** PasswordChangeSerializer's fields; old_password only with OLD_PASSWORD_FIELD_ENABLED. */
const passwordChangeFields = ({ settings }: { settings: RestAuthSettings }) =>
  ({
    ...(settings.oldPasswordFieldEnabled ? { old_password: { maxLength: PASSWORD_MAX, required: true } } : {}),
    new_password1: { maxLength: PASSWORD_MAX, required: true },
    new_password2: { maxLength: PASSWORD_MAX, required: true },
  }) as { new_password1: { required: true }; new_password2: { required: true }; old_password?: { required: true } } & Schema

/**
 * POST password/change/. Every other token, session and refresh token of the user is revoked; the
 * current session is renewed (a browser on JWT cookies gets fresh ones) and the token that made the
 * request stays, as Django keeps the session that changed the password. With
 * LOGOUT_ON_PASSWORD_CHANGE the current session ends and that token is revoked too (dj-rest-auth
 * leaves every token valid).
 */
export const passwordChangeEndpoint = defineEndpoint({
  access: 'user',
  body: { fields: passwordChangeFields },
  handlers: {
    post: async (ctx) => {
      const authUser = requireUser(ctx)
      const { body: values, options, req, settings } = ctx
      const user = await findUserById({ id: authUser.id, options, req })
      if (!user) {
        throw fieldErrors({ non_field_errors: [messages.auth.userInactive] })
      }
      if (settings.oldPasswordFieldEnabled) {
        const { isMatch } = await verifyPassword({ password: values.old_password ?? '', settings, user })
        if (!isMatch) {
          throw fieldErrors({ old_password: [messages.account.oldPasswordIncorrect] })
        }
      }
      const problems = checkNewPassword({
        password1: values.new_password1,
        password2: values.new_password2,
        settings,
        user,
      })
      if (problems.length > 0) {
        throw fieldErrors({ new_password2: problems })
      }
      const { credential } = getRequestAuth(req)
      const cookies: string[] = []
      // The new hash revokes every other credential of the user (credentialRevocation.ts); the
      // token that asked stays unless LOGOUT_ON_PASSWORD_CHANGE, as in Django.
      const keepTokenId = credential?.kind === 'token' && !settings.logoutOnPasswordChange ? credential.tokenId : undefined
      const hasJwtCookie = credential?.kind === 'jwt' && Boolean(settings.jwtAuthCookie && readCookie(req.headers, settings.jwtAuthCookie))
      // The login that asked goes on when its credential does (kept, or renewed below).
      const keepSessionId =
        !settings.logoutOnPasswordChange && (credential?.kind !== 'jwt' || hasJwtCookie) ? credential?.sessionId : undefined
      await withTransaction(req, async () => {
        await setPassword({ keepSessionId, keepTokenId, options, password: values.new_password1, req, userId: user.id })
        if (settings.logoutOnPasswordChange) {
          if (credential?.kind === 'session') {
            cookies.push(clearSessionCookie(settings))
          }
          if (credential?.kind === 'jwt') {
            cookies.push(...clearJwtCookies(settings))
          }
        } else if (credential?.kind === 'session') {
          cookies.push(...(await startSession({ options, req, sessionId: keepSessionId, settings, userId: user.id })))
        } else if (hasJwtCookie) {
          cookies.push(...(await renewJwtCookies(ctx, withoutSecrets(user), keepSessionId)))
        }
      })
      if (!settings.logoutOnPasswordChange) {
        // Django's update_session_auth_hash cycles the session's key.
        markSessionUsed(req)
      }
      return jsonResponse({ detail: messages.account.passwordSaved }, { cookies })
    },
  },
  metadata: {
    actions: (args) => ({ POST: describeFields(passwordChangeFields(args)) }),
    description: `Calls Django Auth SetPasswordForm save method.

Accepts the following POST parameters: new_password1, new_password2
Returns the success/fail message.`,
    name: 'Password Change',
  },
  path: '/password/change',
  responses: {
    200: { ...detailResponse('The password is changed.', messages.account.passwordSaved), headers: ['Set-Cookie'] },
    400: fieldErrorsResponse,
  },
  summary: "Change the user's password",
})
