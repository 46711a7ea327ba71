import { pbkdf2, randomBytes, timingSafeEqual } from 'node:crypto'

import { djangoPasswordField } from './django/field.js'

/*
 * Payload stores passwords as pbkdf2-sha256 (`hash` and `salt` on the user) but does not export its
 * check. This is the same check, so passwords set through Payload's admin and through this API are
 * interchangeable, plus a dummy check of equal cost for unknown users, which Payload's login lacks.
 */
const CURRENT_PREFIX = 'pbkdf2-sha256-v1:'
const CURRENT = { iterations: 600_000, keyLength: 32 }
const LEGACY = { iterations: 25_000, keyLength: 512 }

const derive = (password: string, salt: string, iterations: number, keyLength: number): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    pbkdf2(password, salt, iterations, keyLength, 'sha256', (err, key) => (err ? reject(err) : resolve(key)))
  })

const DUMMY_SALT = 'f3b1c5d7e9a0b2c4d6e8f0a1b3c5d7e9f1a3b5c7d9e0f2a4b6c8d0e2f4a6b8c0'

/** A Payload hash (`hash` and `salt`). */
export const hasPayloadHash = (user: { hash?: unknown; salt?: unknown }): boolean =>
  typeof user.hash === 'string' && typeof user.salt === 'string' && user.hash.length > 0

/** Django's has_usable_password: a Payload hash, or an imported Django hash not yet converted. */
export const hasUsablePassword = (user: { [djangoPasswordField]?: unknown; hash?: unknown; salt?: unknown }): boolean =>
  hasPayloadHash(user) || (typeof user[djangoPasswordField] === 'string' && user[djangoPasswordField] !== '')

/** Payload's current format, which its login accepts without re-hashing. */
export const isCurrentPayloadHash = (hash: unknown): boolean => typeof hash === 'string' && hash.startsWith(CURRENT_PREFIX)

export const currentIterations = CURRENT.iterations

/** A derived pbkdf2-sha256 key of the current format's length, written as Payload stores it. */
export const formatPayloadHash = (key: Buffer): null | string => (key.length === CURRENT.keyLength ? `${CURRENT_PREFIX}${key.toString('hex')}` : null)

/** What Payload's generatePasswordSaltHash writes: a 32-byte hex salt and the current format. */
export const hashPassword = async (password: string): Promise<{ hash: string; salt: string }> => {
  const salt = randomBytes(32).toString('hex')
  const key = await derive(password, salt, CURRENT.iterations, CURRENT.keyLength)
  return { hash: formatPayloadHash(key)!, salt }
}

/**
 * Spends `iterations` of the current format's derivation on nothing: the cost of a check that did not
 * happen, or the rest of one that was cheaper (Django's harden_runtime).
 */
export const spendDerivation = async (password: string, iterations: number = CURRENT.iterations): Promise<void> => {
  if (iterations > 0) {
    await derive(password, DUMMY_SALT, Math.ceil(iterations), CURRENT.keyLength)
  }
}

/**
 * True when `password` matches the user's stored hash. Always spends one full current-format
 * derivation, whether or not the user exists or has a password.
 */
export const checkPassword = async (
  user: { hash?: unknown; salt?: unknown } | null | undefined,
  password: string,
): Promise<boolean> => {
  if (!user || !hasPayloadHash(user)) {
    await spendDerivation(password)
    return false
  }
  const stored = user.hash as string
  const isCurrent = stored.startsWith(CURRENT_PREFIX)
  const { iterations, keyLength } = isCurrent ? CURRENT : LEGACY
  const expected = Buffer.from(isCurrent ? stored.slice(CURRENT_PREFIX.length) : stored, 'hex')
  const actual = await derive(password, user.salt as string, iterations, keyLength)
  return actual.length === expected.length && timingSafeEqual(actual, expected)
}
