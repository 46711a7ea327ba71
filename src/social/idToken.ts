import jwt from 'jsonwebtoken'

import type { IdTokenClaims, SocialProvider } from './types.js'

import { now } from '../utilities/clock.js'
import { sha256Hex } from '../utilities/crypto.js'
import { findSigningKey, isAcceptedAlgorithm } from './jwks.js'
import { refusal } from './providerCalls.js'
import { messages } from '../errors/messages.js'

/** Seconds of clock difference tolerated between the provider and this server. */
const CLOCK_TOLERANCE_SECONDS = 60

/**
 * A nonce matches when the id_token carries it as sent, or its SHA-256 in hex: Apple's and
 * Firebase's native SDKs put the hash of the raw nonce the app keeps into the request.
 */
const isSameNonce = (claim: unknown, sent: string): boolean =>
  typeof claim === 'string' && (claim === sent || claim === sha256Hex(sent))

/**
 * Checks an id_token the way OpenID Connect Core §3.1.3.7 asks: signed by a key the provider
 * publishes (an asymmetric algorithm only), issued by the provider, to one of `audiences`
 * (with several audiences, `azp` must be one of ours too), not expired, and carrying the nonce
 * the client sent. Every refusal is a 400 naming the reason.
 */
export const verifyIdToken = async ({
  audiences,
  idToken,
  nonce,
  provider,
}: {
  audiences: string[]
  idToken: string
  nonce?: string
  provider: SocialProvider
}): Promise<IdTokenClaims> => {
  const { config, definition, label } = provider
  const openId = definition.protocol === 'oauth2' ? definition.openId : undefined
  if (!openId) {
    throw new TypeError(`${provider.id} verifies no id_token`)
  }
  const decoded = jwt.decode(idToken, { complete: true })
  if (!decoded || typeof decoded.payload !== 'object') {
    throw refusal(config, messages.idToken.malformed)
  }
  const { alg, kid } = decoded.header
  if (!isAcceptedAlgorithm(alg)) {
    throw refusal(config, messages.idToken.algorithm(String(alg ?? '')))
  }
  const rules = await openId.rules(config)
  const key = await findSigningKey({ label, secrets: config.secrets }, rules.jwksUrl, { alg, kid })
  let claims: jwt.JwtPayload
  try {
    claims = jwt.verify(idToken, key, {
      algorithms: [alg as jwt.Algorithm],
      audience: audiences as [string, ...string[]],
      clockTimestamp: Math.floor(now() / 1000),
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
    }) as jwt.JwtPayload
  } catch (err) {
    const message = err instanceof Error ? err.message : ''
    if (err instanceof jwt.TokenExpiredError) {
      throw refusal(config, messages.idToken.expired)
    }
    if (err instanceof jwt.NotBeforeError) {
      throw refusal(config, messages.idToken.notYetValid)
    }
    if (message.startsWith('jwt audience invalid')) {
      throw refusal(config, messages.idToken.otherApplication(label))
    }
    throw refusal(config, message === 'invalid signature' ? messages.idToken.badSignature : messages.idToken.malformed)
  }
  if (typeof claims.sub !== 'string' || claims.sub === '' || typeof claims.exp !== 'number') {
    throw refusal(config, messages.idToken.claims)
  }
  const isIssuer = typeof rules.issuer === 'function' ? rules.issuer(claims) : rules.issuer.includes(String(claims.iss))
  if (typeof claims.iss !== 'string' || !isIssuer) {
    throw refusal(config, messages.idToken.issuer(label))
  }
  if (Array.isArray(claims.aud) && claims.aud.length > 1 && !audiences.includes(String(claims.azp))) {
    throw refusal(config, messages.idToken.otherApplication(label))
  }
  if (nonce !== undefined) {
    if (claims.nonce === undefined) {
      throw refusal(config, messages.idToken.nonceMissing)
    }
    if (!isSameNonce(claims.nonce, nonce)) {
      throw refusal(config, messages.idToken.nonceMismatch)
    }
  }
  return claims as IdTokenClaims
}
