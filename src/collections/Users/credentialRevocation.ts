import type {
  CollectionAfterChangeHook,
  CollectionAfterDeleteHook,
  CollectionAfterOperationHook,
  CollectionBeforeChangeHook,
  CollectionBeforeDeleteHook,
  PayloadRequest,
} from 'payload'

import type { RestAuthUser, SanitizedRestAuthOptions } from '../../types.js'

import { revokeAllCredentials } from '../../auth/revokeCredentials.js'
import { invalidateCaches } from '../../cache/invalidation.js'
import { recordAuthEvent } from '../../events/recordEvent.js'
import { sendNotice } from '../../events/sendNotice.js'
import { afterResponse } from '../../utilities/afterResponse.js'
import { SYNCED_CONTEXT_KEY } from '../../mfa/authenticators.js'
import { djangoPasswordField } from '../../passwords/django/field.js'
import { collectionBySlug } from '../../utilities/collectionBySlug.js'
import { localApi, pluginDatabase } from '../../utilities/localApi.js'

/*
 * The one place where a change to a user's credentials ends their other credentials, whichever path
 * made it: the plugin's endpoints, Payload's REST and GraphQL update and reset-password, the admin
 * panel, the Local API. A new password hash revokes every token, session and JWT refresh family of
 * the user (the plugin's `password/change/` may keep the token that asked); deactivation and
 * deletion end everything, Payload's own sessions included.
 */

type Id = number | string

const PASSWORD_SET_KEY = 'restAuthPasswordSet'
const KEEP_TOKEN_KEY = 'restAuthKeepTokenId'
const KEEP_SESSION_KEY = 'restAuthKeepSessionId'

/**
 * Local API `context` for a password change that keeps the request's own token and login
 * (password/change/).
 */
export const keepTokenContext = (tokenId: Id | undefined, sessionId?: string): Record<string, unknown> => ({
  ...(tokenId === undefined ? {} : { [KEEP_TOKEN_KEY]: tokenId }),
  ...(sessionId === undefined ? {} : { [KEEP_SESSION_KEY]: sessionId }),
})

const contextOf = (req: PayloadRequest) => req.context as Record<string, unknown>

const passwordSetIds = (req: PayloadRequest): Set<string> => {
  const context = contextOf(req)
  if (!(context[PASSWORD_SET_KEY] instanceof Set)) {
    context[PASSWORD_SET_KEY] = new Set<string>()
  }
  return context[PASSWORD_SET_KEY] as Set<string>
}

/**
 * beforeChange: a password in an update's data is about to become a new hash (Payload drops it from
 * `data` before afterChange, which then revokes). It replaces an imported Django hash too.
 */
export const noteNewPassword: CollectionBeforeChangeHook = ({ data, operation, originalDoc, req }) => {
  if (operation === 'update' && originalDoc && typeof data?.password === 'string' && data.password !== '') {
    passwordSetIds(req).add(String(originalDoc.id))
    return { ...data, [djangoPasswordField]: null }
  }
  return data
}

/** Payload's own sessions (`auth.useSessions`) of the user end too: its JWTs stop at the next request. */
const endPayloadSessions = async (options: SanitizedRestAuthOptions, req: PayloadRequest, userId: Id): Promise<void> => {
  if (collectionBySlug(req.payload, options.usersCollection)?.config.auth?.useSessions) {
    await pluginDatabase(req.payload).updateOne({ collection: options.usersCollection, data: { sessions: [] }, id: userId, req, returning: false })
  }
}

/** The security log's entry for a new password, and the notice when `securityNoticeMails` is on. */
const notePasswordChanged = async (options: SanitizedRestAuthOptions, req: PayloadRequest, user: Record<string, unknown>): Promise<void> => {
  const settings = await options.settingsStore.get(req.payload)
  await recordAuthEvent({ event: { type: 'password_changed', userId: user.id as Id }, options, req, settings })
  if (settings.securityNoticeMails) {
    afterResponse(() => sendNotice({ event: 'password_changed', options, req, settings, user: user as RestAuthUser }))
  }
}

/**
 * afterChange, in the write's transaction: every change reaches the cached lookups of every
 * instance at once; a new password or a deactivation revokes.
 */
export const revokeOnCredentialChange =
  (options: SanitizedRestAuthOptions): CollectionAfterChangeHook =>
  async ({ doc, operation, previousDoc, req }) => {
    await invalidateCaches({ message: { kind: 'user', userId: doc.id }, options, payload: req.payload })
    if (operation !== 'update') {
      return doc
    }
    const isPasswordSet = passwordSetIds(req).delete(String(doc.id))
    const keptTokenId = contextOf(req)[KEEP_TOKEN_KEY] as Id | undefined
    const keptSessionId = contextOf(req)[KEEP_SESSION_KEY] as string | undefined
    delete contextOf(req)[KEEP_TOKEN_KEY]
    delete contextOf(req)[KEEP_SESSION_KEY]
    if (previousDoc?.is_active !== false && doc.is_active === false) {
      await revokeAllCredentials({ options, reason: 'admin', req, sessionReason: 'deactivated', userId: doc.id })
      await endPayloadSessions(options, req, doc.id)
      await recordAuthEvent({ event: { type: 'account_deactivated', userId: doc.id }, options, req, settings: await options.settingsStore.get(req.payload) })
    } else if (isPasswordSet) {
      await revokeAllCredentials({ exceptSessionId: keptSessionId, exceptTokenId: keptTokenId, options, req, userId: doc.id })
      await notePasswordChanged(options, req, doc)
    }
    return doc
  }

/** Payload's reset-password writes the new hash straight to the database, without the change hooks. */
export const revokeAfterPayloadReset =
  (options: SanitizedRestAuthOptions): CollectionAfterOperationHook =>
  async ({ operation, req, result }) => {
    const userId = (result as { user?: { id?: Id } } | undefined)?.user?.id
    if (operation === 'resetPassword' && userId !== undefined) {
      await revokeAllCredentials({ options, req, userId })
    }
    return result
  }

/** Before the user row goes: SQL foreign keys refuse to orphan the rows that point at it. */
export const deleteUserRows =
  (options: SanitizedRestAuthOptions): CollectionBeforeDeleteHook =>
  async ({ id, req }) => {
    await invalidateCaches({ message: { kind: 'user', userId: id }, options, payload: req.payload })
    for (const collection of [
      options.slugs.tokens,
      options.slugs.emailAddresses,
      options.slugs.socialAccounts,
      options.slugs.sessions,
      options.slugs.mfaAuthenticators,
      options.slugs.webauthnCredentials,
    ]) {
      // The user goes too: its two-factor flag needs no update (SYNCED_CONTEXT_KEY).
      await localApi(req.payload).delete({
        collection,
        context: { [SYNCED_CONTEXT_KEY]: true },
        overrideAccess: true,
        req,
        where: { user: { equals: id } },
      })
    }
  }

/** After the user row went: a lookup cached meanwhile by a concurrent request is dropped too. */
export const evictDeletedUser =
  (options: SanitizedRestAuthOptions): CollectionAfterDeleteHook =>
  async ({ id, req }) => {
    await invalidateCaches({ message: { kind: 'user', userId: id }, options, payload: req.payload })
  }
