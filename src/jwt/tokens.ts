import type { Payload } from 'payload'

import { randomBytes } from 'node:crypto'
import jwt from 'jsonwebtoken'

import type { RestAuthSettings } from '../types.js'

import { now } from '../utilities/clock.js'
import { signingKeys } from './keys.js'
import { messages } from '../errors/messages.js'

export type TokenType = 'access' | 'refresh'

/** simplejwt's claims, in its order: token_type, exp, iat, jti, user_id. */
export type JwtClaims = {
  [claim: string]: unknown
  exp: number
  iat: number
  jti: string
  token_type: string
  user_id: number | string
}

/** simplejwt's TokenError: a user-facing reason why a token cannot be used. */
export class TokenError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'TokenError'
  }
}

const ALGORITHM = 'HS256'

/** uuid4().hex: 32 hexadecimal characters. */
export const newJti = (): string => {
  const bytes = randomBytes(16)
  bytes[6] = (bytes[6]! & 0x0f) | 0x40
  bytes[8] = (bytes[8]! & 0x3f) | 0x80
  return bytes.toString('hex')
}

const epochSeconds = (ms: number): number => Math.floor(ms / 1000)

export const signClaims = (payload: Payload, settings: RestAuthSettings, claims: JwtClaims): string =>
  jwt.sign(claims, signingKeys(payload, settings).current, { algorithm: ALGORITHM })

/** RefreshToken.for_user: a new refresh token, its claims and when it was made. */
export const newRefreshClaims = ({
  atMs,
  settings,
  userId,
}: {
  atMs: number
  settings: RestAuthSettings
  userId: number | string
}): JwtClaims => ({
  token_type: 'refresh',
  exp: epochSeconds(atMs) + settings.refreshTokenLifetime,
  iat: epochSeconds(atMs),
  jti: newJti(),
  user_id: typeof userId === 'number' ? userId : String(userId),
})

/**
 * RefreshToken.access_token: a new access token expiring ACCESS_TOKEN_LIFETIME from `atMs` that
 * copies every claim of the refresh token except token_type, exp and jti (so `iat` is the login's).
 */
export const accessClaimsFrom = ({
  atMs,
  refresh,
  settings,
}: {
  atMs: number
  refresh: JwtClaims
  settings: RestAuthSettings
}): JwtClaims => {
  const access: JwtClaims = {
    token_type: 'access',
    exp: epochSeconds(atMs) + settings.accessTokenLifetime,
    iat: epochSeconds(atMs),
    jti: newJti(),
    user_id: refresh.user_id,
  }
  for (const [claim, value] of Object.entries(refresh)) {
    if (claim !== 'token_type' && claim !== 'exp' && claim !== 'jti') {
      access[claim] = value
    }
  }
  return access
}

/** The rotated refresh token: the same claims with a new jti, exp and iat (simplejwt's rotation). */
export const rotatedRefreshClaims = ({
  atMs,
  refresh,
  settings,
}: {
  atMs: number
  refresh: JwtClaims
  settings: RestAuthSettings
}): JwtClaims => ({
  ...refresh,
  exp: epochSeconds(atMs) + settings.refreshTokenLifetime,
  iat: epochSeconds(atMs),
  jti: newJti(),
})

const decodeWith = (token: string, key: jwt.Secret, clockTimestamp: number) =>
  jwt.verify(token, key, { algorithms: [ALGORITHM], clockTimestamp })

/**
 * TokenBackend.decode plus Token.verify: the signature (HS256 only, current or previous key), the
 * expiry against the plugin's clock, a jti, and the type unless `expectedType` is 'untyped'.
 * Throws TokenError with simplejwt's message.
 */
export const verifyToken = (
  payload: Payload,
  settings: RestAuthSettings,
  token: string,
  expectedType: 'untyped' | TokenType,
): JwtClaims => {
  const nowMs = now()
  const clockTimestamp = epochSeconds(nowMs)
  const keys = signingKeys(payload, settings)
  let decoded: unknown
  try {
    decoded = decodeWith(token, keys.current, clockTimestamp)
  } catch (err) {
    const isSignatureProblem = err instanceof jwt.JsonWebTokenError && err.message === 'invalid signature'
    if (!keys.previous || !isSignatureProblem) {
      throw new TokenError(messages.jwt.tokenInvalidOrExpired)
    }
    try {
      decoded = decodeWith(token, keys.previous, clockTimestamp)
    } catch {
      throw new TokenError(messages.jwt.tokenInvalidOrExpired)
    }
  }
  if (!decoded || typeof decoded !== 'object' || Array.isArray(decoded)) {
    throw new TokenError(messages.jwt.tokenInvalidOrExpired)
  }
  const claims = decoded as Record<string, unknown>
  if (!('exp' in claims)) {
    throw new TokenError(messages.jwt.tokenHasNoClaim('exp'))
  }
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= nowMs) {
    throw new TokenError(messages.jwt.tokenExpiredClaim('exp'))
  }
  if (!('jti' in claims)) {
    throw new TokenError(messages.jwt.tokenHasNoId)
  }
  if (expectedType !== 'untyped') {
    if (!('token_type' in claims)) {
      throw new TokenError(messages.jwt.tokenHasNoType)
    }
    if (claims.token_type !== expectedType) {
      throw new TokenError(messages.jwt.tokenHasWrongType)
    }
  }
  return claims as JwtClaims
}

/** Django REST framework's DateTimeField output: ISO 8601 with microseconds and Z. */
export const formatExpiration = (epochMs: number): string => {
  const micros = Math.floor(epochMs * 1000)
  const seconds = Math.floor(micros / 1_000_000)
  const fraction = micros - seconds * 1_000_000
  const base = new Date(seconds * 1000).toISOString().slice(0, 19)
  // datetime.isoformat() leaves the fraction out when it is zero.
  return fraction === 0 ? `${base}Z` : `${base}.${String(fraction).padStart(6, '0')}Z`
}

/** The plugin clock with sub-millisecond digits, for the *_expiration fields. */
export const preciseNow = (): number => now() + (performance.now() % 1)
