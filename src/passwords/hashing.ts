import { pbkdf2, timingSafeEqual } from 'node:crypto'

import { withPasswordCheckSlot } from './checkSlots.js'

/*
 * Payload stores passwords as pbkdf2-sha256 (`hash` and `salt` on the user) but does not export its
 * check. This is the same check, so passwords set through Payload's admin and through this API are
 * interchangeable, plus a dummy check of equal cost for unknown users, which Payload's login lacks.
 */
const CURRENT_PREFIX = 'pbkdf2-sha256-v1:'
const CURRENT = { iterations: 600_000, keyLength: 32 }
const LEGACY = { iterations: 25_000, keyLength: 512 }

const derive = (password: string, salt: string, iterations: number, keyLength: number): Promise<Buffer> =>
  withPasswordCheckSlot(
    () =>
      new Promise((resolve, reject) => {
        pbkdf2(password, salt, iterations, keyLength, 'sha256', (err, key) => (err ? reject(err) : resolve(key)))
      }),
  )

const DUMMY_SALT = 'f3b1c5d7e9a0b2c4d6e8f0a1b3c5d7e9f1a3b5c7d9e0f2a4b6c8d0e2f4a6b8c0'

export const hasUsablePassword = (user: { hash?: unknown; salt?: unknown }): boolean =>
  typeof user.hash === 'string' && typeof user.salt === 'string' && user.hash.length > 0

/**
 * True when `password` matches the user's stored hash. Always spends one full current-format
 * derivation, whether or not the user exists or has a password.
 */
export const checkPassword = async (
  user: { hash?: unknown; salt?: unknown } | null | undefined,
  password: string,
): Promise<boolean> => {
  if (!user || !hasUsablePassword(user)) {
    await derive(password, DUMMY_SALT, CURRENT.iterations, CURRENT.keyLength)
    return false
  }
  const stored = user.hash as string
  const isCurrent = stored.startsWith(CURRENT_PREFIX)
  const { iterations, keyLength } = isCurrent ? CURRENT : LEGACY
  const expected = Buffer.from(isCurrent ? stored.slice(CURRENT_PREFIX.length) : stored, 'hex')
  const actual = await derive(password, user.salt as string, iterations, keyLength)
  return actual.length === expected.length && timingSafeEqual(actual, expected)
}
