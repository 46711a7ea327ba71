import type { SessionKind } from '../collections/AuthSessions/index.js'
import type { LoginContext } from '../jwt/login.js'
import type { AuthMethod } from '../sessions/types.js'
import type { RestAuthSettings, RestAuthUser } from '../types.js'

import { emptyResponse, jsonResponse } from '../http/responses.js'
import { recordAuthEvent } from '../events/recordEvent.js'
import { jwtLoginResponse } from '../jwt/login.js'
import { secondFactorGate } from '../mfa/gate.js'
import { amrOf, hasSecondFactor } from '../mfa/loginFactors.js'
import { enforceMaxSessions } from '../sessions/maxSessions.js'
import { createAuthSession } from '../sessions/sessionStore.js'
import { createToken } from '../tokens/tokenStore.js'
import { localApi } from '../utilities/localApi.js'
import { startSession } from './sessionCookies.js'

export type { AuthMethod } from '../sessions/types.js'

export type CompleteLoginOptions = {
  /** Registration with SESSION_LOGIN answers 204 with the session only, as dj-rest-auth's RegisterView. */
  issueToken?: boolean
  /**
   * How the user proved who they are, in order (`[{ method: 'password' }]`, `[{ method: 'social',
   * provider: 'google' }]`, a password then `{ method: 'totp' }`…): recorded on the login's session.
   */
  methods: AuthMethod[]
  status?: number
}

/** The credentials a login issues under the settings. */
const kindsIssued = (settings: RestAuthSettings, issueToken: boolean): SessionKind[] => [
  ...(settings.sessionLogin ? (['session'] as const) : []),
  ...(issueToken && settings.useJwt ? (['jwt'] as const) : []),
  ...(issueToken && !settings.useJwt && settings.tokenAuthEnabled ? (['token'] as const) : []),
]

/**
 * What every successful authentication answers (password login, registration, social login, and
 * every later way in): dj-rest-auth's LoginView.get_response. The one place credentials are issued.
 * First the second-factor gate: a user with an authenticator who has given only a first factor gets
 * a pending login instead (src/mfa/gate.ts), so no way in can issue a credential without it. Then
 * records last_login and the login itself (an auth-sessions row with the methods used, which the
 * credentials point to), starts the session when SESSION_LOGIN is on, and answers with a token key,
 * the JWT body — or 204 when token authentication is off.
 */
export const completeLogin = async (
  ctx: LoginContext,
  user: RestAuthUser,
  { issueToken = true, methods, status = 200 }: CompleteLoginOptions,
): Promise<Response> => {
  const { options, req, settings } = ctx
  const pending = await secondFactorGate(ctx, user, { issueToken, methods, status })
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
  const kinds = kindsIssued(settings, issueToken)
  const sessionId = kinds.length > 0 ? await createAuthSession({ kinds, methods, options, req, settings, userId: user.id }) : undefined
  if (sessionId) {
    await enforceMaxSessions({ keepPublicId: sessionId, options, req, settings, userId: user.id })
  }
  await recordAuthEvent({
    event: { detail: { methods }, method: methods.map((used) => used.method).join('+'), sessionId, type: 'login', userId: user.id },
    options,
    req,
    settings,
  })
  const cookies: string[] = []
  if (settings.sessionLogin) {
    cookies.push(...(await startSession({ options, req, sessionId, settings, userId: user.id })))
  }
  if (settings.useJwt && issueToken) {
    // Only after a second factor: other logins keep simplejwt's claim set.
    const claims = hasSecondFactor(methods) ? { amr: amrOf(methods), auth_time: Math.floor(Date.now() / 1000) } : {}
    return jwtLoginResponse(ctx, user, { claims, cookies, sessionId, status })
  }
  if (settings.tokenAuthEnabled && issueToken) {
    const token = await createToken({
      kind: 'token',
      lifetimeSeconds: settings.tokenLifetime,
      options,
      req,
      sessionId,
      userId: user.id,
    })
    return jsonResponse({ key: token.key }, { cookies, status })
  }
  return emptyResponse({ cookies })
}
