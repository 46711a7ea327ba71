import { dictionary } from '@zxcvbn-ts/language-common'

/*
 * Django 3.2's four default password validators (django.contrib.auth.password_validation), with
 * Django's English messages, in the order of Django's default AUTH_PASSWORD_VALIDATORS:
 * UserAttributeSimilarityValidator, MinimumLengthValidator, CommonPasswordValidator,
 * NumericPasswordValidator.
 *
 * Known differences from Django:
 * - The common-password list is zxcvbn-ts's `passwords-common` (@zxcvbn-ts/language-common, 49,233
 *   lower-case entries), not Django 3.2's bundled common-passwords.txt.gz (20,000 entries). The
 *   obvious ones ("password", "12345678", "bob", ...) are in both, but a password in only one of
 *   the two lists gets a different answer.
 * - Character classes (`\W`, `str.lower()`, `str.isdigit()`, `str.strip()`) follow the JavaScript
 *   engine's Unicode tables rather than those of the Python that ran Django; they differ only for
 *   characters added in recent Unicode versions.
 */

export type PasswordUserAttributes = {
  email?: null | string
  first_name?: null | string
  last_name?: null | string
  username?: null | string
}

export type PasswordValidationOptions = {
  /** CommonPasswordValidator; Django default on */
  commonPasswords: boolean
  /** UserAttributeSimilarityValidator max_similarity; default 0.7 */
  maxSimilarity: number
  /** MinimumLengthValidator min_length; default 8 (0 disables) */
  minLength: number
  /** NumericPasswordValidator; default on */
  numeric: boolean
  /** UserAttributeSimilarityValidator; Django default on */
  userAttributeSimilarity: boolean
}

export const defaultPasswordValidationOptions: PasswordValidationOptions = {
  commonPasswords: true,
  maxSimilarity: 0.7,
  minLength: 8,
  numeric: true,
  userAttributeSimilarity: true,
}

/** UserAttributeSimilarityValidator.DEFAULT_USER_ATTRIBUTES with the verbose names of Django's User fields. */
const USER_ATTRIBUTES: readonly (readonly [keyof PasswordUserAttributes, string])[] = [
  ['username', 'username'],
  ['first_name', 'first name'],
  ['last_name', 'last name'],
  ['email', 'email address'],
]

/** Python's `\W` on a str pattern: anything but a letter, a number (Nd, Nl, No) or `_`. */
const NON_WORD = /[^\p{L}\p{N}_]+/u

/**
 * Python's `str.isdigit()`: non-empty, every character of Numeric_Type Decimal (= category Nd) or
 * Digit (superscripts, circled digits and the like, listed here as JavaScript has no property for
 * them). Generated from Python 3.11's unicodedata.
 */
const ALL_DIGITS =
  /^[\p{Nd}\u00B2\u00B3\u00B9\u1369-\u1371\u19DA\u2070\u2074-\u2079\u2080-\u2089\u2460-\u2468\u2474-\u247C\u2488-\u2490\u24EA\u24F5-\u24FD\u24FF\u2776-\u277E\u2780-\u2788\u278A-\u2792\u{10A40}-\u{10A43}\u{10E60}-\u{10E68}\u{11052}-\u{1105A}\u{1F100}-\u{1F10A}]+$/u

/**
 * Python's `str.isspace()` characters, which `str.strip()` removes. Unlike JavaScript's `trim()`,
 * they include U+001C..U+001F and U+0085 but not U+FEFF.
 */
const PYTHON_WHITESPACE = new Set([
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002,
  0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
])

/** Python's `str.strip()` with no argument (linear; all of these characters are single UTF-16 units). */
const pythonStrip = (value: string): string => {
  let start = 0
  let end = value.length
  while (start < end && PYTHON_WHITESPACE.has(value.charCodeAt(start))) {
    start += 1
  }
  while (end > start && PYTHON_WHITESPACE.has(value.charCodeAt(end - 1))) {
    end -= 1
  }
  return value.slice(start, end)
}

let commonPasswords: Set<string> | undefined

/** CommonPasswordValidator's set, built on first use: `{x.strip() for x in f}`. */
const commonPasswordSet = (): Set<string> => {
  commonPasswords ??= new Set(dictionary['passwords-common'].map(pythonStrip))
  return commonPasswords
}

