import type { RestAuthSettings } from '../types.js'
import type { Schema } from '../http/fields.js'

import { clearSessionCookie, startSession } from '../auth/sessionCookies.js'
import { messages } from '../errors/messages.js'
import { fieldErrors } from '../errors/RestAuthError.js'
import { defineEndpoint, requireUser } from '../http/defineEndpoint.js'
import { requireValidFields } from '../http/fields.js'
import { describeFields } from '../http/metadata.js'
import { jsonResponse } from '../http/responses.js'
import { readCookie } from '../http/cookies.js'
import { clearJwtCookies } from '../jwt/cookies.js'
import { renewJwtCookies } from '../jwt/login.js'
import { revokeUserRefreshTokens } from '../jwt/outstandingTokens.js'
import { checkNewPassword } from '../passwords/checkNewPassword.js'
import { verifyPassword } from '../passwords/verifyPassword.js'
import { getRequestAuth, markSessionUsed } from '../strategies/requestAuth.js'
import { revokeTokenKey, revokeUserTokens } from '../tokens/tokenStore.js'
import { findUserById, withoutSecrets } from '../users/findUser.js'
import { setPassword } from '../users/setPassword.js'
import { withTransaction } from '../utilities/withTransaction.js'

const PASSWORD_MAX = 128

/** PasswordChangeSerializer's fields; old_password only with OLD_PASSWORD_FIELD_ENABLED. */
const passwordChangeFields = (settings: RestAuthSettings): Schema => ({
  ...(settings.oldPasswordFieldEnabled ? { old_password: { maxLength: PASSWORD_MAX, required: true } } : {}),
  new_password1: { maxLength: PASSWORD_MAX, required: true },
  new_password2: { maxLength: PASSWORD_MAX, required: true },
})

/**
 * POST password/change/. As Django, other sessions end and the current one is renewed (a browser on
 * JWT cookies gets fresh ones; refresh tokens held elsewhere are revoked); with
 * LOGOUT_ON_PASSWORD_CHANGE the current session ends and the token that made the request is revoked
 * (dj-rest-auth leaves that token valid).
 */
export const passwordChangeEndpoint = defineEndpoint({
  handlers: {
    post: async (ctx) => {
      const authUser = requireUser(ctx)
      const { data, options, req, settings } = ctx
      const values = requireValidFields(data, passwordChangeFields(settings))
      const user = await findUserById({ id: authUser.id, options, req })
      if (!user) {
        throw fieldErrors({ non_field_errors: [messages.userInactive] })
      }
      if (settings.oldPasswordFieldEnabled) {
        const { isMatch } = await verifyPassword({ password: values.old_password ?? '', settings, user })
        if (!isMatch) {
          throw fieldErrors({ old_password: [messages.oldPasswordIncorrect] })
        }
      }
      const problems = checkNewPassword({
        password1: values.new_password1!,
        password2: values.new_password2!,
        settings,
        user,
      })
      if (problems.length > 0) {
        throw fieldErrors({ new_password2: problems })
      }
      const { credential } = getRequestAuth(req)
      const cookies: string[] = []
      await withTransaction(req, async () => {
        await setPassword({ options, password: values.new_password1!, req, userId: user.id })
        await revokeUserTokens({ kind: 'session', options, req, userId: user.id })
        await revokeUserRefreshTokens({ options, req, userId: user.id })
        if (settings.logoutOnPasswordChange) {
          if (credential?.kind === 'token' && credential.key) {
            await revokeTokenKey({ key: credential.key, options, req })
          }
          if (credential?.kind === 'session') {
            cookies.push(clearSessionCookie(settings))
          }
          if (credential?.kind === 'jwt') {
            cookies.push(...clearJwtCookies(settings))
          }
        } else if (credential?.kind === 'session') {
          cookies.push(...(await startSession({ options, req, settings, userId: user.id })))
        } else if (credential?.kind === 'jwt' && settings.jwtAuthCookie && readCookie(req.headers, settings.jwtAuthCookie)) {
          cookies.push(...(await renewJwtCookies(ctx, withoutSecrets(user))))
        }
      })
      if (!settings.logoutOnPasswordChange) {
        // Django's update_session_auth_hash cycles the session's key.
        markSessionUsed(req)
      }
      return jsonResponse({ detail: messages.passwordSaved }, { cookies })
    },
  },
  isAuthenticationRequired: true,
  metadata: {
    actions: ({ settings }) => ({ POST: describeFields(passwordChangeFields(settings)) }),
    description: `Calls Django Auth SetPasswordForm save method.

Accepts the following POST parameters: new_password1, new_password2
Returns the success/fail message.`,
    name: 'Password Change',
  },
  path: '/password/change',
})
