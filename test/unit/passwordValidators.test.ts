import { describe, expect, it } from 'vitest'

import { quickRatio, validatePassword } from '../../src/passwords/validators.js'

const bob = { email: 'bob@example.com', username: 'bob' }

/** Django 3.2's default validators, against the answers of the real dj-rest-auth transcript. */
describe('password validators', () => {
  it('matches the transcript', () => {
    expect(validatePassword({ password: '12345678', user: bob })).toEqual([
      'This password is too common.',
      'This password is entirely numeric.',
    ])
    expect(validatePassword({ password: 'bob', user: bob })).toEqual([
      'The password is too similar to the username.',
      'This password is too short. It must contain at least 8 characters.',
      'This password is too common.',
    ])
    expect(validatePassword({ password: 'Xk9!pq2mZz', user: bob })).toEqual([])
    expect(validatePassword({ password: 'Qw7#rt5nLp', user: bob })).toEqual([])
  })

  it('names the attribute the password resembles', () => {
    expect(validatePassword({ password: 'Margarethe1', user: { first_name: 'Margarethe' } })).toEqual([
      'The password is too similar to the first name.',
    ])
    expect(validatePassword({ password: 'Zimmermann!', user: { last_name: 'Zimmermann' } })).toEqual([
      'The password is too similar to the last name.',
    ])
    // Parts of the address count on their own, as Django splits on non-word characters.
    expect(validatePassword({ password: 'qwertzuiop9', user: { email: 'qwertzuiop@mail.example' } })).toEqual([
      'The password is too similar to the email address.',
    ])
  })

  it('quick_ratio is difflib’s', () => {
    expect(quickRatio('abc', 'abc')).toBe(1)
    expect(quickRatio('', '')).toBe(1)
    expect(quickRatio('abcd', 'bcde')).toBe(0.75)
    expect(quickRatio('aab', 'abb')).toBeCloseTo(2 / 3)
  })

  it('each validator can be switched off or tuned', () => {
    expect(validatePassword({ options: { minLength: 12 }, password: 'Xk9!pq2mZz' })).toEqual([
      'This password is too short. It must contain at least 12 characters.',
    ])
    expect(validatePassword({ options: { minLength: 1 }, password: '' })).toEqual([
      'This password is too short. It must contain at least 1 character.',
    ])
    expect(validatePassword({ options: { commonPasswords: false, numeric: false }, password: '12345678' })).toEqual([])
    expect(validatePassword({ options: { userAttributeSimilarity: false }, password: 'bobbobbob', user: bob })).toEqual([])
    expect(validatePassword({ options: { minLength: 0 }, password: 'Xk9' })).toEqual([])
  })

  it('common passwords are matched lower-cased and trimmed; unicode digits are numeric', () => {
    expect(validatePassword({ password: '  PASSWORD  ' })).toContain('This password is too common.')
    expect(validatePassword({ password: '١٢٣٤٥٦٧٨٩٠' })).toContain('This password is entirely numeric.')
  })

  it('stays linear on long input', () => {
    const long = 'x'.repeat(10_000) + 'y'.repeat(10_000)
    expect(validatePassword({ password: long, user: { username: 'y'.repeat(5000) } })).toEqual([])
  })
})
