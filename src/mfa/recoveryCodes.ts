import { randomBytes, randomInt, scrypt } from 'node:crypto'
import { promisify } from 'node:util'

/*
 * Recovery codes: 10 characters of Crockford's base32 (50 bits), shown once. Its alphabet has no I,
 * L, O or U, so what a person reads as one of them is taken as the digit it resembles. Stored as scrypt digests under a random salt shared by the codes made together, so a
 * submitted code costs one derivation whichever code it is, and a stolen table costs a derivation
 * per guess and per user.
 */

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
const CODE_LENGTH = 10
const SCRYPT = { N: 16384, maxmem: 64 * 1024 * 1024, p: 1, r: 8 }

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number, options: typeof SCRYPT) => Promise<Buffer>

/** Codes as shown: `ABCDE-FGHJK`. */
export const newRecoveryCodes = (count: number): string[] =>
  Array.from({ length: count }, () => {
    const code = Array.from({ length: CODE_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join('')
    return `${code.slice(0, 5)}-${code.slice(5)}`
  })

/** A recovery salt for a new set of codes. */
export const newRecoverySalt = (): string => randomBytes(16).toString('base64url')

/** Case, spaces and dashes ignored; O read as 0, I and L as 1 (Crockford's decoding). */
export const normalizeRecoveryCode = (input: string): null | string => {
  const code = input.toUpperCase().replace(/[\s-]+/g, '').replace(/O/g, '0').replace(/[IL]/g, '1')
  return code.length === CODE_LENGTH && [...code].every((char) => ALPHABET.includes(char)) ? code : null
}

export const recoveryCodeDigest = async ({ code, salt }: { code: string; salt: string }): Promise<string> =>
  (await scryptAsync(code, Buffer.from(salt, 'base64url'), 32, SCRYPT)).toString('base64url')
