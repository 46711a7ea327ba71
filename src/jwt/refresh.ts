import { ValidationError } from 'payload'

import type { EndpointContext } from '../http/defineEndpoint.js'
import type { Schema } from '../http/fields.js'
import type { RestAuthSettings, RestAuthUser } from '../types.js'
import type { OutstandingToken } from './outstandingTokens.js'

import { readCookie } from '../http/cookies.js'
import { requireValidFields } from '../http/fields.js'
import { jsonResponse } from '../http/responses.js'
import { now } from '../utilities/clock.js'
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
  successorJti,
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
import { endSession } from '../sessions/endSessions.js'
import { touchSession } from '../sessions/sessionStore.js'

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

/** Rotation chains longer than this are not followed by a repeat within the grace window. */
const MAX_SUCCESSORS = 8

const blacklisted: Outcome = { detail: jwtMessages.tokenBlacklisted, ok: false }

/**
 * The claims of a recorded successor, rebuilt from the presented token's: simplejwt's rotation
 * keeps every claim but exp, iat and jti, so this signs to the very token the rotation answered.
 */
const successorClaims = (presented: JwtClaims, row: OutstandingToken, settings: RestAuthSettings): JwtClaims => {
  const exp = Math.floor(new Date(row.expiresAt).getTime() / 1000)
  return { ...presented, exp, iat: exp - settings.refreshTokenLifetime, jti: row.jti }
}

/**
 * The live token a rotated-out one led to: its successor, or that one's successor while they were
 * rotated in turn (a tab that refreshed twice meanwhile). Null when the chain ends in a revoked
 * token (logout, password change, reuse).
 */
const liveSuccessor = async ({ options, req, settings }: EndpointContext, presented: JwtClaims, family: string): Promise<JwtClaims | null> => {
  let jti = presented.jti
  for (let step = 0; step < MAX_SUCCESSORS; step += 1) {
    const next = await findOutstandingToken({ jti: successorJti(req.payload, jti), options, req })
    if (!next || next.family !== family || (next.blacklistedAt && next.blacklistReason !== 'rotated')) {
      return null
    }
    if (!next.blacklistedAt) {
      return successorClaims(presented, next, settings)
    }
    jti = next.jti
  }
  return null
}

const isWithinGrace = (row: OutstandingToken, settings: RestAuthSettings): boolean =>
  settings.refreshTokenGraceSeconds > 0 &&
  !!row.blacklistedAt &&
  now() - new Date(row.blacklistedAt).getTime() <= settings.refreshTokenGraceSeconds * 1000

/** A repeat of a token rotated moments ago (two tabs refreshing at once): the same new token. */
const repeatOutcome = async (ctx: EndpointContext, claims: JwtClaims, row: OutstandingToken, atMs: number): Promise<Outcome> => {
  const successor = await liveSuccessor(ctx, claims, row.family)
  return successor ? { access: accessClaimsFrom({ atMs, refresh: successor, settings: ctx.settings }), ok: true, refresh: successor } : blacklisted
}

/** The login's session was used; a rotated refresh token carries its expiry along. */
const touchRowSession = ({ options, req }: EndpointContext, row: OutstandingToken, rotatedExp?: number): void => {
  if (row.session) {
    touchSession({ extendTo: rotatedExp === undefined ? undefined : rotatedExp * 1000, options, payload: req.payload, publicId: row.session })
  }
}

const rotateOrRefuse = (ctx: EndpointContext, claims: JwtClaims, atMs: number): Promise<Outcome> => {
  const { options, req, settings } = ctx
  return withTransaction(req, async (): Promise<Outcome> => {
    const row = await findOutstandingToken({ jti: claims.jti, options, req })
    if (!row || String(outstandingUserId(row)) !== String(claims.user_id)) {
      return { detail: jwtMessages.tokenInvalidOrExpired, ok: false }
    }
    if (row.blacklistedAt) {
      if (row.blacklistReason !== 'rotated') {
        return blacklisted
      }
      if (isWithinGrace(row, settings)) {
        return repeatOutcome(ctx, claims, row, atMs)
      }
      // A token that was already exchanged is back: someone holds a copy. End the whole login.
      await blacklistFamily({ family: row.family, options, reason: 'reuse', req })
      if (row.session) {
        // The login is compromised: its token and cookie session end with its refresh family.
        await endSession({ options, publicId: row.session, reason: 'reuse', req })
      }
      return blacklisted
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
      touchRowSession(ctx, row)
      return { access, ok: true, refresh: null }
    }
    const rotated = rotatedRefreshClaims({ atMs, refresh: claims, settings })
    // With the blacklist, each token has one successor; without it simplejwt mints a new one each time.
    const refresh = settings.blacklistAfterRotation ? { ...rotated, jti: successorJti(req.payload, claims.jti) } : rotated
    // The successor's unique jti is the compare-and-set: of parallel refreshes of one token, one
    // records it and the others fail here (see refreshResponse).
    await recordRefreshToken({ expiresAt: refresh.exp, family: row.family, jti: refresh.jti, options, req, sessionId: row.session, userId: user.id })
    if (settings.blacklistAfterRotation) {
      await blacklistToken({ jti: claims.jti, options, reason: 'rotated', req })
    }
    touchRowSession(ctx, row, refresh.exp)
    return { access, ok: true, refresh }
  })
}

/**
 * POST token/refresh/: TokenRefreshSerializer with the blacklist app and dj-rest-auth's cookie view.
 * The refresh token's signature and expiry are checked first; then its row: unknown or blacklisted
 * tokens are refused, and presenting a token that was rotated out revokes its whole family — unless
 * it was rotated less than `refreshTokenGraceSeconds` ago, when the answer is the token it was
 * rotated into (two tabs, or a retried request, refreshing with one token at once).
 */
export const refreshResponse = async (ctx: EndpointContext): Promise<Response> => {
  const { req, settings } = ctx
  const { source, token } = extractRefreshToken(ctx)
  const claims = verifyOrThrow(ctx, token)
  const atMs = preciseNow()

  let outcome: Outcome
  try {
    outcome = await rotateOrRefuse(ctx, claims, atMs)
  } catch (err) {
    if (!(err instanceof ValidationError)) {
      throw err
    }
    // A parallel refresh of the same token recorded the successor first (its transaction, if any,
    // is over): answer with that successor, as a repeat within the grace window would be.
    const row = settings.refreshTokenGraceSeconds > 0 ? await findOutstandingToken({ jti: claims.jti, options: ctx.options, req }) : null
    outcome = row ? await repeatOutcome(ctx, claims, row, atMs) : blacklisted
  }
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
