import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

import { desCrypt } from '../../src/passwords/django/desCrypt.js'
import { checkDjangoPassword, identifyDjangoHasher, isUnusableDjangoPassword } from '../../src/passwords/django/hashers.js'
import { pbkdf2ToPayloadHash } from '../../src/passwords/django/pbkdf2.js'
import { checkPassword } from '../../src/passwords/hashing.js'

type Fixture = { about: string; encoded: string; password: string; username: string }

/** Made by test/fixtures/django/make_fixtures.py with the reference implementations (see its header). */
const fixtures = JSON.parse(
  readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/django/hashes.json'), 'utf8'),
) as { crypt: { crypt: string; password: string; salt: string }[]; hashes: Fixture[] }

/** A wrong password that differs within DES crypt's first eight characters. */
const wrong = (password: string) => `X${password}`

describe('Django password hashes', () => {
  it.each(fixtures.hashes.map((fixture) => [fixture.username, fixture] as const))('%s: the password matches, another does not', async (_, fixture) => {
    const hasher = identifyDjangoHasher(fixture.encoded)
    expect(hasher).not.toBeNull()
    expect(await checkDjangoPassword({ allowWeak: true, encoded: fixture.encoded, password: fixture.password })).toBe(true)
    expect(await checkDjangoPassword({ allowWeak: true, encoded: fixture.encoded, password: wrong(fixture.password) })).toBe(false)
  })

  it('weak hashes are refused unless allowed, even with the right password', async () => {
    const weak = fixtures.hashes.filter((fixture) => identifyDjangoHasher(fixture.encoded)!.isWeak)
    expect(weak.map((fixture) => identifyDjangoHasher(fixture.encoded)!.algorithm).sort()).toEqual(
      ['crypt', 'md5', 'sha1', 'unsalted_md5', 'unsalted_md5', 'unsalted_sha1'],
    )
    for (const fixture of weak) {
      expect(await checkDjangoPassword({ allowWeak: false, encoded: fixture.encoded, password: fixture.password })).toBe(false)
    }
  })

  it('unusable passwords, unknown algorithms and broken encodings never match', async () => {
    expect(isUnusableDjangoPassword('!Xy7mUq9kLzQ0aBcDeFgHiJkLmNoPqRsTuVwXyZ01')).toBe(true)
    expect(isUnusableDjangoPassword('')).toBe(true)
    for (const encoded of ['!', '', 'myhasher$1$salt$c2VjcmV0', 'pbkdf2_sha256$abc$salt$hash', 'pbkdf2_sha256$0$salt$aGFzaA==', 'argon2$argon2id$v=19$m=1,t=1,p=1$c2FsdA$aGFzaA', 'bcrypt$$2b$99$abc', 'scrypt$3$salt$8$1$aGFzaA==']) {
      expect(await checkDjangoPassword({ allowWeak: true, encoded, password: 'anything' })).toBe(false)
    }
  })

  it('DES crypt matches the system crypt(3) on every recorded vector', () => {
    for (const vector of fixtures.crypt) {
      expect(desCrypt(vector.password, vector.salt)).toBe(vector.crypt)
    }
  })

  it("pbkdf2_sha256 at 600,000 iterations becomes Payload's format, which Payload's check accepts", async () => {
    const fixture = fixtures.hashes.find((f) => f.username === 'pbkdf2_600k')!
    const converted = pbkdf2ToPayloadHash(fixture.encoded)!
    expect(converted.hash).toMatch(/^pbkdf2-sha256-v1:[0-9a-f]{64}$/)
    expect(await checkPassword(converted, fixture.password)).toBe(true)
    expect(await checkPassword(converted, wrong(fixture.password))).toBe(false)
    for (const other of fixtures.hashes.filter((f) => f.username !== 'pbkdf2_600k')) {
      expect(pbkdf2ToPayloadHash(other.encoded)).toBeNull()
    }
  })
})
