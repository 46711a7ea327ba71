import type { CollectionBeforeChangeHook, CollectionBeforeOperationHook } from 'payload'

import type { SanitizedRestAuthOptions } from '../types.js'

import { findUser, normalizeIdentifier } from '../users/findUser.js'
import { djangoPasswordField } from './django/field.js'
import { hasPayloadHash } from './hashing.js'
import { upgradePasswordHash, verifyPassword } from './verifyPassword.js'

/**
 * Payload's own `users/login` knows only its own hashes and derives nothing for an account without
 * one. Before its login runs, this finds the account as Payload will; when it has no Payload hash, it
 * checks the imported Django hash (or spends the same derivation on an account without a password)
 * and, on a match, stores the password in Payload's format so that Payload's check then succeeds.
 */
export const convertDjangoHashOnPayloadLogin =
  (options: SanitizedRestAuthOptions): CollectionBeforeOperationHook =>
  async ({ args, operation, req }) => {
    if (operation !== 'login') {
      return args
    }
    const data = (args as { data?: Record<string, unknown> }).data ?? {}
    const identifier = [data.username, data.email].find((value): value is string => typeof value === 'string' && value.trim() !== '')
    const { password } = data
    if (!identifier || typeof password !== 'string' || password.trim() === '') {
      return args
    }
    const account = normalizeIdentifier(identifier)
    const user = await findUser({ options, req, where: { or: [{ username: { equals: account } }, { email: { equals: account } }] } })
    if (!user || hasPayloadHash(user)) {
      return args
    }
    const settings = await options.settingsStore.get(req.payload)
    const { isMatch } = await verifyPassword({ password, settings, user })
    if (isMatch) {
      await upgradePasswordHash({ options, password, req, user })
    }
    return args
  }

/** A password set through Payload (admin, reset, password/change/) replaces the imported Django hash. */
export const dropDjangoHashOnNewPassword: CollectionBeforeChangeHook = ({ data, operation }) => {
  if (operation === 'update' && typeof data?.password === 'string' && data.password !== '') {
    return { ...data, [djangoPasswordField]: null }
  }
  return data
}
