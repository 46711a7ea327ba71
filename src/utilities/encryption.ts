import type { Payload } from 'payload'

import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto'

import type { RestAuthSettings } from '../types.js'

/*
 * Secrets the plugin must read back (TOTP seeds) are stored encrypted: AES-256-GCM, a random 96-bit
 * nonce per value, the row's purpose as associated data (a ciphertext copied into another purpose
 * does not decrypt). The key is the `mfaEncryptionKey` setting, else REST_AUTH_ENCRYPTION_KEY, else
 * derived from the Payload secret, always through HKDF so any string makes a 256-bit key. Each value
 * names its key by a short fingerprint, so after a rotation values written under the previous key
 * (or the Payload-secret key a site started with) are still read, and re-encrypted at their next use.
 */

const VERSION = 'v1'
const INFO = 'payload-rest-auth/encryption/v1'

type Key = { id: string; key: Buffer }

const deriveKey = (material: string): Key => {
  const key = Buffer.from(hkdfSync('sha256', material, 'payload-rest-auth', INFO, 32))
  // A fingerprint of the derived key, not of the material: it says which key, and nothing about it.
  return { id: createHash('sha256').update(key).digest('base64url').slice(0, 8), key }
}

const derived = new Map<string, Key>()
const keyOf = (material: string): Key => {
  let key = derived.get(material)
  if (!key) {
    key = deriveKey(material)
    derived.set(material, key)
  }
  return key
}

type KeySettings = Pick<RestAuthSettings, 'mfaEncryptionKey' | 'mfaPreviousEncryptionKey'>

/** The key new values are encrypted with, then every key an older value may name. */
export const encryptionKeys = (payload: Pick<Payload, 'secret'>, settings: KeySettings): Key[] => {
  const fromPayload = `payload-secret:${payload.secret}`
  const current = settings.mfaEncryptionKey || process.env.REST_AUTH_ENCRYPTION_KEY || fromPayload
  const materials = [current, settings.mfaPreviousEncryptionKey, process.env.REST_AUTH_ENCRYPTION_KEY, fromPayload]
  return [...new Set(materials.filter((material): material is string => Boolean(material)))].map(keyOf)
}

export type EncryptionArgs = { payload: Pick<Payload, 'secret'>; purpose: string; settings: KeySettings }

/** `v1.<key id>.<nonce>.<ciphertext>.<tag>`, base64url. */
export const encryptSecret = ({ payload, plaintext, purpose, settings }: { plaintext: string } & EncryptionArgs): string => {
  const { id, key } = encryptionKeys(payload, settings)[0]!
  const nonce = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', key, nonce)
  cipher.setAAD(Buffer.from(purpose))
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
  return [VERSION, id, nonce.toString('base64url'), ciphertext.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.')
}

export type Decrypted = {
  /** Written under an older key: write it again with `encryptSecret`. */
  isStale: boolean
  plaintext: string
}

/** The plaintext, or null when the value is malformed, names no key this site has, or was tampered with. */
export const decryptSecret = ({ payload, purpose, settings, value }: { value: string } & EncryptionArgs): Decrypted | null => {
  const parts = value.split('.')
  if (parts.length !== 5 || parts[0] !== VERSION) {
    return null
  }
  const [, id, nonce, ciphertext, tag] = parts as [string, string, string, string, string]
  const keys = encryptionKeys(payload, settings)
  const index = keys.findIndex((key) => key.id === id)
  if (index < 0) {
    return null
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', keys[index]!.key, Buffer.from(nonce, 'base64url'))
    decipher.setAAD(Buffer.from(purpose))
    decipher.setAuthTag(Buffer.from(tag, 'base64url'))
    const plaintext = Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8')
    return { isStale: index > 0, plaintext }
  } catch {
    return null
  }
}
