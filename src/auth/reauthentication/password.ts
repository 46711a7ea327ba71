import type { Schema } from '../../http/fields.js'
import type { ReauthenticationMethod } from './types.js'

import { messages } from '../../errors/messages.js'
import { fieldErrors } from '../../errors/RestAuthError.js'
import { requireValidFields } from '../../http/fields.js'
import { hasUsablePassword } from '../../passwords/hashing.js'
import { verifyPassword } from '../../passwords/verifyPassword.js'
import { clearLoginFailures, lockoutFor, recordLoginFailure } from '../../throttling/loginLockout.js'
import { findUserById } from '../../users/findUser.js'

const passwordFields = { password: { maxLength: 4096, required: true } } satisfies Schema

/**
 * allauth's `POST auth/reauthenticate` with `{"password"}`. Wrong passwords count against the
 * login back-off (per user and client address), so a stolen token does not buy unlimited guesses.
 */
export const passwordReauthentication: ReauthenticationMethod = {
  fields: passwordFields,
  id: 'password',
  isAvailable: async ({ ctx, user }) => {
    const withSecrets = await findUserById({ id: user.id, options: ctx.options, req: ctx.req })
    return Boolean(withSecrets && hasUsablePassword(withSecrets))
  },
  isChosen: (data) => 'password' in data,
  verify: async ({ ctx, user }) => {
    const { options, req, settings } = ctx
    const { password } = requireValidFields(ctx.data, passwordFields)
    const lockout = { account: `reauthenticate:${String(user.id)}`, options, req, settings }
    const locked = await lockoutFor(lockout)
    const withSecrets = locked ? null : await findUserById({ id: user.id, options, req })
    const { isMatch } = await verifyPassword({ password: password!, settings, user: withSecrets })
    if (locked) {
      throw locked
    }
    if (!isMatch) {
      await recordLoginFailure(lockout)
      throw fieldErrors({ password: [messages.reauthentication.incorrectPassword] })
    }
    await clearLoginFailures(lockout)
    return { method: 'password' }
  },
}
