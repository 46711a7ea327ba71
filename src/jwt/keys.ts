import type { Payload } from 'payload'

import { createHmac, createSecretKey, type KeyObject } from 'node:crypto'

import type { RestAuthSettings } from '../types.js'

/** The fixed label the default signing key is derived with; changing it invalidates every token. */
const DERIVATION_LABEL = 'payload-rest-auth/jwt-signing-key/v1'

/**
 * The HS256 key when SIGNING_KEY is empty: HMAC-SHA256 of a fixed label keyed with the Payload
 * secret. Payload's own tokens are signed with the secret itself, so neither accepts the other's.
 */
export const deriveSigningKey = (secret: string): Buffer => createHmac('sha256', secret).update(DERIVATION_LABEL).digest()

const derived = new WeakMap<Payload, KeyObject>()
const configured = new Map<string, KeyObject>()

/** Secret key objects are built once: jsonwebtoken would otherwise re-parse raw key material per call. */
const keyObject = (material: string): KeyObject => {
  let key = configured.get(material)
  if (!key) {
    if (configured.size > 16) {
      configured.clear()
    }
    key = createSecretKey(Buffer.from(material, 'utf8'))
    configured.set(material, key)
  }
  return key
}

const defaultKey = (payload: Payload): KeyObject => {
  let key = derived.get(payload)
  if (!key) {
    key = createSecretKey(deriveSigningKey(payload.secret))
    derived.set(payload, key)
  }
  return key
}

export type SigningKeys = {
  /** Signs new tokens and verifies. */
  current: KeyObject
  /** Verifies only: tokens signed before the last key rotation stay valid until they expire. */
  previous: KeyObject | null
}

export const signingKeys = (payload: Payload, settings: RestAuthSettings): SigningKeys => ({
  current: settings.jwtSigningKey ? keyObject(settings.jwtSigningKey) : defaultKey(payload),
  previous: settings.jwtPreviousSigningKey ? keyObject(settings.jwtPreviousSigningKey) : null,
})
