import type { FieldErrors } from '../errors/RestAuthError.js'
import type { RequestData } from '../http/parseBody.js'
import type { Schema } from '../http/fields.js'

import { messages } from '../errors/messages.js'
import { fieldErrors } from '../errors/RestAuthError.js'
import { inDeclaredOrder, validateFields } from '../http/fields.js'

/** DRF's BooleanField: what it accepts as true and false (forms send strings). */
const TRUE_VALUES = new Set([true, 1, 'true', 'True', 'TRUE', '1', 'on', 'yes'])
const FALSE_VALUES = new Set([false, 0, 'false', 'False', 'FALSE', '0', 'off', 'no'])

export const BOOLEAN_INVALID = 'Must be a valid boolean.'
export const CREDENTIAL_INVALID = 'Expected the JSON of a PublicKeyCredential (as @simplewebauthn/browser returns it).'

/** A boolean field of the body (absent: `fallback`), or its DRF error. */
export const readBoolean = (data: RequestData, name: string, fallback: boolean): { error?: string; value: boolean } => {
  const raw = data[name]
  if (raw === undefined) {
    return { value: fallback }
  }
  if (TRUE_VALUES.has(raw as never)) {
    return { value: true }
  }
  if (FALSE_VALUES.has(raw as never)) {
    return { value: false }
  }
  return { error: raw === null ? messages.nullField : BOOLEAN_INVALID, value: fallback }
}

/**
 * The `credential` field: the browser's PublicKeyCredential as JSON, an object (or, in a form body,
 * its JSON text). Only its shape is checked here; what it proves is for @simplewebauthn/server.
 */
const readCredential = (raw: unknown): { credential?: Record<string, unknown>; error?: string } => {
  if (raw === undefined) {
    return { error: messages.requiredField }
  }
  let value = raw
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw)
    } catch {
      return { error: CREDENTIAL_INVALID }
    }
  }
  const credential = value as Record<string, unknown> | null
  const isShaped =
    credential !== null &&
    typeof credential === 'object' &&
    !Array.isArray(credential) &&
    typeof credential.id === 'string' &&
    typeof credential.rawId === 'string' &&
    credential.type === 'public-key' &&
    typeof credential.response === 'object' &&
    credential.response !== null &&
    !Array.isArray(credential.response) &&
    typeof (credential.response as Record<string, unknown>).clientDataJSON === 'string'
  return isShaped ? { credential: credential! } : { error: raw === null ? messages.nullField : CREDENTIAL_INVALID }
}

/** The string fields of `schema` and `credential`, with every error in declared order (`order`). */
export const requireCeremonyFields = <S extends Schema>(
  data: RequestData,
  schema: S,
  order: string[],
): { credential: Record<string, unknown>; values: Partial<Record<keyof S, string>> } => {
  const { errors, values } = validateFields(data, schema)
  const { credential, error } = readCredential(data.credential)
  const all: FieldErrors = { ...errors, ...(error ? { credential: [error] } : {}) }
  if (Object.keys(all).length > 0) {
    throw fieldErrors(inDeclaredOrder(all, order))
  }
  return { credential: credential!, values }
}
