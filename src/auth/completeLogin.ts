import type { LoginContext } from '../jwt/login.js'
import type { RestAuthUser } from '../types.js'

import { emptyResponse, jsonResponse } from '../http/responses.js'
import { jwtLoginResponse } from '../jwt/login.js'
import { createToken } from '../tokens/tokenStore.js'
import { startSession } from './sessionCookies.js'
import { localApi } from '../utilities/localApi.js'

/**
 * What every successful authentication answers (password login, registration, social login):
 * dj-rest-auth's LoginView.get_response. Records last_login, starts the session when SESSION_LOGIN
 * is on, and answers with a token key — or 204 when token authentication is off.
 */
export const completeLogin = async (
  ctx: LoginContext,
  user: RestAuthUser,
  {
    issueToken = true,
    status = 200,
  }: {
    /** Registration with SESSION_LOGIN answers 204 with the session only, as dj-rest-auth's RegisterView. */
    issueToken?: boolean
    status?: number
  } = {},
): Promise<Response> => {
  const { options, req, settings } = ctx
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
    return jwtLoginResponse(ctx, user, { cookies, status })
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
