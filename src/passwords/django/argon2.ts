import { argon2dAsync, argon2iAsync, argon2idAsync } from '@noble/hashes/argon2'
import { timingSafeEqual } from 'node:crypto'

/**
 * Argon2PasswordHasher: "argon2" + argon2-cffi's encoding, `argon2$argon2id$v=19$m=102400,t=2,p=8$<salt>$<hash>`
 * (base64 without padding; hashes of argon2-cffi 16 have no `v=` and are version 0x10).
 * @noble/hashes is pure JavaScript and yields to the event loop every few milliseconds.
 */
const ARGON2 = /^argon2\$(argon2id|argon2i|argon2d)\$(?:v=(\d+)\$)?m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/

const variants = { argon2d: argon2dAsync, argon2i: argon2iAsync, argon2id: argon2idAsync }

/** KiB one check may take (Django's default is 100 MiB). */
const MAX_MEMORY_KIB = 1024 * 1024

/** Each check holds its whole memory: one at a time per process, so parallel logins cannot add them up. */
let queue: Promise<unknown> = Promise.resolve()
const oneAtATime = <T>(run: () => Promise<T>): Promise<T> => {
  const result = queue.then(run)
  queue = result.catch(() => undefined)
  return result
}

export const verifyArgon2 = async (password: string, encoded: string): Promise<boolean> => {
  const match = ARGON2.exec(encoded)
  if (!match) {
    return false
  }
  const [version, m, t, p] = [match[2] === undefined ? 0x10 : Number(match[2]), Number(match[3]), Number(match[4]), Number(match[5])]
  const salt = Buffer.from(match[6]!, 'base64')
  const hash = Buffer.from(match[7]!, 'base64')
  if ((version !== 0x10 && version !== 0x13) || m > MAX_MEMORY_KIB || t < 1 || t > 64 || p < 1 || p > 64 || m < 8 * p || hash.length < 4) {
    return false
  }
  const derive = variants[match[1] as keyof typeof variants]
  const derived = await oneAtATime(() =>
    derive(password, salt, { dkLen: hash.length, m, p, t, version }),
  )
  return timingSafeEqual(Buffer.from(derived), hash)
}
