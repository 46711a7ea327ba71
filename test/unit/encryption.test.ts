import { afterEach, describe, expect, it } from 'vitest'

import { decryptSecret, encryptSecret } from '../../src/utilities/encryption.js'

const payload = { secret: 'the-payload-secret' }
const noKeys = { mfaEncryptionKey: '', mfaPreviousEncryptionKey: '' }
const keyA = 'a'.repeat(32) + '-first-key'
const keyB = 'b'.repeat(32) + '-second-key'

/** AES-256-GCM for secrets the plugin must read back (TOTP seeds), with key rotation. */
describe('encryption of secrets at rest', () => {
  afterEach(() => {
    delete process.env.REST_AUTH_ENCRYPTION_KEY
  })

  it('round-trips, with a fresh nonce each time and nothing of the plaintext in the ciphertext', () => {
    const args = { payload, purpose: 'test', settings: noKeys }
    const first = encryptSecret({ ...args, plaintext: 'JBSWY3DPEHPK3PXP' })
    const second = encryptSecret({ ...args, plaintext: 'JBSWY3DPEHPK3PXP' })
    expect(first).not.toBe(second)
    expect(first).not.toContain('JBSWY3DPEHPK3PXP')
    expect(first).toMatch(/^v1\.[\w-]{8}\.[\w-]{16}\.[\w-]+\.[\w-]{22}$/)
    expect(decryptSecret({ ...args, value: first })).toEqual({ isStale: false, plaintext: 'JBSWY3DPEHPK3PXP' })
  })

  it('refuses a tampered value, another purpose, another Payload secret and garbage', () => {
    const value = encryptSecret({ payload, plaintext: 'seed', purpose: 'totp', settings: noKeys })
    const parts = value.split('.')
    const flipped = parts[3]!.startsWith('A') ? `B${parts[3]!.slice(1)}` : `A${parts[3]!.slice(1)}`
    const tampered = [...parts.slice(0, 3), flipped, parts[4]].join('.')
    expect(decryptSecret({ payload, purpose: 'totp', settings: noKeys, value: tampered })).toBeNull()
    expect(decryptSecret({ payload, purpose: 'other', settings: noKeys, value })).toBeNull()
    expect(decryptSecret({ payload: { secret: 'another' }, purpose: 'totp', settings: noKeys, value })).toBeNull()
    for (const garbage of ['', 'v1', 'v2.a.b.c.d', 'v1.a.b.c.d']) {
      expect(decryptSecret({ payload, purpose: 'totp', settings: noKeys, value: garbage })).toBeNull()
    }
  })

  it('a dedicated key wins over the Payload secret, and values written before it are still read, as stale', () => {
    const before = encryptSecret({ payload, plaintext: 'old', purpose: 'totp', settings: noKeys })
    const settings = { mfaEncryptionKey: keyA, mfaPreviousEncryptionKey: '' }
    const after = encryptSecret({ payload, plaintext: 'new', purpose: 'totp', settings })
    expect(after.split('.')[1]).not.toBe(before.split('.')[1])
    expect(decryptSecret({ payload, purpose: 'totp', settings, value: before })).toEqual({ isStale: true, plaintext: 'old' })
    expect(decryptSecret({ payload, purpose: 'totp', settings, value: after })).toEqual({ isStale: false, plaintext: 'new' })
    // Without the key, what it encrypted cannot be read.
    expect(decryptSecret({ payload, purpose: 'totp', settings: noKeys, value: after })).toBeNull()
  })

  it('rotation: the previous key still reads; a key dropped from both settings does not', () => {
    const underA = encryptSecret({ payload, plaintext: 'seed', purpose: 'totp', settings: { mfaEncryptionKey: keyA, mfaPreviousEncryptionKey: '' } })
    const rotated = { mfaEncryptionKey: keyB, mfaPreviousEncryptionKey: keyA }
    expect(decryptSecret({ payload, purpose: 'totp', settings: rotated, value: underA })).toEqual({ isStale: true, plaintext: 'seed' })
    expect(decryptSecret({ payload, purpose: 'totp', settings: { mfaEncryptionKey: keyB, mfaPreviousEncryptionKey: '' }, value: underA })).toBeNull()
  })

  it('REST_AUTH_ENCRYPTION_KEY is the key when the setting is empty', () => {
    process.env.REST_AUTH_ENCRYPTION_KEY = keyB
    const value = encryptSecret({ payload, plaintext: 'seed', purpose: 'totp', settings: noKeys })
    expect(decryptSecret({ payload, purpose: 'totp', settings: { mfaEncryptionKey: keyB, mfaPreviousEncryptionKey: '' }, value })?.isStale).toBe(false)
    delete process.env.REST_AUTH_ENCRYPTION_KEY
    expect(decryptSecret({ payload, purpose: 'totp', settings: noKeys, value })).toBeNull()
  })
})
