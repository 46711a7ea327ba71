import type { EndpointContext } from '../http/defineEndpoint.js'
import type { LoginFactors } from '../mfa/loginFactors.js'
import type { RestAuthUser } from '../types.js'

import { emptyResponse, jsonResponse } from '../http/responses.js'
import { jwtLoginResponse } from '../jwt/login.js'
import { secondFactorGate } from '../mfa/gate.js'
import { amrOf } from '../mfa/loginFactors.js'
import { createToken } from '../tokens/tokenStore.js'
import { startSession } from './sessionCookies.js'
import { localApi } from '../utilities/localApi.js'

/**
 * What every successful authentication answers (password login, registration, social login, the
 * second factor): dj-rest-auth's LoginView.get_response. First the second-factor gate: a user with
 * an authenticator who has given one factor gets a pending login instead (src/mfa/gate.ts), so no
 * login path can issue a credential without it. Then records last_login, starts the session when
 * SESSION_LOGIN is on, and answers with a token key — or 204 when token authentication is off.
 */
export const completeLogin = async (
  ctx: EndpointContext,
  user: RestAuthUser,
  {
    factors = { first: 'password' },
    issueToken = true,
    status = 200,
  }: {
    /** How the user authenticated; a first factor alone is stopped by the gate when the user has MFA. */
    factors?: LoginFactors
    /** Registration with SESSION_LOGIN answers 204 with the session only, as dj-rest-auth's RegisterView. */
    issueToken?: boolean
    status?: number
  } = {},
): Promise<Response> => {
  const { options, req, settings } = ctx
  const pending = await secondFactorGate(ctx, user, { factors, issueToken, status })
  if (pending) {
    return pending
  }
  await localApi(req.payload).update({
    collection: options.usersCollection,
    data: { last_login: new Date().toISOString() },
    depth: 0,
    id: user.id,
    overrideAccess: true,
    req,
  })
  const cookies: string[] = []
  if (settings.sessionLogin) {
    cookies.push(...(await startSession({ options, req, settings, userId: user.id })))
  }
  if (settings.useJwt && issueToken) {
    // Only after a second factor: other logins keep simplejwt's exact claim set.
    const authClaims = factors.second ? { amr: amrOf(factors), auth_time: Math.floor(Date.now() / 1000) } : {}
    return jwtLoginResponse(ctx, user, { claims: authClaims, cookies, status })
  }
  if (settings.tokenAuthEnabled && issueToken) {
    const token = await createToken({
      kind: 'token',
      lifetimeSeconds: settings.tokenLifetime,
      options,
      req,
      userId: user.id,
    })
    return jsonResponse({ key: token.key }, { cookies, status })
  }
  return emptyResponse({ cookies })
}
