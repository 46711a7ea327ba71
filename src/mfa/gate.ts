import type { ResponseSpec } from '../http/contract.js'
import type { LoginContext } from '../jwt/login.js'
import type { AuthMethod } from '../sessions/types.js'
import type { RestAuthUser } from '../types.js'

import { usersCollectionUser } from '../collections/access.js'
import { messages } from '../errors/messages.js'
import { startFlow } from '../flows/flowStore.js'
import { objectSchema } from '../http/contract.js'
import { jsonResponse } from '../http/responses.js'
import { authenticatorTypes } from './authenticators.js'
import { hasSecondFactor } from './loginFactors.js'
import { listCredentials } from '../webauthn/credentials.js'

/** The auth-flows kind of a login waiting for its second factor. */
export const MFA_LOGIN_FLOW = 'mfa_login'

/** The gate's answer, for the OpenAPI document of every first-factor route (login/, <provider>/). */
export const mfaRequiredResponse: ResponseSpec = {
  description: 'The user has two-factor authentication: no credential yet; complete the login at mfa/authenticate/ with the mfa_token.',
  schema: objectSchema({
    code: { const: 'mfa_required' },
    detail: { const: messages.mfa.required },
    expires_in: { type: 'integer' },
    flows: {
      type: 'array',
      items: objectSchema({
        id: { const: 'mfa_authenticate' },
        is_pending: { const: true },
        types: { type: 'array', items: { enum: ['totp', 'recovery_codes', 'webauthn'] } },
      }),
    },
    mfa_token: { type: 'string' },
  }),
}

/** What completeLogin does once the second factor is given, kept with the pending login. */
export type PendingLogin = { issueToken: boolean; methods: AuthMethod[]; status: number }

/**
 * The second-factor gate, called by completeLogin before any credential is made: a user with an
 * active authenticator who has given only a first factor gets no key, JWT or cookie, but a pending
 * login (src/flows/flowStore.ts) and a 401 naming it, which mfa/authenticate/ completes. 401 rather
 * than 200 so a dj-rest-auth client that knows nothing of it fails visibly instead of reading a
 * missing key. A request already authenticated as the user (connecting a provider) passed the gate
 * when its credential was issued. Null: the login may go on.
 */
export const secondFactorGate = async (
  ctx: LoginContext,
  user: RestAuthUser,
  { issueToken, methods, status }: PendingLogin,
): Promise<null | Response> => {
  const { options, req, settings } = ctx
  const current = usersCollectionUser(options, req)
  if (hasSecondFactor(methods) || (current && String(current.id) === String(user.id))) {
    return null
  }
  const types: string[] = await authenticatorTypes({ options, req, userId: user.id })
  if (types.length === 0) {
    return null
  }
  // A passkey is a second factor too (mfa/webauthn/), for a user whose authenticator app turned the gate on.
  if (settings.webauthnEnabled && (await listCredentials({ options, req, userId: user.id })).length > 0) {
    types.push('webauthn')
  }
  const pending: PendingLogin = { issueToken, methods, status }
  const { token } = await startFlow({
    data: pending,
    kind: MFA_LOGIN_FLOW,
    maxAttempts: settings.mfaMaxAttempts,
    options,
    req,
    ttlSeconds: settings.mfaLoginTimeout,
    userId: user.id,
  })
  return jsonResponse(
    {
      code: 'mfa_required',
      detail: messages.mfa.required,
      expires_in: settings.mfaLoginTimeout,
      flows: [{ id: 'mfa_authenticate', is_pending: true, types }],
      mfa_token: token,
    },
    { status: 401 },
  )
}
