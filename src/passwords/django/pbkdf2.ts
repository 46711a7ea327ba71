import { pbkdf2, timingSafeEqual } from 'node:crypto'

import { currentIterations, formatPayloadHash } from '../hashing.js'

/** PBKDF2PasswordHasher and PBKDF2SHA1PasswordHasher: `pbkdf2_sha256$<iterations>$<salt>$<base64 key>`. */
const PBKDF2 = /^pbkdf2_(sha256|sha1)\$(\d{1,9})\$([^$]*)\$([A-Za-z0-9+/]+={0,2})$/

/** More than Django will reach for years; a corrupt count must not pin a CPU. */
const MAX_ITERATIONS = 100_000_000

type Pbkdf2Hash = { digest: 'sha1' | 'sha256'; iterations: number; key: Buffer; salt: string }

const parse = (encoded: string): null | Pbkdf2Hash => {
  const match = PBKDF2.exec(encoded)
  if (!match) {
    return null
  }
  const iterations = Number(match[2])
  const key = Buffer.from(match[4]!, 'base64')
  if (iterations < 1 || iterations > MAX_ITERATIONS || key.length === 0) {
    return null
  }
  return { digest: match[1] as Pbkdf2Hash['digest'], iterations, key, salt: match[3]! }
}

export const verifyPbkdf2 = async (password: string, encoded: string): Promise<boolean> => {
  const hash = parse(encoded)
  if (!hash) {
    return false
  }
  // django.utils.crypto.pbkdf2: password and salt as UTF-8, the key as long as the digest.
  const key = await new Promise<Buffer>((resolve, reject) =>
    pbkdf2(password, hash.salt, hash.iterations, hash.key.length, hash.digest, (err, derived) => (err ? reject(err) : resolve(derived))),
  )
  return timingSafeEqual(key, hash.key)
}

/** Iterations the check spends (SHA-1's are counted as SHA-256's, a little generously). */
export const pbkdf2Cost = (encoded: string): number => parse(encoded)?.iterations ?? 0

/**
 * Django 4.2's default (pbkdf2_sha256, 600,000 iterations, 32-byte key) is Payload's current format
 * with another salt: both derive over the salt string's UTF-8 bytes. Such a hash needs no conversion
 * at login; null for every other hash.
 */
export const pbkdf2ToPayloadHash = (encoded: string): { hash: string; salt: string } | null => {
  const hash = parse(encoded)
  if (!hash || hash.digest !== 'sha256' || hash.iterations !== currentIterations) {
    return null
  }
  const formatted = formatPayloadHash(hash.key)
  return formatted ? { hash: formatted, salt: hash.salt } : null
}
