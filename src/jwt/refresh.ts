import type { EndpointContext } from '../http/defineEndpoint.js'
import type { RestAuthUser } from '../types.js'
import type { Schema } from '../http/fields.js'

import { readCookie } from '../http/cookies.js'
import { requireValidFields } from '../http/fields.js'
import { jsonResponse } from '../http/responses.js'
import { withTransaction } from '../utilities/withTransaction.js'
import { accessCookie, refreshCookie } from './cookies.js'
import { jwtAuthError } from './errors.js'
import { isCookielessClient } from './login.js'
import { jwtMessages } from './messages.js'
import {
  blacklistFamily,
  blacklistToken,
  findOutstandingToken,
  outstandingUserId,
  recordRefreshToken,
} from './outstandingTokens.js'
import {
  accessClaimsFrom,
  formatExpiration,
  type JwtClaims,
  preciseNow,
  rotatedRefreshClaims,
  signClaims,
  TokenError,
  verifyToken,
} from './tokens.js'
import { localApi } from '../utilities/localApi.js'

type Outcome =
  | { access: JwtClaims; ok: true; refresh: JwtClaims | null }
  | { code?: string; detail: string; ok: false }

/**
 * CookieTokenRefreshSerializer: the `refresh` field, else the refresh cookie. A blank field is a
 * field error, as DRF's CharField makes it.
 */
/** CookieTokenRefreshSerializer's `refresh` (the help text is dj-rest-auth's, typo included). */
export const refreshFields = { refresh: { helpText: 'WIll override cookie.' } } satisfies Schema

/** TokenVerifySerializer's field. */
export const verifyFields = { token: { required: true } } satisfies Schema

const extractRefreshToken = (ctx: EndpointContext): { source: 'body' | 'cookie'; token: string } => {
  const { refresh } = requireValidFields(ctx.data, refreshFields)
  if (refresh !== undefined) {
    return { source: 'body', token: refresh }
  }
  const cookieName = ctx.settings.jwtAuthRefreshCookie
  const cookie = cookieName ? readCookie(ctx.req.headers, cookieName) : undefined
  if (cookie === undefined) {
    throw jwtAuthError(jwtMessages.noValidRefreshToken)
  }
  return { source: 'cookie', token: cookie }
}

const verifyOrThrow = (ctx: EndpointContext, token: string): JwtClaims => {
  try {
    return verifyToken(ctx.req.payload, ctx.settings, token, 'refresh')
  } catch (err) {
    if (err instanceof TokenError) {
      throw jwtAuthError(err.message)
    }
    throw err
  }
}

/**
 * POST token/refresh/: TokenRefreshSerializer with the blacklist app and dj-rest-auth's cookie view.
 * The refresh token's signature and expiry are checked first; then its row: unknown or blacklisted
 * tokens are refused, and presenting a token that was rotated out revokes its whole family.
 */
export const refreshResponse = async (ctx: EndpointContext): Promise<Response> => {
  const { options, req, settings } = ctx
  const { source, token } = extractRefreshToken(ctx)
  const claims = verifyOrThrow(ctx, token)
  const atMs = preciseNow()

  const outcome = await withTransaction(req, async (): Promise<Outcome> => {
    const row = await findOutstandingToken({ jti: claims.jti, options, req })
    if (!row || String(outstandingUserId(row)) !== String(claims.user_id)) {
      return { detail: jwtMessages.tokenInvalidOrExpired, ok: false }
    }
    if (row.blacklistedAt) {
      if (row.blacklistReason === 'rotated') {
        // A token that was already exchanged is back: someone holds a copy. End the whole login.
        await blacklistFamily({ family: row.family, options, reason: 'reuse', req })
      }
      return { detail: jwtMessages.tokenBlacklisted, ok: false }
    }
    const user = (await localApi(req.payload).findByID({
      collection: options.usersCollection,
      depth: 0,
      disableErrors: true,
      id: outstandingUserId(row),
      overrideAccess: true,
      req,
    })) as null | RestAuthUser
    if (!user || user.is_active === false) {
      return { code: 'no_active_account', detail: jwtMessages.noActiveAccount, ok: false }
    }
    const access = accessClaimsFrom({ atMs, refresh: claims, settings })
    if (!settings.rotateRefreshTokens) {
      return { access, ok: true, refresh: null }
    }
    if (settings.blacklistAfterRotation) {
      const isFirst = await blacklistToken({ jti: claims.jti, options, reason: 'rotated', req })
      if (!isFirst) {
        // A concurrent refresh with the same token won the race.
        return { detail: jwtMessages.tokenBlacklisted, ok: false }
      }
    }
    const refresh = rotatedRefreshClaims({ atMs, refresh: claims, settings })
    await recordRefreshToken({ expiresAt: refresh.exp, family: row.family, jti: refresh.jti, options, req, userId: user.id })
    return { access, ok: true, refresh }
  })
  if (!outcome.ok) {
    throw jwtAuthError(outcome.detail, outcome.code)
  }

  const cookieless = isCookielessClient(ctx, settings)
  const accessToken = signClaims(req.payload, settings, outcome.access)
  const refreshToken = outcome.refresh ? signClaims(req.payload, settings, outcome.refresh) : null
  // With HttpOnly cookies a rotated refresh token goes into the cookie only, unless a cookieless
  // client sent its refresh token in the body: one read from the cookie never reaches a script.
  const isRefreshInBody = refreshToken !== null && (!settings.jwtAuthHttpOnly || (cookieless && source === 'body'))
  const body: Record<string, unknown> = { access: accessToken }
  if (isRefreshInBody) {
    body.refresh = refreshToken
  }
  body.access_expiration = formatExpiration(atMs + settings.accessTokenLifetime * 1000)
  if (isRefreshInBody) {
    body.refresh_expiration = formatExpiration(atMs + settings.refreshTokenLifetime * 1000)
  }
  const cookies = cookieless
    ? []
    : [...accessCookie(settings, accessToken), ...(refreshToken ? refreshCookie(settings, refreshToken) : [])]
  return jsonResponse(body, { cookies })
}

/** POST token/verify/: TokenVerifySerializer, stateless (signature, expiry, jti; any token type). */
export const verifyResponse = (ctx: EndpointContext): Response => {
  const { token } = requireValidFields(ctx.data, verifyFields)
  try {
    verifyToken(ctx.req.payload, ctx.settings, token!, 'untyped')
  } catch (err) {
    if (err instanceof TokenError) {
      throw jwtAuthError(err.message)
    }
    throw err
  }
  return jsonResponse({})
}
