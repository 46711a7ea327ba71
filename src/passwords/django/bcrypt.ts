import bcrypt from 'bcryptjs'
import { createHash } from 'node:crypto'

/**
 * BCryptSHA256PasswordHasher (`bcrypt_sha256$$2b$12$…`: the password's SHA-256 in lower-case hex is
 * what bcrypt sees, so long passwords are not cut at 72 bytes) and BCryptPasswordHasher
 * (`bcrypt$$2b$12$…`). bcryptjs is pure JavaScript and yields to the event loop between rounds.
 */
const BCRYPT = /^(bcrypt|bcrypt_sha256)\$\$2[aby]\$(\d\d)\$[./A-Za-z0-9]{53}$/

/** Django's default is 12; every step doubles the time. */
const MAX_ROUNDS = 16

export const verifyBcrypt = async (password: string, encoded: string): Promise<boolean> => {
  const match = BCRYPT.exec(encoded)
  if (!match || Number(match[2]) > MAX_ROUNDS) {
    return false
  }
  const secret = match[1] === 'bcrypt_sha256' ? createHash('sha256').update(password).digest('hex') : password
  // $2y$ (PHP's name) is the same algorithm as $2b$.
  const data = encoded.slice(match[1]!.length + 1).replace(/^\$2y\$/, '$2b$')
  return bcrypt.compare(secret, data)
}
