import type { Payload } from 'payload'

import { createHmac } from 'node:crypto'

import { now } from '../utilities/clock.js'
import { safeEqual } from '../utilities/crypto.js'

/*
 * django-allauth's EmailConfirmationHMAC: "<address id>:<timestamp>:<signature>", signed with a key
 * derived from the Payload secret and bound to the address itself. Nothing is stored; a key works
 * once because confirming marks the address verified, and only unverified addresses confirm.
 */

const sign = (payload: Payload, encodedId: string, timestamp: string, email: string): string => {
  const key = createHmac('sha256', payload.secret).update('payload-rest-auth.email-confirmation').digest()
  return createHmac('sha256', key).update(`${encodedId}:${timestamp}:${email.toLowerCase()}`).digest('base64url')
}

export const makeConfirmationKey = (payload: Payload, address: { email: string; id: number | string }): string => {
  const encodedId = Buffer.from(JSON.stringify(address.id)).toString('base64url')
  const timestamp = Math.floor(now() / 1000).toString(36)
  return `${encodedId}:${timestamp}:${sign(payload, encodedId, timestamp, address.email)}`
}

/** The address id a key names, if it is well-formed and not older than `maxAgeSeconds`; the caller checks the signature against the address. */
export const parseConfirmationKey = (
  key: string,
  maxAgeSeconds: number,
): { encodedId: string; id: number | string; signature: string; timestamp: string } | null => {
  const match = /^([A-Za-z0-9_-]{1,64}):([0-9a-z]{1,11}):([A-Za-z0-9_-]{43})$/.exec(key)
  if (!match) {
    return null
  }
  const [, encodedId, timestamp, signature] = match as unknown as [string, string, string, string]
  const age = Math.floor(now() / 1000) - parseInt(timestamp, 36)
  if (age < 0 || age > maxAgeSeconds) {
    return null
  }
  try {
    const id: unknown = JSON.parse(Buffer.from(encodedId, 'base64url').toString('utf8'))
    if ((typeof id !== 'number' || !Number.isSafeInteger(id)) && (typeof id !== 'string' || id.length > 64)) {
      return null
    }
    return { encodedId, id, signature, timestamp }
  } catch {
    return null
  }
}

export const isConfirmationSignatureValid = (
  payload: Payload,
  parsed: { encodedId: string; signature: string; timestamp: string },
  email: string,
): boolean => safeEqual(sign(payload, parsed.encodedId, parsed.timestamp, email), parsed.signature)
