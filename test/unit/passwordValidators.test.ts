import { dictionary } from '@zxcvbn-ts/language-common'
import { describe, expect, it } from 'vitest'

import type { PasswordUserAttributes } from '../../src/passwords/validators.js'

import { defaultPasswordValidationOptions, quickRatio, validatePassword } from '../../src/passwords/validators.js'

/*
 * Django 3.2's default validators. The transcript cases are the real dj-rest-auth answers; the
 * others were computed by running Django 3.2's validator code (re.split, difflib.SequenceMatcher,
 * str.isdigit, str.strip) under Python 3.11 against the same common-password list.
 */

const bob = { email: 'bob@example.com', username: 'bob' }

const SIMILAR_USERNAME = 'The password is too similar to the username.'
const SIMILAR_FIRST_NAME = 'The password is too similar to the first name.'
const SIMILAR_LAST_NAME = 'The password is too similar to the last name.'
const SIMILAR_EMAIL = 'The password is too similar to the email address.'
const TOO_SHORT_8 = 'This password is too short. It must contain at least 8 characters.'
const TOO_COMMON = 'This password is too common.'
const NUMERIC = 'This password is entirely numeric.'

describe('password validators: the dj-rest-auth transcript', () => {
  it('12345678 is common and numeric', () => {
    expect(validatePassword({ password: '12345678', user: bob })).toEqual([TOO_COMMON, NUMERIC])
  })

  it('bob is similar, short and common, in that order', () => {
    expect(validatePassword({ password: 'bob', user: bob })).toEqual([SIMILAR_USERNAME, TOO_SHORT_8, TOO_COMMON])
  })

  it('accepts the strong passwords', () => {
    expect(validatePassword({ password: 'Xk9!pq2mZz', user: bob })).toEqual([])
    expect(validatePassword({ password: 'Qw7#rt5nLp', user: bob })).toEqual([])
  })
})

describe('the common-password list', () => {
  const list = dictionary['passwords-common']

  it('is @zxcvbn-ts/language-common 4.1.3’s passwords-common', () => {
    expect(list).toHaveLength(49_233)
    // "bob" is in the list, so the transcript's third message comes from the list itself.
    expect(list).toContain('bob')
    expect(list).toContain('password')
    expect(list).toContain('12345678')
  })

  it('matches lower-cased and stripped like str.lower().strip()', () => {
    expect(validatePassword({ password: '  PASSWORD  ' })).toEqual([TOO_COMMON])
    expect(validatePassword({ password: '\tPassWord\n' })).toEqual([TOO_COMMON])
    // Python's str.strip() also removes U+001C..U+001F and U+0085, which String#trim keeps...
    expect(validatePassword({ password: '\u001cpassword\u0085' })).toEqual([TOO_COMMON])
    // ...and keeps U+FEFF, which String#trim removes.
    expect(validatePassword({ password: '\ufeffpassword' })).toEqual([])
    // Inner whitespace is not touched.
    expect(validatePassword({ password: 'pass word' })).toEqual([])
  })

  it('can be switched off', () => {
    expect(validatePassword({ options: { commonPasswords: false }, password: 'password' })).toEqual([])
  })
})

describe('UserAttributeSimilarityValidator', () => {
  it('names the attribute the password resembles', () => {
    expect(validatePassword({ password: 'Margarethe1', user: { first_name: 'Margarethe' } })).toEqual([
      SIMILAR_FIRST_NAME,
    ])
    expect(validatePassword({ password: 'Zimmermann!', user: { last_name: 'Zimmermann' } })).toEqual([
      SIMILAR_LAST_NAME,
    ])
    expect(validatePassword({ password: 'qwertzuiop9', user: { email: 'qwertzuiop@mail.example' } })).toEqual([
      SIMILAR_EMAIL,
    ])
  })

  it('compares the parts of a value split on \\W+ as well as the whole', () => {
    // 'example-77' against the part 'example': 2 * 7 / 17 = 0.82; against the whole address only 0.44.
    expect(validatePassword({ password: 'Example-77', user: bob })).toEqual([SIMILAR_EMAIL])
  })

  it('reports only the first attribute, in Django’s order', () => {
    // Both the username and the address's first part are "alice": 2 * 5 / 14 = 0.714.
    expect(validatePassword({ password: 'alice2024', user: { email: 'alice@example.com', username: 'alice' } })).toEqual(
      [SIMILAR_USERNAME],
    )
    // 'alice2024!' is 2 * 5 / 15 = 0.667: under the threshold.
    expect(
      validatePassword({ password: 'alice2024!', user: { email: 'alice@example.com', username: 'alice' } }),
    ).toEqual([])
    // The username is checked first but is not similar; the first name is.
    expect(validatePassword({ password: 'Xk9!pq2mZz', user: { first_name: 'pq2mZz', username: 'Xk9' } })).toEqual([
      SIMILAR_FIRST_NAME,
    ])
  })

  it('is case-insensitive, lower-casing like Python (final sigma included)', () => {
    expect(validatePassword({ password: 'ΣΊΣΥΦΟΣ12', user: { last_name: 'Σίσυφος' } })).toEqual([SIMILAR_LAST_NAME])
  })

  it('skips missing, empty and non-string attributes, and a missing user', () => {
    const odd = { email: 'bob@example.com', first_name: '', last_name: 42, username: null } as unknown as PasswordUserAttributes
    expect(validatePassword({ options: { maxSimilarity: 0 }, password: 'Xk9!pq2mZz', user: odd })).toEqual([SIMILAR_EMAIL])
    expect(validatePassword({ options: { maxSimilarity: 0 }, password: 'Xk9!pq2mZz' })).toEqual([])
  })

  it('keeps re.split’s empty parts: an empty password is “similar” to one (quick_ratio of two empties is 1.0)', () => {
    expect(validatePassword({ password: '', user: { username: '@bob' } })).toEqual([SIMILAR_USERNAME, TOO_SHORT_8])
    expect(validatePassword({ password: '', user: { username: 'bob' } })).toEqual([TOO_SHORT_8])
    expect(validatePassword({ password: '', user: {} })).toEqual([TOO_SHORT_8])
  })

  it('honours max_similarity, without Django 4’s lower bound', () => {
    // 'bobby123' against 'bob': 2 * 3 / 11 = 0.545.
    expect(validatePassword({ password: 'bobby123', user: bob })).toEqual([TOO_COMMON])
    expect(validatePassword({ options: { maxSimilarity: 0.5 }, password: 'bobby123', user: bob })).toEqual([
      SIMILAR_USERNAME,
      TOO_COMMON,
    ])
    // Django 3.2 accepts 0, which makes any non-empty attribute "similar".
    expect(validatePassword({ options: { maxSimilarity: 0 }, password: 'Xk9!pq2mZz', user: bob })).toEqual([
      SIMILAR_USERNAME,
    ])
  })

  it('can be switched off', () => {
    expect(validatePassword({ options: { userAttributeSimilarity: false }, password: 'bob', user: bob })).toEqual([
      TOO_SHORT_8,
      TOO_COMMON,
    ])
    expect(
      validatePassword({
        options: { commonPasswords: false, minLength: 0, userAttributeSimilarity: false },
        password: 'bob',
        user: bob,
      }),
    ).toEqual([])
  })
})

