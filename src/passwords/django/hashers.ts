import { currentIterations, spendDerivation } from '../hashing.js'
import { verifyArgon2 } from './argon2.js'
import { verifyBcrypt } from './bcrypt.js'
import { pbkdf2Cost, verifyPbkdf2 } from './pbkdf2.js'
import { verifyScrypt } from './scrypt.js'
import { verifyCrypt, verifySaltedDigest, verifyUnsaltedDigest } from './weak.js'

export type DjangoHasher = {
  /** Django's name for it (`PASSWORD_HASHERS`' `algorithm`). */
  algorithm: string
  /**
   * The check's cost in iterations of Payload's pbkdf2-sha256, where it can be told: a cheaper check
   * is topped up to the cost of a login against a Payload hash. Undefined for argon2, bcrypt and
   * scrypt, whose cost depends on memory and machine and is left as it is.
   */
  cost?: (encoded: string) => number
  /** MD5, SHA-1, unsalted and DES crypt: refused unless `allowWeakDjangoHashes` is on. */
  isWeak: boolean
  verify: (password: string, encoded: string) => Promise<boolean>
}

const hashers: Record<string, DjangoHasher> = {
  argon2: { algorithm: 'argon2', isWeak: false, verify: verifyArgon2 },
  bcrypt: { algorithm: 'bcrypt', isWeak: false, verify: verifyBcrypt },
  bcrypt_sha256: { algorithm: 'bcrypt_sha256', isWeak: false, verify: verifyBcrypt },
  crypt: { algorithm: 'crypt', cost: () => 0, isWeak: true, verify: verifyCrypt },
  md5: { algorithm: 'md5', cost: () => 0, isWeak: true, verify: verifySaltedDigest },
  pbkdf2_sha1: { algorithm: 'pbkdf2_sha1', cost: pbkdf2Cost, isWeak: false, verify: verifyPbkdf2 },
  pbkdf2_sha256: { algorithm: 'pbkdf2_sha256', cost: pbkdf2Cost, isWeak: false, verify: verifyPbkdf2 },
  scrypt: { algorithm: 'scrypt', isWeak: false, verify: verifyScrypt },
  sha1: { algorithm: 'sha1', cost: () => 0, isWeak: true, verify: verifySaltedDigest },
  unsalted_md5: { algorithm: 'unsalted_md5', cost: () => 0, isWeak: true, verify: verifyUnsaltedDigest },
  unsalted_sha1: { algorithm: 'unsalted_sha1', cost: () => 0, isWeak: true, verify: verifyUnsaltedDigest },
}

export const djangoHasherNamed = (algorithm: string): DjangoHasher | null => hashers[algorithm] ?? null

/** set_unusable_password(): "!" and 40 random characters (older Django: "!" alone or an empty string). */
export const isUnusableDjangoPassword = (encoded: string): boolean => encoded === '' || encoded.startsWith('!')

/** Django's identify_hasher, including the bare MD5 hex and `md5$$`/`sha1$$` of ancient versions. */
export const identifyDjangoHasher = (encoded: string): DjangoHasher | null => {
  if ((encoded.length === 32 && !encoded.includes('$')) || (encoded.length === 37 && encoded.startsWith('md5$$'))) {
    return hashers.unsalted_md5!
  }
  if (encoded.length === 46 && encoded.startsWith('sha1$$')) {
    return hashers.unsalted_sha1!
  }
  return hashers[encoded.split('$', 1)[0]!] ?? null
}

/**
 * Django's check_password for an imported hash. A weak hash while `allowWeak` is off, an unknown
 * algorithm and an unusable password are refused after a full derivation, as for unknown accounts;
 * a check cheaper than Payload's is topped up to it (Django's harden_runtime), whatever its result.
 */
export const checkDjangoPassword = async ({
  allowWeak,
  encoded,
  password,
}: {
  allowWeak: boolean
  encoded: string
  password: string
}): Promise<boolean> => {
  const hasher = isUnusableDjangoPassword(encoded) ? null : identifyDjangoHasher(encoded)
  if (!hasher || (hasher.isWeak && !allowWeak)) {
    await spendDerivation(password)
    return false
  }
  const isMatch = await hasher.verify(password, encoded).catch(() => false)
  if (hasher.cost) {
    await spendDerivation(password, currentIterations - hasher.cost(encoded))
  }
  return isMatch
}
