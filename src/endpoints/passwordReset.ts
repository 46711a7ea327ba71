import type { EndpointContext } from '../http/defineEndpoint.js'
import type { RestAuthUser } from '../types.js'
import type { Schema } from '../http/fields.js'

import { fillTemplate, linkOrigin } from '../email/links.js'
import { sendTemplatedEmail } from '../email/sendTemplatedEmail.js'
import { messages } from '../errors/messages.js'
import { fieldErrors } from '../errors/RestAuthError.js'
import { defineEndpoint } from '../http/defineEndpoint.js'
import { requireValidFields } from '../http/fields.js'
import { describeFields } from '../http/metadata.js'
import { jsonResponse } from '../http/responses.js'
import { checkNewPassword } from '../passwords/checkNewPassword.js'
import { hasUsablePassword } from '../passwords/hashing.js'
import { checkResetToken, makeResetToken } from '../passwordReset/resetTokens.js'
import { findUser, findUserById, normalizeIdentifier, type UserWithSecrets } from '../users/findUser.js'
import { setPassword } from '../users/setPassword.js'
import { decodeUid, encodeUid } from '../utilities/uid.js'
import { afterResponse } from '../utilities/afterResponse.js'
import { withTransaction } from '../utilities/withTransaction.js'

const PASSWORD_MAX = 128

const passwordResetFields = { email: { kind: 'email', required: true } } satisfies Schema

/** PasswordResetConfirmSerializer's fields, in its order. */
const passwordResetConfirmFields = {
  new_password1: { maxLength: PASSWORD_MAX, required: true },
  new_password2: { maxLength: PASSWORD_MAX, required: true },
  uid: { required: true },
  token: { required: true },
} satisfies Schema
const DEFAULT_CONFIRM_URL = '{origin}/password-reset/confirm/{uid}/{token}/'

const sendResetMail = async (ctx: EndpointContext, user: UserWithSecrets): Promise<void> => {
  const { options, req, settings } = ctx
  const origin = linkOrigin(req, settings, { useSiteDomain: settings.passwordResetUseSitesDomain })
  const link = fillTemplate(settings.passwordResetConfirmUrl || DEFAULT_CONFIRM_URL, {
    domain: settings.siteDomain,
    origin,
    token: makeResetToken(req.payload, user),
    uid: encodeUid(user.id),
  })
  await sendTemplatedEmail({
    context: {
      link,
      siteDomain: settings.siteDomain,
      siteName: settings.siteName,
      user: { email: user.email!, first_name: user.first_name, username: user.username ?? '' },
    },
    kind: 'password reset',
    req,
    template: options.emailTemplates.passwordReset,
  })
}

/**
 * POST password/reset/: the same answer for every well-formed address. The mail goes out after
 * the answer, so known and unknown addresses take the same time.
 */
export const passwordResetEndpoint = defineEndpoint({
  handlers: {
    post: async (ctx) => {
      const { email } = requireValidFields(ctx.data, passwordResetFields)
      const user = await findUser({
        options: ctx.options,
        req: ctx.req,
        where: { email: { equals: normalizeIdentifier(email!) } },
      })
      if (user && user.is_active !== false && hasUsablePassword(user)) {
        afterResponse(() => sendResetMail(ctx, user))
      }
      return jsonResponse({ detail: 'Password reset e-mail has been sent.' })
    },
  },
  metadata: {
    actions: () => ({ POST: describeFields(passwordResetFields) }),
    description: `Calls Django Auth PasswordResetForm save method.

Accepts the following POST parameters: email
Returns the success/fail message.`,
    name: 'Password Reset',
  },
  path: '/password/reset',
  throttle: 'passwordReset',
})

/**
 * POST password/reset/confirm/: uid, token, then the new password, in dj-rest-auth's order.
 * Success revokes every token and session of the user (dj-rest-auth leaves them valid).
 */
export const passwordResetConfirmEndpoint = defineEndpoint({
  handlers: {
    post: async ({ data, options, req, settings }) => {
      const values = requireValidFields(data, passwordResetConfirmFields)
      const id = decodeUid(req.payload, options.usersCollection, values.uid!)
      const user = id === null ? null : await findUserById({ id, options, req })
      if (!user) {
        throw fieldErrors({ uid: [messages.invalidValue] })
      }
      if (!checkResetToken(req.payload, user, values.token!, settings.passwordResetTimeout)) {
        throw fieldErrors({ token: [messages.invalidValue] })
      }
      const problems = checkNewPassword({
        password1: values.new_password1!,
        password2: values.new_password2!,
        settings,
        user: user as RestAuthUser,
      })
      if (problems.length > 0) {
        throw fieldErrors({ new_password2: problems })
      }
      // The new hash revokes every token and session of the user (credentialRevocation.ts).
      await withTransaction(req, () => setPassword({ options, password: values.new_password1!, req, userId: user.id }))
      return jsonResponse({ detail: 'Password has been reset with the new password.' })
    },
  },
  metadata: {
    actions: () => ({ POST: describeFields(passwordResetConfirmFields) }),
    description: `Password reset e-mail link is confirmed, therefore
this resets the user's password.

Accepts the following POST parameters: token, uid,
    new_password1, new_password2
Returns the success/fail message.`,
    name: 'Password Reset Confirm',
  },
  path: '/password/reset/confirm',
})
