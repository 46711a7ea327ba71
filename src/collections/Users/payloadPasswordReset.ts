import type { CollectionBeforeOperationHook, PayloadRequest } from 'payload'

import { APIError, UnverifiedEmail, ValidationError } from 'payload'

import type { SanitizedRestAuthOptions } from '../../types.js'
import type { UserWithSecrets } from '../../users/findUser.js'

import { isEmailVerified } from '../../emailAddresses/isEmailVerified.js'
import { rememberLoginCode, requireSecondFactorForPayload } from '../../mfa/payloadLoginGate.js'
import { passwordProblems } from '../../passwords/checkNewPassword.js'
import { hasUsablePassword } from '../../passwords/hashing.js'
import { findUser, normalizeIdentifier } from '../../users/findUser.js'

/*
 * Payload's own forgot-password and reset-password (the admin's "forgot password" pages), held to
 * what `password/reset/` and `password/reset/confirm/` do. Revocation after the reset is in
 * credentialRevocation.ts with every other path.
 */

type Data = Record<string, unknown>

/**
 * forgot-password: as Django's PasswordResetForm, no mail for an inactive account or one without a
 * usable password (a social sign-up). The answer stays Payload's, the same for every address.
 */
const withholdResetMail = async (options: SanitizedRestAuthOptions, args: Data, req: PayloadRequest): Promise<Data> => {
  const data = (args.data ?? {}) as Data
  const identifier = [data.email, data.username].find((value): value is string => typeof value === 'string' && value.trim() !== '')
  if (identifier === undefined) {
    return args
  }
  const field = typeof data.email === 'string' && data.email.trim() !== '' ? 'email' : 'username'
  const user = await findUser({ options, req, where: { [field]: { equals: normalizeIdentifier(identifier) } } })
  return user && (user.is_active === false || !hasUsablePassword(user)) ? { ...args, disableEmail: true } : args
}

/**
 * reset-password: before Payload writes the new hash (it does so outside the change hooks), the new
 * password passes the validators, and an account `login/` would refuse gets no password and no
 * login: inactive (the words of a bad link), unverified under mandatory verification, or with a second
 * factor and no current `code` (the reset logs the user in).
 */
const checkReset = async (options: SanitizedRestAuthOptions, args: Data, req: PayloadRequest): Promise<void> => {
  const data = (args.data ?? {}) as Data
  if (typeof data.token !== 'string' || typeof data.password !== 'string') {
    return
  }
  const user: null | UserWithSecrets = await findUser({
    options,
    req,
    where: { and: [{ resetPasswordToken: { equals: data.token } }, { resetPasswordExpiration: { greater_than: new Date().toISOString() } }] },
  })
  if (!user) {
    return
  }
  if (user.is_active === false) {
    throw new APIError('Token is either invalid or has expired.', 403)
  }
  const settings = await options.settingsStore.get(req.payload)
  if (settings.accountEmailVerification === 'mandatory' && !(await isEmailVerified({ options, req, user }))) {
    throw new UnverifiedEmail({ t: req.t })
  }
  const problems = passwordProblems({ password: data.password, settings, user })
  if (problems.length > 0) {
    throw new ValidationError({ collection: options.usersCollection, errors: problems.map((message) => ({ message, path: 'password' })) }, req.t)
  }
  rememberLoginCode(req, data)
  await requireSecondFactorForPayload({ options, req, settings, user })
}

export const guardPayloadReset =
  (options: SanitizedRestAuthOptions): CollectionBeforeOperationHook =>
  async ({ args, operation, req }) => {
    if (operation === 'forgotPassword') {
      return (await withholdResetMail(options, args as Data, req)) as typeof args
    }
    if (operation === 'resetPassword') {
      await checkReset(options, args as Data, req)
    }
    return args
  }
