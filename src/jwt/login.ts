import type { EndpointContext } from '../http/defineEndpoint.js'
import type { RestAuthSettings, RestAuthUser } from '../types.js'

import { isJwtCsrfOn, jwtAccessCookie, jwtRefreshCookie } from '../auth/cookies.js'
import { newCsrfCookie } from '../auth/sessionCookies.js'
import { jsonResponse } from '../http/responses.js'
import { serializeUser } from '../users/serializeUser.js'
import { pruneExpiredTokens, recordRefreshToken } from './outstandingTokens.js'
import { accessClaimsFrom, formatExpiration, newRefreshClaims, preciseNow, signClaims } from './tokens.js'

/** Header a client that cannot keep cookies sends (a native app); `"cookieless": true` in the body works too. */
export const COOKIELESS_HEADER = 'x-rest-auth-cookieless'

/** `X-Rest-Auth-Cookieless: 1` (or `true`). */
export const hasCookielessHeader = (headers: Headers): boolean => {
  const value = (headers.get(COOKIELESS_HEADER) ?? '').trim().toLowerCase()
  return value === '1' || value === 'true'
}

/**
 * A client that keeps no cookies: with JWT_ALLOW_COOKIELESS_CLIENTS it gets the refresh token in
 * the body even when JWT_AUTH_HTTPONLY is on, and no JWT cookies at all.
 */
export const isCookielessClient = (ctx: Pick<EndpointContext<unknown>, 'data' | 'req'>, settings: RestAuthSettings): boolean =>
  settings.jwtAllowCookielessClients &&
  (hasCookielessHeader(ctx.req.headers) || ctx.data.cookieless === true || ctx.data.cookieless === 'true')

/** What issuing credentials needs of a request: any route's context, whatever its body. */
export type LoginContext = Pick<EndpointContext<unknown>, 'data' | 'options' | 'req' | 'settings'>

const RESERVED_CLAIMS = new Set(['exp', 'iat', 'jti', 'sid', 'token_type', 'user_id'])

/** The `jwtClaims` option's claims, without simplejwt's own. */
const extraClaims = async ({ options, req }: LoginContext, user: RestAuthUser): Promise<Record<string, unknown>> => {
  const claims = options.jwtClaims ? await options.jwtClaims({ req, user }) : {}
  return Object.fromEntries(Object.entries(claims ?? {}).filter(([claim]) => !RESERVED_CLAIMS.has(claim)))
}

/**
 * A new refresh token (recorded by jti, starting a new token family) and its access token. Both
 * carry the login's session as `sid` (access tokens copy the refresh token's claims).
 */
const issueJwtPair = async (ctx: LoginContext, user: RestAuthUser, sessionId: string | undefined, claims: Record<string, unknown> = {}) => {
  const { options, req, settings } = ctx
  const userId = user.id
  const atMs = preciseNow()
  const refresh = {
    ...newRefreshClaims({ atMs, settings, userId }),
    ...(sessionId ? { sid: sessionId } : {}),
    ...(await extraClaims(ctx, user)),
    // The plugin's own (a second factor's amr and auth_time), after the option's.
    ...claims,
  }
  const access = accessClaimsFrom({ atMs, refresh, settings })
  await pruneExpiredTokens({ options, req, userId })
  await recordRefreshToken({ expiresAt: refresh.exp, family: refresh.jti, jti: refresh.jti, options, req, sessionId, userId })
  return {
    accessToken: signClaims(req.payload, settings, access),
    atMs,
    refreshToken: signClaims(req.payload, settings, refresh),
  }
}

/**
 * After a password change that keeps the user logged in (Django's update_session_auth_hash): the
 * user's refresh tokens were revoked, so a browser on JWT cookies gets a fresh pair in its cookies.
 */
export const renewJwtCookies = async (ctx: LoginContext, user: RestAuthUser, sessionId: string | undefined): Promise<string[]> => {
  const { accessToken, refreshToken } = await issueJwtPair(ctx, user, sessionId)
  return [...jwtAccessCookie(ctx.settings, accessToken), ...jwtRefreshCookie(ctx.settings, refreshToken)]
}

/**
 * LoginView.get_response with USE_JWT: JWTSerializer's `access`, `refresh`, `user`, plus the
 * expirations with JWT_AUTH_RETURN_EXPIRATION; the JWT cookies; and the CSRF cookie when the JWT
 * cookie is CSRF-checked.
 */
export const jwtLoginResponse = async (
  ctx: LoginContext,
  user: RestAuthUser,
  {
    claims,
    cookies = [],
    sessionId,
    status = 200,
  }: { claims?: Record<string, unknown>; cookies?: string[]; sessionId?: string; status?: number } = {},
): Promise<Response> => {
  const { options, req, settings } = ctx
  const { accessToken, atMs, refreshToken } = await issueJwtPair(ctx, user, sessionId, claims)
  const cookieless = isCookielessClient(ctx, settings)

  const body: Record<string, unknown> = {
    access: accessToken,
    refresh: settings.jwtAuthHttpOnly && !cookieless ? '' : refreshToken,
    user: await serializeUser({ options, req, user }),
  }
  if (settings.jwtAuthReturnExpiration) {
    body.access_expiration = formatExpiration(atMs + settings.accessTokenLifetime * 1000)
    body.refresh_expiration = formatExpiration(atMs + settings.refreshTokenLifetime * 1000)
  }
  const allCookies = [...cookies]
  if (!cookieless) {
    allCookies.push(...jwtAccessCookie(settings, accessToken), ...jwtRefreshCookie(settings, refreshToken))
    const csrfName = `${settings.csrfCookieName}=`
    if (isJwtCsrfOn(settings) && !allCookies.some((cookie) => cookie.startsWith(csrfName))) {
      allCookies.unshift(newCsrfCookie(settings))
    }
  }
  return jsonResponse(body, { cookies: allCookies, status })
}
