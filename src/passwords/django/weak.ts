import { createHash } from 'node:crypto'

import { safeEqual } from '../../utilities/crypto.js'
import { desCrypt } from './desCrypt.js'

/*
 * Django's weak hashers, one fast digest each: accepted at login only while `allowWeakDjangoHashes`
 * is on, and converted at once.
 */

const hexDigest = (algorithm: 'md5' | 'sha1', value: string): string => createHash(algorithm).update(value).digest('hex')

/** MD5PasswordHasher / SHA1PasswordHasher: `md5$<salt>$<hex of md5(salt + password)>`. */
export const verifySaltedDigest = async (password: string, encoded: string): Promise<boolean> => {
  const [algorithm, salt, digest] = encoded.split('$')
  if ((algorithm !== 'md5' && algorithm !== 'sha1') || salt === undefined || digest === undefined) {
    return false
  }
  return safeEqual(hexDigest(algorithm, salt + password), digest)
}

/** UnsaltedMD5PasswordHasher (32 hex characters, or `md5$$` and them) and UnsaltedSHA1PasswordHasher (`sha1$$…`). */
export const verifyUnsaltedDigest = async (password: string, encoded: string): Promise<boolean> => {
  const isSha1 = encoded.startsWith('sha1$$')
  const digest = encoded.replace(/^(md5|sha1)\$\$/, '')
  return safeEqual(hexDigest(isSha1 ? 'sha1' : 'md5', password), digest)
}

/** CryptPasswordHasher: `crypt$$<crypt(3) output>`, whose first two characters are the salt. */
export const verifyCrypt = async (password: string, encoded: string): Promise<boolean> => {
  const data = encoded.slice('crypt$$'.length)
  if (!/^[./0-9A-Za-z]{13}$/.test(data)) {
    return false
  }
  return safeEqual(desCrypt(password, data), data)
}
