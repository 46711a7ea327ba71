import type { FieldErrors } from '../errors/RestAuthError.js'
import type { RequestData } from './parseBody.js'

import { messages } from '../errors/messages.js'
import { fieldErrors } from '../errors/RestAuthError.js'

/** A field of a request body, checked the way Django REST framework's serializer fields are. */
export type FieldSpec = {
  allowBlank?: boolean
  /** What OPTIONS shows; DRF's default: the name with spaces, capitalised (`new_password1` → `New password1`). */
  helpText?: string
  /** An EmailField; every other field is a CharField. */
  kind?: 'email'
  maxLength?: number
  minLength?: number
  required?: boolean
}

// Django's EmailValidator, simplified: a dot-atom local part and a domain with a dotted TLD.
const emailPattern =
  /^[-!#$%&'*+/=?^_`{}|~0-9a-z]+(?:\.[-!#$%&'*+/=?^_`{}|~0-9a-z]+)*@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/i

export const isValidEmail = (value: string): boolean => value.length <= 254 && emailPattern.test(value)

const checkField = (raw: unknown, spec: FieldSpec): { errors: string[] } | { value: string } => {
  if (raw === null) {
    return { errors: [messages.field.nullField] }
  }
  if (typeof raw !== 'string' && typeof raw !== 'number') {
    return { errors: [messages.field.notAString] }
  }
  // DRF's CharField strips surrounding white space (trim_whitespace=True, as every field here has it).
  const value = String(raw).trim()
  if (value.includes('\u0000')) {
    return { errors: [messages.field.nullCharacters] }
  }
  if (value === '') {
    return spec.allowBlank ? { value } : { errors: [messages.field.blankField] }
  }
  const errors: string[] = []
  // Python's len(): code points, not UTF-16 units.
  const length = spec.maxLength === undefined && spec.minLength === undefined ? 0 : [...value].length
  if (spec.maxLength !== undefined && length > spec.maxLength) {
    errors.push(messages.field.tooLong(spec.maxLength))
  }
  if (spec.minLength !== undefined && length < spec.minLength) {
    errors.push(messages.field.tooShort(spec.minLength))
  }
  if (spec.kind === 'email' && !isValidEmail(value)) {
    errors.push(messages.field.invalidEmail)
  }
  return errors.length > 0 ? { errors } : { value }
}

export type Schema = Record<string, FieldSpec>

/** The cleaned values of a body's fields: required ones are strings, the others may be absent. */
export type BodyValues<S extends Schema> = { [K in keyof S]: S[K] extends { required: true } ? string : string | undefined }

/**
 * Checks every field and collects every message, like `serializer.is_valid()`: the errors come in
 * the schema's order, which is the serializer's declared field order. With `partial`
 * (PATCH), absent fields are not required. Returns the cleaned values of the fields present.
 */
export const validateFields = <S extends Schema>(
  data: RequestData,
  schema: S,
  { partial = false }: { partial?: boolean } = {},
): { errors: FieldErrors; values: Partial<Record<keyof S, string>> } => {
  const errors: FieldErrors = {}
  const values: Partial<Record<keyof S, string>> = {}
  for (const [name, spec] of Object.entries(schema)) {
    if (!(name in data) || data[name] === undefined) {
      if (spec.required && !partial) {
        errors[name] = [messages.field.requiredField]
      }
      continue
    }
    const result = checkField(data[name], spec)
    if ('errors' in result) {
      errors[name] = result.errors
    } else {
      values[name as keyof S] = result.value
    }
  }
  return { errors, values }
}

/**
 * `validateFields`, throwing the 400 at once when anything failed: the plain way for a route that
 * reads its body itself (a route that declares `body` gets this from dispatch, as `ctx.body`).
 */
export const requireValidFields = <S extends Schema>(data: RequestData, schema: S): BodyValues<S> => {
  const { errors, values } = validateFields(data, schema)
  if (Object.keys(errors).length > 0) {
    throw fieldErrors(errors)
  }
  return values as BodyValues<S>
}

/** Errors keyed in the serializer's declared field order (DRF collects them field by field). */
export const inDeclaredOrder = (errors: FieldErrors, order: string[]): FieldErrors => {
  const ordered: FieldErrors = {}
  for (const name of [...order, ...Object.keys(errors)]) {
    if (errors[name] && !ordered[name]) {
      ordered[name] = errors[name]
    }
  }
  return ordered
}
