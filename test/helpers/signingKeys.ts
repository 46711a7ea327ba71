import type { JsonWebKey, KeyObject } from 'node:crypto'

import jwt from 'jsonwebtoken'
import { generateKeyPairSync, randomBytes } from 'node:crypto'

/** The algorithms the mock providers sign with. */
export type MockAlgorithm = 'ES256' | 'RS256'

type Key = { alg: MockAlgorithm; kid: string; privateKey: KeyObject; publicJwk: JsonWebKey }

export type SigningKeys = {
  /** The published key set (JWKS), as the provider serves it. */
  jwks: () => { keys: JsonWebKey[] }
  /** The kid new tokens are signed with. */
  current: () => string
  /** A new key: published at once, and signing new tokens when `isActive`. */
  rotate: (options?: { alg?: MockAlgorithm; isActive?: boolean }) => string
  /** Stop publishing a key (tokens it signed no longer verify). */
  retire: (kid: string) => void
  /**
   * A signed JWT: with the active key, the key of `kid` (retired or not), or `key` (from
   * `unpublished()`, one the provider never lists); `withoutKid` leaves the header's kid out.
   */
  sign: (claims: Record<string, unknown>, options?: { alg?: 'none'; key?: Key; kid?: string; withoutKid?: boolean }) => string
  /** A key the provider never publishes (a forger's). */
  unpublished: (alg?: MockAlgorithm) => Key
}

const newKey = (alg: MockAlgorithm): Key => {
  const { privateKey, publicKey } =
    alg === 'ES256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('rsa', { modulusLength: 2048 })
  const kid = `kid-${randomBytes(6).toString('hex')}`
  return { alg, kid, privateKey, publicJwk: { ...publicKey.export({ format: 'jwk' }), alg, kid, use: 'sig' } as JsonWebKey }
}

/** A provider's signing keys: real RSA or P-256 pairs, rotated the way providers rotate them. */
export const createSigningKeys = (alg: MockAlgorithm = 'RS256'): SigningKeys => {
  const published: Key[] = [newKey(alg)]
  // Every key ever made, retired ones included, so a test can still sign with one.
  const made = new Map(published.map((key) => [key.kid, key]))
  let active = published[0]!
  return {
    current: () => active.kid,
    jwks: () => ({ keys: published.map((key) => key.publicJwk) }),
    retire: (kid) => {
      const index = published.findIndex((key) => key.kid === kid)
      if (index >= 0) {
        published.splice(index, 1)
      }
    },
    rotate: ({ alg: nextAlg = alg, isActive = true } = {}) => {
      const key = newKey(nextAlg)
      published.push(key)
      made.set(key.kid, key)
      if (isActive) {
        active = key
      }
      return key.kid
    },
    sign: (claims, { alg: forced, key, kid, withoutKid } = {}) => {
      if (forced === 'none') {
        const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
        return `${encode({ alg: 'none', typ: 'JWT' })}.${encode(claims)}.`
      }
      const signer = key ?? (kid ? made.get(kid) : active) ?? active
      return jwt.sign(claims, signer.privateKey, {
        algorithm: signer.alg,
        noTimestamp: true,
        ...(withoutKid ? {} : { keyid: signer.kid }),
      })
    },
    unpublished: (keyAlg = alg) => newKey(keyAlg),
  }
}
