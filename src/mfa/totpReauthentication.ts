import type { ReauthenticationMethod } from '../auth/reauthentication/types.js'
import type { Schema } from '../http/fields.js'

import { messages } from '../errors/messages.js'
import { fieldErrors } from '../errors/RestAuthError.js'
import { requireValidFields } from '../http/fields.js'
import { checkThrottle } from '../throttling/checkThrottle.js'
import { hasActiveAuthenticator } from './authenticators.js'
import { useSecondFactor } from './useSecondFactor.js'

const codeFields = { code: { maxLength: 64, required: true } } satisfies Schema

/**
 * `POST reauthenticate/ {"code"}` (allauth's `mfa/reauthenticate`): a current code of the user's
 * authenticator app, or an unused recovery code, each used up as at login. Guesses count against
 * mfa/authenticate/'s per-account limit, so a stolen token does not buy unlimited tries.
 */
export const totpReauthentication: ReauthenticationMethod = {
  fields: codeFields,
  id: 'totp',
  isAvailable: async ({ ctx, user }) => hasActiveAuthenticator({ options: ctx.options, req: ctx.req, userId: user.id }),
  isChosen: (data) => 'code' in data,
  verify: async ({ ctx, user }) => {
    const { options, req, settings } = ctx
    const { code } = requireValidFields(ctx.data, codeFields)
    await checkThrottle({ account: `user:${user.id}`, data: ctx.data, options, req, scope: 'mfa', settings })
    const used = await useSecondFactor({ code: code!, options, req, settings, userId: user.id })
    if (!used) {
      throw fieldErrors({ code: [messages.mfa.incorrectCode] })
    }
    return { method: used }
  },
}
