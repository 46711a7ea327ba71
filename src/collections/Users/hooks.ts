import type {
  CollectionAfterChangeHook,
  CollectionAfterErrorHook,
  CollectionBeforeDeleteHook,
  CollectionBeforeLoginHook,
  CollectionBeforeOperationHook,
} from 'payload'

import { AuthenticationError } from 'payload'

import type { SanitizedRestAuthOptions } from '../../types.js'

import { checkPassword } from '../../passwords/hashing.js'
import { evictUserFromTokenCache } from '../../tokens/tokenStore.js'
import { localApi } from '../../utilities/localApi.js'

/** Any change to a user (deactivation, new data) must reach the cached token lookups at once. */
export const evictTokenCacheOnChange =
  (options: SanitizedRestAuthOptions): CollectionAfterChangeHook =>
  async ({ doc, operation, req }) => {
    evictUserFromTokenCache(req.payload, doc.id)
    if (operation === 'create' && !doc.is_staff) {
      // The first user (Payload's "create first user" screen) becomes staff, as createsuperuser would.
      const { totalDocs } = await localApi(req.payload).count({ collection: options.usersCollection, req })
      if (totalDocs === 1) {
        return localApi(req.payload).update({
          collection: options.usersCollection,
          data: { is_staff: true },
          depth: 0,
          id: doc.id,
          overrideAccess: true,
          req,
        })
      }
    }
    return doc
  }

/** Payload's own admin login must refuse inactive users too. */
export const refuseInactiveLogin: CollectionBeforeLoginHook = ({ req, user }) => {
  if (user?.is_active === false) {
    throw new AuthenticationError(req.t)
  }
  return user
}

/** Before the user row goes: SQL foreign keys refuse to orphan the rows that point at it. */
export const deleteUserRows =
  (options: SanitizedRestAuthOptions): CollectionBeforeDeleteHook =>
  async ({ id, req }) => {
    evictUserFromTokenCache(req.payload, id)
    for (const collection of [options.slugs.tokens, options.slugs.emailAddresses, options.slugs.socialAccounts]) {
      await localApi(req.payload).delete({
        collection: collection,
        overrideAccess: true,
        req,
        where: { user: { equals: id } },
      })
    }
  }

/**
 * Payload's own `users/login` skips the password check when no user matches, so an unknown account
 * answers in a fraction of a known one's time. Before its login runs, this looks the account up the
 * way Payload will and, when there is none, spends the same password derivation.
 */
export const equalizePayloadLoginTime = (options: SanitizedRestAuthOptions): CollectionBeforeOperationHook =>
  async ({ args, operation, req }) => {
    if (operation !== 'login') {
      return args
    }
    const data = (args as { data?: Record<string, unknown> }).data ?? {}
    const identifiers = [data.username, data.email]
      .filter((value): value is string => typeof value === 'string' && value.trim() !== '')
      .map((value) => value.toLowerCase().trim())
    if (identifiers.length === 0 || typeof data.password !== 'string' || data.password.trim() === '') {
      return args
    }
    const identifier = identifiers[0]!
    const { totalDocs } = await localApi(req.payload).count({
      collection: options.usersCollection,
      overrideAccess: true,
      where: { or: [{ email: { equals: identifier } }, { username: { equals: identifier } }] },
    })
    if (totalDocs === 0) {
      await checkPassword(null, data.password)
    }
    return args
  }

/**
 * Payload's login words its failure after how the account was found: an unknown username gets
 * "username or password", a wrong password "email or password", so the answer itself tells which
 * accounts exist. Every failed login gets the wording of how the request logged in.
 */
export const sameLoginFailureMessage: CollectionAfterErrorHook = ({ error, req, result }) => {
  if (!(error instanceof AuthenticationError) || !result) {
    return
  }
  const username = (req.data as Record<string, unknown> | undefined)?.username
  const message = req.t(typeof username === 'string' && username.trim() ? 'error:usernameOrPasswordIncorrect' : 'error:emailOrPasswordIncorrect')
  return { response: { ...result, errors: [{ message }] } }
}