/** Counts of each code point (Python iterates a str by code point, not by UTF-16 unit). */
const countCodePoints = (value: string): { counts: Map<string, number>; length: number } => {
  const counts = new Map<string, number>()
  let length = 0
  for (const char of value) {
    counts.set(char, (counts.get(char) ?? 0) + 1)
    length += 1
  }
  return { counts, length }
}

type CodePointCounts = ReturnType<typeof countCodePoints>

/**
 * difflib's quick_ratio from precomputed counts. Its loop counts, for each character, the smaller
 * of its two multiplicities, so matches is the size of the multiset intersection; then
 * `_calculate_ratio(matches, length)`: 2.0 * matches / length, or 1.0 when both are empty.
 */
const quickRatioOfCounts = (a: CodePointCounts, b: CodePointCounts): number => {
  const length = a.length + b.length
  if (length === 0) {
    return 1
  }
  let matches = 0
  for (const [char, countB] of b.counts) {
    matches += Math.min(a.counts.get(char) ?? 0, countB)
  }
  return (2 * matches) / length
}

/** Python's `difflib.SequenceMatcher(a=a, b=b).quick_ratio()`, in time linear in the lengths. */
export function quickRatio(a: string, b: string): number {
  return quickRatioOfCounts(countCodePoints(a), countCodePoints(b))
}

/**
 * UserAttributeSimilarityValidator: the first attribute (in Django's order) that the password
 * resembles gives the only message, as Django raises on it. Each non-empty string attribute is
 * compared whole and by its parts split on `\W+` (which may include empty parts, as in Python).
 * The password's counts are taken once, so the cost stays linear however many parts there are.
 */
const similarityError = (
  password: string,
  user: PasswordUserAttributes,
  maxSimilarity: number,
): string | undefined => {
  const passwordCounts = countCodePoints(password.toLowerCase())
  for (const [attribute, verboseName] of USER_ATTRIBUTES) {
    const value: unknown = user[attribute]
    if (!value || typeof value !== 'string') {
      continue
    }
    const parts = [...value.split(NON_WORD), value]
    for (const part of parts) {
      if (quickRatioOfCounts(passwordCounts, countCodePoints(part.toLowerCase())) >= maxSimilarity) {
        return `The password is too similar to the ${verboseName}.`
      }
    }
  }
  return undefined
}

/** Python's `len()`: code points. */
const codePointLength = (value: string): number => {
  let length = 0
  for (const _char of value) {
    length += 1
  }
  return length
}

/** MinimumLengthValidator, with ngettext's English singular for 1. */
const tooShortMessage = (minLength: number): string =>
  `This password is too short. It must contain at least ${minLength} ${minLength === 1 ? 'character' : 'characters'}.`

/** Options left out, or given as undefined, take Django's defaults. */
const withDefaults = (overrides: Partial<PasswordValidationOptions> = {}): PasswordValidationOptions => ({
  commonPasswords: overrides.commonPasswords ?? defaultPasswordValidationOptions.commonPasswords,
  maxSimilarity: overrides.maxSimilarity ?? defaultPasswordValidationOptions.maxSimilarity,
  minLength: overrides.minLength ?? defaultPasswordValidationOptions.minLength,
  numeric: overrides.numeric ?? defaultPasswordValidationOptions.numeric,
  userAttributeSimilarity: overrides.userAttributeSimilarity ?? defaultPasswordValidationOptions.userAttributeSimilarity,
})

/** Returns every failing message, in Django's order: similarity, minimum length, common, numeric. Empty array = valid. */
export function validatePassword({
  options: overrides,
  password,
  user,
}: {
  options?: Partial<PasswordValidationOptions>
  password: string
  user?: PasswordUserAttributes
}): string[] {
  const options = withDefaults(overrides)
  const errors: string[] = []
  // `if not user: return`
  if (options.userAttributeSimilarity && user) {
    const similar = similarityError(password, user, options.maxSimilarity)
    if (similar !== undefined) {
      errors.push(similar)
    }
  }
  // `len(password) < self.min_length`: a minimum of 0 (or less) never fails.
  if (codePointLength(password) < options.minLength) {
    errors.push(tooShortMessage(options.minLength))
  }
  if (options.commonPasswords && commonPasswordSet().has(pythonStrip(password.toLowerCase()))) {
    errors.push('This password is too common.')
  }
  if (options.numeric && ALL_DIGITS.test(password)) {
    errors.push('This password is entirely numeric.')
  }
  return errors
}
