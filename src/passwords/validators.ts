import { dictionary } from '@zxcvbn-ts/language-common'

/*
 * Django 3.2's four default password validators, with Django's messages, in Django's order.
 * The common-password list is zxcvbn-ts's (about 49,000 entries), maintained upstream.
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

const ATTRIBUTES: [keyof PasswordUserAttributes, string][] = [
  ['username', 'username'],
  ['first_name', 'first name'],
  ['last_name', 'last name'],
  ['email', 'email address'],
]

let commonPasswords: Set<string> | undefined

const isCommon = (password: string): boolean => {
  commonPasswords ??= new Set((dictionary as Record<string, string[]>)['passwords-common'])
  return commonPasswords.has(password.toLowerCase().trim())
}

/** Python difflib's SequenceMatcher.quick_ratio: an upper bound on ratio() from character counts. */
export const quickRatio = (a: string, b: string): number => {
  const left = [...a]
  const right = [...b]
  const length = left.length + right.length
  if (length === 0) {
    return 1
  }
  const counts = new Map<string, number>()
  for (const char of right) {
    counts.set(char, (counts.get(char) ?? 0) + 1)
  }
  let matches = 0
  for (const char of left) {
    const available = counts.get(char) ?? 0
    if (available > 0) {
      matches += 1
    }
    counts.set(char, available - 1)
  }
  return (2 * matches) / length
}

const similarityError = (password: string, user: PasswordUserAttributes, maxSimilarity: number): string | undefined => {
  const lowered = password.toLowerCase()
  for (const [attribute, verboseName] of ATTRIBUTES) {
    const value = user[attribute]
    if (!value || typeof value !== 'string') {
      continue
    }
    const parts = [...value.split(/[^\p{L}\p{N}_]+/u), value]
    if (parts.some((part) => quickRatio(lowered, part.toLowerCase()) >= maxSimilarity)) {
      return `The password is too similar to the ${verboseName}.`
    }
  }
  return undefined
}

/** Every failing message, in Django's order: similarity, minimum length, common, numeric. Empty = valid. */
export const validatePassword = ({
  options: overrides,
  password,
  user = {},
}: {
  options?: Partial<PasswordValidationOptions>
  password: string
  user?: PasswordUserAttributes
}): string[] => {
  const options = { ...defaultPasswordValidationOptions, ...overrides }
  const errors: string[] = []
  if (options.userAttributeSimilarity) {
    const similar = similarityError(password, user, options.maxSimilarity)
    if (similar) {
      errors.push(similar)
    }
  }
  if (options.minLength > 0 && [...password].length < options.minLength) {
    const unit = options.minLength === 1 ? 'character' : 'characters'
    errors.push(`This password is too short. It must contain at least ${options.minLength} ${unit}.`)
  }
  if (options.commonPasswords && isCommon(password)) {
    errors.push('This password is too common.')
  }
  // Python's str.isdigit(), approximated by Unicode decimal digits.
  if (options.numeric && /^\p{Nd}+$/u.test(password)) {
    errors.push('This password is entirely numeric.')
  }
  return errors
}
