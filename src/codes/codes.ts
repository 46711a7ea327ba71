import { randomInt } from 'node:crypto'

import type { RestAuthSettings } from '../types.js'

/** allauth's alphabet for codes: capital letters without I and O, which read like 1 and 0. */
const LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ'
const DIGITS = '0123456789'
const CODE_LENGTH = 8

/** A fresh code in the configured format, from the CSPRNG. */
export const generateCode = (format: RestAuthSettings['codeFormat']): string => {
  const alphabet = format === 'digits' ? DIGITS : LETTERS
  return Array.from({ length: CODE_LENGTH }, () => alphabet[randomInt(alphabet.length)]).join('')
}

/** What the user typed, as the code was generated: case, spaces and dashes do not matter. */
export const normalizeCode = (value: string): string => value.replace(/[\s-]+/g, '').toUpperCase()
