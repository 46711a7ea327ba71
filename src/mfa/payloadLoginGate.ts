import type { PayloadRequest } from 'payload'

import { APIError } from 'payload'

import type { RestAuthSettings, RestAuthUser, SanitizedRestAuthOptions } from '../types.js'

import { messages } from '../errors/messages.js'
import { RestAuthError } from '../errors/RestAuthError.js'
import { checkThrottle } from '../throttling/checkThrottle.js'
import { authenticatorTypes } from './authenticators.js'
import { useSecondFactor } from './useSecondFactor.js'

const CODE_CONTEXT_KEY = 'restAuthMfaCode'
/** The user whose second factor this request has checked already (reset-password checks it before its login). */
const PASSED_CONTEXT_KEY = 'restAuthMfaPassed'
/** Which second factor that was, for the security log. */
const METHOD_CONTEXT_KEY = 'restAuthMfaMethod'

/**
 * Payload's login may carry the second factor as `code`: in the operation's data (`payload.login`)
 * or in the request body (the REST route passes only the credentials on). Kept for the check after
 * the password.
 */
export const rememberLoginCode = (req: PayloadRequest, data: Record<string, unknown>): void => {
  const code = data.code ?? (req.data as Record<string, unknown> | undefined)?.code
  if (typeof code === 'string') {
    ;(req.context as Record<string, unknown>)[CODE_CONTEXT_KEY] = code
  }
}

/** The second factor this request's Payload login passed with (`totp`, `recovery_codes`), if it needed one. */
export const secondFactorUsed = (req: PayloadRequest): string | undefined => {
  const method = (req.context as Record<string, unknown>)[METHOD_CONTEXT_KEY]
  return typeof method === 'string' ? method : undefined
}

/** A refusal Payload's REST and GraphQL routes answer with its status and words. */
export class SecondFactorError extends APIError {
  constructor(message: string, status: number, data?: Record<string, unknown>) {
    super(message, status, data, true)
  }
}

/**
 * Payload's own logins (`/api/<users>/login`, GraphQL, `payload.login`, and the logins that end its
 * reset-password, checked before it writes the password) are gated like the plugin's: a user with an
 * authenticator gets a Payload session only with a current TOTP code or an unused recovery code in the
 * login's `code`. The check counts
 * against the same per-account limit as mfa/authenticate/; a wrong code also leaves the failure the
 * login counted (src/collections/Users/payloadLogin.ts), so the login back-off applies.
 */
export const requireSecondFactorForPayload = async ({
  options,
  req,
  settings,
  user,
}: {
  options: SanitizedRestAuthOptions
  req: PayloadRequest
  settings: RestAuthSettings
  user: RestAuthUser
}): Promise<void> => {
  // Read and written on req.context each time: Payload replaces the object while a hook awaits.
  const context = () => req.context as Record<string, unknown>
  if (context()[PASSED_CONTEXT_KEY] === String(user.id)) {
    return
  }
  const types = await authenticatorTypes({ options, req, userId: user.id })
  if (types.length === 0) {
    return
  }
  const code = context()[CODE_CONTEXT_KEY]
  if (typeof code !== 'string' || code.trim() === '') {
    throw new SecondFactorError(messages.mfa.required, 401, { code: 'mfa_required', types })
  }
  try {
    await checkThrottle({ account: `user:${user.id}`, data: {}, options, req, scope: 'mfa', settings })
  } catch (err) {
    if (err instanceof RestAuthError) {
      throw new SecondFactorError(err.message, err.status)
    }
    throw err
  }
  const method = await useSecondFactor({ code, options, req, settings, userId: user.id })
  if (!method) {
    throw new SecondFactorError(messages.mfa.incorrectCode, 401, { code: 'mfa_incorrect_code' })
  }
  context()[PASSED_CONTEXT_KEY] = String(user.id)
  context()[METHOD_CONTEXT_KEY] = method
}
