import type { FieldErrors } from '../errors/RestAuthError.js'
import type { RequestData } from '../http/parseBody.js'
import type { Schema } from '../http/fields.js'

import { messages } from '../errors/messages.js'
import { fieldErrors } from '../errors/RestAuthError.js'
import { inDeclaredOrder, validateFields } from '../http/fields.js'

/** DRF's BooleanField: what it accepts as true and false (forms send strings). */
const TRUE_VALUES = new Set<unknown>([true, 1, 'true', 'True', 'TRUE', '1', 'on', 'yes'])
const FALSE_VALUES = new Set<unknown>([false, 0, 'false', 'False', 'FALSE', '0', 'off', 'no'])

/** A boolean field of the body (absent: `fallback`), or the 400 with DRF's message. */
export const requireBoolean = (data: RequestData, name: string, fallback: boolean): boolean => {
  const raw = data[name]
  if (raw === undefined) {
    return fallback
  }
  if (TRUE_VALUES.has(raw)) {
    return true
  }
  if (FALSE_VALUES.has(raw)) {
    return false
  }
  throw fieldErrors({ [name]: [raw === null ? messages.field.nullField : messages.webauthn.invalidBoolean] })
}

/**
 * The `credential` field: the browser's PublicKeyCredential as JSON, an object (or, in a form body,
 * its JSON text). Only its shape is checked here; what it proves is for @simplewebauthn/server.
 */
const readCredential = (raw: unknown): { credential?: Record<string, unknown>; error?: string } => {
  if (raw === undefined) {
    return { error: messages.field.requiredField }
  }
  if (raw === null) {
    return { error: messages.field.nullField }
  }
  let value = raw
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw)
    } catch {
      return { error: messages.webauthn.credentialInvalid }
    }
  }
  const credential = value as Record<string, unknown> | null
  const response = credential?.response as Record<string, unknown> | null | undefined
  const isShaped =
    credential !== null &&
    typeof credential === 'object' &&
    !Array.isArray(credential) &&
    typeof credential.id === 'string' &&
    typeof credential.rawId === 'string' &&
    credential.type === 'public-key' &&
    typeof response === 'object' &&
    response !== null &&
    !Array.isArray(response) &&
    typeof response.clientDataJSON === 'string'
  return isShaped ? { credential: credential! } : { error: messages.webauthn.credentialInvalid }
}

export type CeremonyBody<S extends Schema> = { credential: Record<string, unknown> } & Partial<Record<keyof S, string>>

/**
 * A ceremony's completion body: the string fields of `schema` and `credential`, every message in
 * one 400 in the declared order (`order`), as a DRF serializer collects them.
 */
export const requireCeremonyFields = <S extends Schema>(data: RequestData, schema: S, order: string[]): CeremonyBody<S> => {
  const { errors, values } = validateFields(data, schema)
  const { credential, error } = readCredential(data.credential)
  const all: FieldErrors = { ...errors, ...(error ? { credential: [error] } : {}) }
  if (Object.keys(all).length > 0) {
    throw fieldErrors(inDeclaredOrder(all, order))
  }
  return { ...values, credential: credential! }
}
