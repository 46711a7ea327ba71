import { scrypt, timingSafeEqual } from 'node:crypto'

/** ScryptPasswordHasher: `scrypt$<n>$<salt>$<r>$<p>$<base64 key>`. */
const SCRYPT = /^scrypt\$(\d{1,10})\$([^$]*)\$(\d{1,3})\$(\d{1,3})\$([A-Za-z0-9+/]+={0,2})$/

/** Memory one check may take (Django's default needs 16 MiB). */
const MAX_MEMORY = 1024 * 1024 * 1024

export const verifyScrypt = async (password: string, encoded: string): Promise<boolean> => {
  const match = SCRYPT.exec(encoded)
  if (!match) {
    return false
  }
  const [N, r, p] = [Number(match[1]), Number(match[3]), Number(match[4])]
  const key = Buffer.from(match[5]!, 'base64')
  const memory = 128 * N * r * p
  if (N < 2 || (N & (N - 1)) !== 0 || r < 1 || p < 1 || memory > MAX_MEMORY || key.length === 0) {
    return false
  }
  const derived = await new Promise<Buffer>((resolve, reject) =>
    scrypt(password, match[2]!, key.length, { N, maxmem: 2 * memory, p, r }, (err, out) => (err ? reject(err) : resolve(out))),
  )
  return timingSafeEqual(derived, key)
}
