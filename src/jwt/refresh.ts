import { ValidationError } from 'payload'

import type { EndpointContext } from '../http/defineEndpoint.js'
import type { RestAuthSettings, RestAuthUser } from '../types.js'
import type { OutstandingToken } from './outstandingTokens.js'

import { now } from '../utilities/clock.js'
import { withTransaction } from '../utilities/withTransaction.js'
import { fromTokenError, jwtAuthError } from './errors.js'
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
  type JwtClaims,
  preciseNow,
  rotatedRefreshClaims,
  verifyToken,
} from './tokens.js'
import { localApi } from '../utilities/localApi.js'
import { messages } from '../errors/messages.js'
import { endSession } from '../sessions/endSessions.js'
import { touchSession } from '../sessions/sessionStore.js'

/** What the exchange needs of a request. */
export type RefreshContext = Pick<EndpointContext<unknown>, 'options' | 'req' | 'settings'>

type Outcome =
  | { access: JwtClaims; ok: true; refresh: JwtClaims | null }
  | { code?: string; detail: string; ok: false }

/** Rotation chains longer than this are not followed by a repeat within the grace window. */
const MAX_SUCCESSORS = 8

const blacklisted: Outcome = { detail: messages.jwt.tokenBlacklisted, ok: false }

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
const liveSuccessor = async ({ options, req, settings }: RefreshContext, presented: JwtClaims, family: string): Promise<JwtClaims | null> => {
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
const repeatOutcome = async (ctx: RefreshContext, claims: JwtClaims, row: OutstandingToken, atMs: number): Promise<Outcome> => {
  const successor = await liveSuccessor(ctx, claims, row.family)
  return successor ? { access: accessClaimsFrom({ atMs, refresh: successor, settings: ctx.settings }), ok: true, refresh: successor } : blacklisted
}

/** The login's session was used; a rotated refresh token carries its expiry along. */
const touchRowSession = ({ options, req }: RefreshContext, row: OutstandingToken, rotatedExp?: number): void => {
  if (row.session) {
    touchSession({ extendTo: rotatedExp === undefined ? undefined : rotatedExp * 1000, options, payload: req.payload, publicId: row.session })
  }
}

const rotateOrRefuse = (ctx: RefreshContext, claims: JwtClaims, atMs: number): Promise<Outcome> => {
  const { options, req, settings } = ctx
  return withTransaction(req, async (): Promise<Outcome> => {
    const row = await findOutstandingToken({ jti: claims.jti, options, req })
    if (!row || String(outstandingUserId(row)) !== String(claims.user_id)) {
      return { detail: messages.jwt.tokenInvalidOrExpired, ok: false }
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
      return { code: 'no_active_account', detail: messages.jwt.noActiveAccount, ok: false }
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
 * token/refresh/'s exchange: TokenRefreshSerializer with the blacklist app. The refresh token's
 * signature and expiry are checked first; then its row: unknown or blacklisted tokens are refused,
 * and presenting a token that was rotated out revokes its whole family — unless it was rotated less
 * than `refreshTokenGraceSeconds` ago, when the answer is the token it was rotated into (two tabs,
 * or a retried request, refreshing with one token at once). Refusals are simplejwt's 401.
 */
export const exchangeRefreshToken = async (
  ctx: RefreshContext,
  token: string,
): Promise<{ access: JwtClaims; atMs: number; refresh: JwtClaims | null }> => {
  const { req, settings } = ctx
  let claims: JwtClaims
  try {
    claims = verifyToken(req.payload, settings, token, 'refresh')
  } catch (err) {
    throw fromTokenError(err)
  }
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
    throw jwtAuthError({ code: outcome.code, detail: outcome.detail })
  }
  return { access: outcome.access, atMs, refresh: outcome.refresh }
}
