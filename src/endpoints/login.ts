import type { Where } from 'payload'

import type { UserWithSecrets } from '../users/findUser.js'
import type { Schema } from '../http/fields.js'

import { completeLogin } from '../auth/completeLogin.js'
import { isEmailVerified } from '../emailAddresses/isEmailVerified.js'
import { recordAuthEvent } from '../events/recordEvent.js'
import { messages } from '../errors/messages.js'
import { nonFieldError } from '../errors/RestAuthError.js'
import { defineEndpoint } from '../http/defineEndpoint.js'
import { loginAnswer, loginStatus } from '../auth/loginAnswer.js'
import { fieldErrorsResponse } from '../http/contract.js'
import { describeFields } from '../http/metadata.js'
import { mfaRequiredResponse } from '../mfa/gate.js'
import { upgradePasswordHash, verifyPassword } from '../passwords/verifyPassword.js'
import { clearLoginFailures, lockoutFor, recordLoginFailure } from '../throttling/loginLockout.js'
import { findUser, withoutSecrets } from '../users/findUser.js'
import { loginIdentifier } from '../users/loginIdentifier.js'

const missingIdentifier: Record<string, string> = {
  email: messages.account.mustIncludeEmail,
  username: messages.account.mustIncludeUsername,
}

/** LoginSerializer's fields, in its order. */
const loginFields = {
  username: { allowBlank: true },
  email: { allowBlank: true, kind: 'email' },
  password: { required: true },
} satisfies Schema

/** POST login/: LoginSerializer with django-allauth's authentication methods. */
export const loginEndpoint = defineEndpoint({
  body: { fields: loginFields },
  handlers: {
    post: async (ctx) => {
      const { body, options, req, settings } = ctx
      const { email, password, username } = body
      const identifier = loginIdentifier({ email, username }, settings.accountAuthenticationMethod)
      if (!identifier) {
        throw nonFieldError(missingIdentifier[settings.accountAuthenticationMethod] ?? messages.account.mustIncludeUsernameOrEmail)
      }
      const where: Where = { [identifier.field]: { equals: identifier.value } }
      // Keyed on the identifier the lookup uses, as the per-account rate limit is (see throttleScopes).
      const account = identifier.value
      const lockout = { account, options, req, settings }
      const locked = await lockoutFor(lockout)
      const user: null | UserWithSecrets = locked ? null : await findUser({ options, req, where })
      // One full password derivation whether or not the account exists (or is locked): no timing oracle.
      const { isMatch, needsUpgrade } = await verifyPassword({ password, settings, user })
      if (locked) {
        throw locked
      }
      if (user && needsUpgrade) {
        // As Django's check_password: a matching password is re-hashed before the account's state is looked at.
        await upgradePasswordHash({ options, password, req, user })
      }
      if (!user || !isMatch || user.is_active === false) {
        await recordLoginFailure(lockout)
        if (user) {
          // Known accounts only: random names must not grow the log (the rate limits bound the rest).
          await recordAuthEvent({ event: { method: 'password', type: 'login_failed', userId: user.id }, options, req, settings })
        }
        throw nonFieldError(messages.account.loginFailed)
      }
      await clearLoginFailures(lockout)
      if (settings.accountEmailVerification === 'mandatory' && !(await isEmailVerified({ options, req, user }))) {
        throw nonFieldError(messages.account.emailNotVerified)
      }
      return completeLogin(ctx, withoutSecrets(user), { methods: [{ method: 'password' }] })
    },
  },
  metadata: {
    actions: () => ({ POST: describeFields(loginFields) }),
    description: `Check the credentials and return the REST Token
if the credentials are valid and authenticated.
Calls Django Auth login method to register User ID
in Django session framework

Accept the following POST parameters: username, password
Return the REST Framework Token Object's key.`,
    name: 'Login',
  },
  path: '/login',
  responses: ({ settings }) => ({ [loginStatus(settings)]: loginAnswer(settings), 400: fieldErrorsResponse, 401: mfaRequiredResponse }),
  summary: 'Log in with a username or e-mail address and a password',
  throttle: 'login',
})
