import type { Field, FieldAccess, IncomingAuthType } from 'payload'

import type { SanitizedRestAuthOptions } from '../../types.js'

import { withFieldTexts } from '../../admin/fieldTranslations.js'
import { djangoIdField, djangoPasswordField } from '../../passwords/django/field.js'
import { adminOnlyField, bothFieldAccess } from '../access.js'

const nobody = () => false

/**
 * Django's User columns that dj-rest-auth exposes or relies on, labelled from the plugin's
 * translations. What only logins and imports write is read-only in the admin.
 */
export const userFields = (options: SanitizedRestAuthOptions): Field[] =>
  withFieldTexts('users', [
    { name: 'first_name', type: 'text', defaultValue: '', maxLength: 150 },
    { name: 'last_name', type: 'text', defaultValue: '', maxLength: 150 },
    { name: 'is_active', type: 'checkbox', admin: { position: 'sidebar' }, defaultValue: true },
    { name: 'is_staff', type: 'checkbox', admin: { position: 'sidebar' }, defaultValue: false },
    {
      name: 'last_login',
      type: 'date',
      admin: { date: { pickerAppearance: 'dayAndTime' }, position: 'sidebar', readOnly: true },
    },
    {
      // Kept by the plugin from the user's authenticators (src/mfa/authenticators.ts), for the users
      // list's column and filter; logins ask the authenticators themselves, never this copy.
      name: 'mfa_enabled',
      type: 'checkbox',
      access: { create: nobody, update: nobody },
      admin: { position: 'sidebar', readOnly: true },
      defaultValue: false,
      index: true,
    },
    {
      name: djangoIdField,
      type: 'text',
      access: { create: nobody, read: adminOnlyField(options), update: nobody },
      admin: { position: 'sidebar', readOnly: true },
      index: true,
      unique: true,
    },
    // Never readable: hidden from every API answer, and no field access lets anyone read or write it.
    { name: djangoPasswordField, type: 'text', access: { create: nobody, read: nobody, update: nobody }, hidden: true },
  ])

/**
 * The fields of a user that only an admin sets through Payload's own create and update (REST,
 * GraphQL, the admin panel, the Local API with `overrideAccess: false`). Users change their own
 * through the plugin's endpoints, which check them: `user/` (username), `password/change/`, the reset
 * and e-mail flows. The password is not a field; `guardUserWrites` refuses it with these.
 */
export const adminManagedFieldNames = [
  'email',
  'username',
  'is_active',
  'is_staff',
  'last_login',
  // Payload's own, when the host app turns them on (auth.verify, auth.useAPIKey): credentials too.
  '_verified',
  'enableAPIKey',
  'apiKey',
] as const

/**
 * Payload adds its auth fields (email, username, _verified, the API key) itself and merges a field
 * of the same name into its own, so an entry with only the access rule is enough for those.
 */
const payloadAuthFieldStubs = (auth: IncomingAuthType): Field[] => {
  if (auth.disableLocalStrategy === true) {
    return []
  }
  return [
    { name: 'email', type: 'email' },
    ...(auth.loginWithUsername ? [{ name: 'username', type: 'text' } as const] : []),
    ...(auth.verify ? [{ name: '_verified', type: 'checkbox' } as const] : []),
    ...(auth.useAPIKey ? [{ name: 'enableAPIKey', type: 'checkbox' } as const, { name: 'apiKey', type: 'text' } as const] : []),
  ] as Field[]
}

const isAdminManaged = (name: string): boolean => (adminManagedFieldNames as readonly string[]).includes(name)

/**
 * The users collection's fields with the admin-only rule on every admin-managed one, the host app's
 * own field rules kept underneath it.
 */
export const withAdminManagedAccess = (fields: Field[], auth: IncomingAuthType, options: SanitizedRestAuthOptions): Field[] => {
  const names = new Set(fields.map((field) => ('name' in field ? field.name : undefined)))
  const adminOnly: FieldAccess = adminOnlyField(options)
  const guard = (field: Field): Field => {
    if (!('name' in field) || !isAdminManaged(field.name)) {
      return field
    }
    const access = (field as { access?: { create?: FieldAccess; read?: FieldAccess; update?: FieldAccess } }).access
    return {
      ...field,
      access: { ...access, create: bothFieldAccess(access?.create, adminOnly), update: bothFieldAccess(access?.update, adminOnly) },
    } as Field
  }
  return [
    ...fields.map(guard),
    ...payloadAuthFieldStubs(auth)
      .filter((field) => !names.has((field as { name: string }).name))
      .map(guard),
  ]
}
