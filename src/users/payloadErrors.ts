import { ValidationError } from 'payload'

import type { FieldErrors } from '../errors/RestAuthError.js'

import { fieldErrors } from '../errors/RestAuthError.js'

/**
 * Turns Payload's ValidationError (e.g. a unique index that a concurrent request won) into
 * dj-rest-auth's field errors. `messagesByPath` names the message to give per field; other paths
 * keep Payload's text. Anything else is rethrown untouched.
 */
export const rethrowPayloadValidation = (err: unknown, messagesByPath: Record<string, string> = {}): never => {
  if (err instanceof ValidationError) {
    const errors: FieldErrors = {}
    for (const { message, path } of err.data.errors) {
      const name = path.split('.')[0] ?? 'non_field_errors'
      ;(errors[name] ??= []).push(messagesByPath[name] ?? message)
    }
    throw fieldErrors(errors)
  }
  throw err
}