describe('quick_ratio is difflib’s', () => {
  it('gives the same values as Python', () => {
    expect(quickRatio('abc', 'abc')).toBe(1)
    expect(quickRatio('', '')).toBe(1)
    expect(quickRatio('', 'abc')).toBe(0)
    expect(quickRatio('abcd', 'bcde')).toBe(0.75)
    expect(quickRatio('aab', 'abb')).toBe(0.6666666666666666)
    expect(quickRatio('bob', 'bob@example.com')).toBe(0.3333333333333333)
    expect(quickRatio('12345678', 'bob')).toBe(0)
  })

  it('counts code points, not UTF-16 units', () => {
    expect(quickRatio('𝒳𝒳a', '𝒳a')).toBe(0.8)
  })
})

describe('MinimumLengthValidator', () => {
  it('takes min_length from the options, with ngettext’s singular for 1', () => {
    expect(validatePassword({ options: { minLength: 12 }, password: 'Xk9!pq2mZz' })).toEqual([
      'This password is too short. It must contain at least 12 characters.',
    ])
    expect(validatePassword({ options: { minLength: 1 }, password: '' })).toEqual([
      'This password is too short. It must contain at least 1 character.',
    ])
  })

  it('is off at 0', () => {
    expect(validatePassword({ options: { minLength: 0 }, password: 'Xk9' })).toEqual([])
  })

  it('counts code points like len()', () => {
    expect(validatePassword({ password: '𝒳𝒳𝒳𝒳𝒳𝒳𝒳' })).toEqual([TOO_SHORT_8])
    expect(validatePassword({ password: '𝒳𝒳𝒳𝒳𝒳𝒳𝒳𝒳' })).toEqual([])
  })

  it('treats undefined options as the defaults', () => {
    expect(validatePassword({ options: { minLength: undefined }, password: 'Xk9' })).toEqual([
      'This password is too short. It must contain at least 8 characters.',
    ])
    expect(defaultPasswordValidationOptions).toEqual({
      commonPasswords: true,
      maxSimilarity: 0.7,
      minLength: 8,
      numeric: true,
      userAttributeSimilarity: true,
    })
  })
})

describe('NumericPasswordValidator', () => {
  it('follows str.isdigit(), Unicode digits included', () => {
    expect(validatePassword({ password: '١٢٣٤٥٦٧٨٩٠' })).toEqual([NUMERIC])
    expect(validatePassword({ password: '８６５３０９７４２' })).toEqual([NUMERIC])
    // Superscripts and circled digits are "digits" for Python, though not category Nd.
    expect(validatePassword({ password: '²³¹²³¹²³' })).toEqual([NUMERIC])
    expect(validatePassword({ password: '①②③④⑤⑥⑦⑧' })).toEqual([NUMERIC])
    // Vulgar fractions are numeric but not digits.
    expect(validatePassword({ password: '½½½½½½½½' })).toEqual([])
    expect(validatePassword({ password: '12345678a' })).toEqual([TOO_COMMON])
  })

  it('can be switched off, leaving the common check', () => {
    expect(validatePassword({ options: { numeric: false }, password: '12345678' })).toEqual([TOO_COMMON])
    expect(validatePassword({ options: { commonPasswords: false }, password: '12345678' })).toEqual([NUMERIC])
    expect(validatePassword({ options: { commonPasswords: false, numeric: false }, password: '12345678' })).toEqual([])
  })
})

describe('long input', () => {
  it('stays linear in the password and in the number of parts', () => {
    const long = 'x'.repeat(10_000)
    expect(validatePassword({ password: long, user: { username: 'x'.repeat(150) } })).toEqual([])
    expect(validatePassword({ password: long, user: { username: 'a.'.repeat(75) } })).toEqual([])
    // 5,001 parts against a 10,000-character password: quadratic if each part rescanned the password.
    expect(validatePassword({ password: long + 'y'.repeat(10_000), user: { first_name: 'a.'.repeat(5000) } })).toEqual(
      [],
    )
    expect(validatePassword({ password: '1'.repeat(10_000), user: bob })).toEqual([NUMERIC])
  })
})
