import type { EndpointContext } from '../http/defineEndpoint.js'
import type { RestAuthSettings, RestAuthUser } from '../types.js'

import { jsonResponse } from '../http/responses.js'
import { serializeUser } from '../users/serializeUser.js'
import { accessCookie, csrfCookie, isJwtCsrfOn, refreshCookie } from './cookies.js'
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
export const isCookielessClient = (ctx: Pick<EndpointContext, 'data' | 'req'>, settings: RestAuthSettings): boolean =>
  settings.jwtAllowCookielessClients &&
  (hasCookielessHeader(ctx.req.headers) || ctx.data.cookieless === true || ctx.data.cookieless === 'true')

const RESERVED_CLAIMS = new Set(['exp', 'iat', 'jti', 'token_type', 'user_id'])

/** The `jwtClaims` option's claims, without simplejwt's own. */
const extraClaims = async ({ options, req }: EndpointContext, user: RestAuthUser): Promise<Record<string, unknown>> => {
  const claims = options.jwtClaims ? await options.jwtClaims({ req, user }) : {}
  return Object.fromEntries(Object.entries(claims ?? {}).filter(([claim]) => !RESERVED_CLAIMS.has(claim)))
}

/**
 * A new refresh token (recorded by jti, starting a new token family) and its access token.
 * `claims` (the login's `amr` and `auth_time`) are the plugin's own, after the option's.
 */
const issueJwtPair = async (ctx: EndpointContext, user: RestAuthUser, claims: Record<string, unknown> = {}) => {
  const { options, req, settings } = ctx
  const userId = user.id
  const atMs = preciseNow()
  const refresh = { ...newRefreshClaims({ atMs, settings, userId }), ...(await extraClaims(ctx, user)), ...claims }
  const access = accessClaimsFrom({ atMs, refresh, settings })
  await pruneExpiredTokens({ options, req, userId })
  await recordRefreshToken({ expiresAt: refresh.exp, family: refresh.jti, jti: refresh.jti, options, req, userId })
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
export const renewJwtCookies = async (ctx: EndpointContext, user: RestAuthUser): Promise<string[]> => {
  const { accessToken, refreshToken } = await issueJwtPair(ctx, user)
  return [...accessCookie(ctx.settings, accessToken), ...refreshCookie(ctx.settings, refreshToken)]
}

/**
 * LoginView.get_response with USE_JWT: JWTSerializer's `access`, `refresh`, `user`, plus the
 * expirations with JWT_AUTH_RETURN_EXPIRATION; the JWT cookies; and the CSRF cookie when the JWT
 * cookie is CSRF-checked.
 */
export const jwtLoginResponse = async (
  ctx: EndpointContext,
  user: RestAuthUser,
  { claims, cookies = [], status = 200 }: { claims?: Record<string, unknown>; cookies?: string[]; status?: number } = {},
): Promise<Response> => {
  const { options, req, settings } = ctx
  const { accessToken, atMs, refreshToken } = await issueJwtPair(ctx, user, claims)
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
    allCookies.push(...accessCookie(settings, accessToken), ...refreshCookie(settings, refreshToken))
    const csrfName = `${settings.csrfCookieName}=`
    if (isJwtCsrfOn(settings) && !allCookies.some((cookie) => cookie.startsWith(csrfName))) {
      allCookies.unshift(csrfCookie(settings))
    }
  }
  return jsonResponse(body, { cookies: allCookies, status })
}
