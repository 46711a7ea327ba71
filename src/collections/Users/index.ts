import type { CollectionConfig, IncomingAuthType } from 'payload'

import type { SanitizedRestAuthOptions } from '../../types.js'

import { userAdminFieldNames, userAdminFields } from '../../admin/userFields.js'
import { deleteJwtRowsBeforeUserDelete } from '../../jwt/userCache.js'
import { restAuthStrategy } from '../../strategies/restAuthStrategy.js'
import { normalizeUsernameBeforeValidate } from '../../users/normalizeUsername.js'
import { usersAccess } from './access.js'
import {
  deleteUserRows,
  evictDeletedUser,
  noteNewPassword,
  revokeAfterPayloadReset,
  revokeOnCredentialChange,
} from './credentialRevocation.js'
import { userFields, withAdminManagedAccess } from './fields.js'
import { guardPayloadReset } from './payloadPasswordReset.js'
import {
  endPluginCredentialOnLogout,
  guardPayloadSessions,
  refuseBlockedLogin,
  recordPayloadLogin,
  recordPayloadLoginFailure,
  sameLoginFailureMessage,
} from './payloadLogin.js'
import { guardUserWrites, promoteFirstUser, syncAddressAfterWrite } from './payloadWrites.js'

const baseUsersCollection = (options: SanitizedRestAuthOptions): CollectionConfig => ({
  slug: options.usersCollection,
  access: usersAccess(options),
  admin: {
    defaultColumns: ['username', 'email', userAdminFieldNames.verified, userAdminFieldNames.socialAccounts, 'mfa_enabled', 'is_active', 'is_staff'],
    useAsTitle: 'username',
  },
  auth: true,
  fields: [],
})

/**
 * The users collection, extended if the config has it and created otherwise: Django's user
 * fields, username login, the token, session and JWT strategies (tried in the order of
 * `authenticationClasses`), and the rules and hooks that hold Payload's own routes over users to
 * what the plugin's endpoints allow. With `withBehaviour: false` (plugin disabled) only the schema
 * is added.
 */
export const extendUsersCollection = (
  existing: CollectionConfig | undefined,
  options: SanitizedRestAuthOptions,
  { withBehaviour }: { withBehaviour: boolean },
): CollectionConfig => {
  const collection = existing ?? baseUsersCollection(options)
  const incomingAuth: IncomingAuthType = typeof collection.auth === 'object' ? collection.auth : {}
  const auth: IncomingAuthType = {
    ...incomingAuth,
    loginWithUsername: incomingAuth.loginWithUsername ?? { allowEmailLogin: true, requireEmail: false, requireUsername: true },
  }
  const existingNames = new Set(collection.fields.map((field) => ('name' in field ? field.name : undefined)))
  const fields = [...collection.fields, ...userFields(options).filter((field) => !existingNames.has((field as { name: string }).name))]
  if (!withBehaviour) {
    return { ...collection, auth, fields }
  }
  const hooks = collection.hooks ?? {}
  return {
    ...collection,
    access: existing ? usersAccess(options, existing.access) : collection.access,
    auth: { ...auth, strategies: [restAuthStrategy(options), ...(auth.strategies ?? [])] },
    fields: [...withAdminManagedAccess(fields, auth, options), ...userAdminFields(options)],
    hooks: {
      ...hooks,
      afterChange: [...(hooks.afterChange ?? []), revokeOnCredentialChange(options)],
      afterDelete: [...(hooks.afterDelete ?? []), evictDeletedUser(options)],
      afterError: [...(hooks.afterError ?? []), recordPayloadLoginFailure(options), sameLoginFailureMessage],
      afterLogin: [...(hooks.afterLogin ?? []), recordPayloadLogin(options)],
      afterLogout: [...(hooks.afterLogout ?? []), endPluginCredentialOnLogout(options)],
      afterOperation: [...(hooks.afterOperation ?? []), syncAddressAfterWrite(options), revokeAfterPayloadReset(options)],
      beforeChange: [...(hooks.beforeChange ?? []), noteNewPassword],
      beforeDelete: [...(hooks.beforeDelete ?? []), deleteUserRows(options), deleteJwtRowsBeforeUserDelete(options)],
      beforeLogin: [...(hooks.beforeLogin ?? []), refuseBlockedLogin(options)],
      beforeOperation: [
        ...(hooks.beforeOperation ?? []),
        guardPayloadSessions(options),
        guardPayloadReset(options),
        promoteFirstUser(options),
        guardUserWrites(options),
      ],
      beforeValidate: [normalizeUsernameBeforeValidate, ...(hooks.beforeValidate ?? [])],
    },
  }
}
