import type { ResponseSpec } from '../http/contract.js'
import type { EndpointContext } from '../http/defineEndpoint.js'
import type { Flow } from '../flows/flowStore.js'
import type { RestAuthUser } from '../types.js'
import type { AuthMethod } from '../sessions/types.js'
import type { PendingLogin } from './gate.js'

import { completeLogin } from '../auth/completeLogin.js'
import { messages } from '../errors/messages.js'
import { detailError } from '../errors/RestAuthError.js'
import { consumeFlow, findFlow, reserveAttempt } from '../flows/flowStore.js'
import { objectSchema } from '../http/contract.js'
import { checkThrottle } from '../throttling/checkThrottle.js'
import { findUserById, withoutSecrets } from '../users/findUser.js'
import { MFA_LOGIN_FLOW } from './gate.js'

/** Unknown, used, expired or out of attempts: the client must log in again. */
export const pendingLoginExpired = () => detailError(401, messages.mfa.loginExpired, { code: 'mfa_login_expired' })

export const pendingLoginExpiredResponse: ResponseSpec = {
  description: 'The mfa_token is unknown, expired, out of attempts or used: log in again.',
  schema: objectSchema({ code: { const: 'mfa_login_expired' }, detail: { const: messages.mfa.loginExpired } }),
}

/**
 * The first half of completing a login that waits for its second factor, whatever the factor (a
 * code, a passkey): the pending login by its `mfa_token`, the per-account throttle (an attacker
 * with the password starts new logins to get new attempts), one attempt taken atomically before any
 * check, and its user, still active.
 */
export const takePendingLoginAttempt = async (
  ctx: EndpointContext<unknown>,
  token: string,
): Promise<{ flow: Flow; user: RestAuthUser }> => {
  const { options, req, settings } = ctx
  const found = await findFlow({ kind: MFA_LOGIN_FLOW, options, req, token })
  if (found.status !== 'ok' || found.flow.user == null) {
    throw pendingLoginExpired()
  }
  await checkThrottle({ account: `user:${found.flow.user}`, data: ctx.data, options, req, scope: 'mfa', settings })
  const { lookup } = await reserveAttempt({ kind: MFA_LOGIN_FLOW, options, req, token })
  if (lookup.status !== 'ok') {
    throw pendingLoginExpired()
  }
  const user = await findUserById({ id: lookup.flow.user!, options, req })
  if (!user || user.is_active === false) {
    throw pendingLoginExpired()
  }
  return { flow: lookup.flow, user }
}

/** The second half, once the factor is proved: the pending login is used up (once), then answered as the login it completes. */
export const completePendingLogin = async (
  ctx: EndpointContext<unknown>,
  { flow, method, user }: { flow: Flow; method: AuthMethod['method']; user: RestAuthUser },
): Promise<Response> => {
  if (!(await consumeFlow({ flow, options: ctx.options, req: ctx.req }))) {
    throw pendingLoginExpired()
  }
  const pending = flow.data as PendingLogin
  return completeLogin(ctx, withoutSecrets(user), {
    issueToken: pending.issueToken,
    methods: [...pending.methods, { method } as AuthMethod],
    status: pending.status,
  })
}
