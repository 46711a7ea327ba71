import type { CollectionConfig, IncomingAuthType } from 'payload'

import type { SanitizedRestAuthOptions } from '../../types.js'

import { userAdminFieldNames, userAdminFields } from '../../admin/userFields.js'
import { deleteJwtRowsBeforeUserDelete, evictJwtUserOnChange, evictJwtUserOnDelete } from '../../jwt/userCache.js'
import { convertDjangoHashOnPayloadLogin, dropDjangoHashOnNewPassword } from '../../passwords/payloadLogin.js'
import { restAuthStrategy } from '../../strategies/restAuthStrategy.js'
import { adminOnly, isAdminRequest } from '../access.js'
import { userFields } from './fields.js'
import { deleteUserRows, equalizePayloadLoginTime, evictTokenCacheOnChange, refuseInactiveLogin, sameLoginFailureMessage } from './hooks.js'

const baseUsersCollection = (options: SanitizedRestAuthOptions): CollectionConfig => ({
  slug: options.usersCollection,
  access: {
    admin: ({ req }) => isAdminRequest(options, req),
    create: adminOnly(options),
    delete: adminOnly(options),
    read: ({ req }) => isAdminRequest(options, req) || (req.user ? { id: { equals: req.user.id } } : false),
    update: ({ req }) => isAdminRequest(options, req) || (req.user ? { id: { equals: req.user.id } } : false),
  },
  admin: {
    defaultColumns: ['username', 'email', userAdminFieldNames.verified, userAdminFieldNames.socialAccounts, 'is_active', 'is_staff'],
    useAsTitle: 'username',
  },
  auth: true,
  fields: [],
})

/**
 * The users collection, extended if the config has it and created otherwise: Django's user
 * fields, username login, the token, session and JWT strategies (tried in the order of
 * `authenticationClasses`), and the hooks that keep tokens honest.
 * With `withBehaviour: false` (plugin disabled) only the schema is added.
 */
export const extendUsersCollection = (
  existing: CollectionConfig | undefined,
  options: SanitizedRestAuthOptions,
  { withBehaviour }: { withBehaviour: boolean },
): CollectionConfig => {
  const collection = existing ?? baseUsersCollection(options)
  const auth: IncomingAuthType = typeof collection.auth === 'object' ? collection.auth : {}
  const existingNames = new Set(collection.fields.map((field) => ('name' in field ? field.name : undefined)))
  const hooks = collection.hooks ?? {}
  return {
    ...collection,
    auth: {
      ...auth,
      loginWithUsername: auth.loginWithUsername ?? { allowEmailLogin: true, requireEmail: false, requireUsername: true },
      strategies: withBehaviour
        ? [restAuthStrategy(options), ...(auth.strategies ?? [])]
        : auth.strategies,
    },
    fields: [
      ...collection.fields,
      ...userFields(options).filter((field) => !existingNames.has((field as { name: string }).name)),
      ...(withBehaviour ? userAdminFields(options) : []),
    ],
    hooks: withBehaviour
      ? {
          ...hooks,
          afterChange: [...(hooks.afterChange ?? []), evictTokenCacheOnChange(options), evictJwtUserOnChange],
          afterDelete: [...(hooks.afterDelete ?? []), evictJwtUserOnDelete],
          afterError: [...(hooks.afterError ?? []), sameLoginFailureMessage],
          beforeChange: [...(hooks.beforeChange ?? []), dropDjangoHashOnNewPassword],
          beforeDelete: [...(hooks.beforeDelete ?? []), deleteUserRows(options), deleteJwtRowsBeforeUserDelete(options)],
          beforeLogin: [...(hooks.beforeLogin ?? []), refuseInactiveLogin],
          beforeOperation: [...(hooks.beforeOperation ?? []), equalizePayloadLoginTime(options), convertDjangoHashOnPayloadLogin(options)],
        }
      : hooks,
  }
}
