import type { CollectionConfig, FieldAccess } from 'payload'

import type { SanitizedRestAuthOptions } from '../../types.js'

import { withFieldTexts } from '../../admin/fieldTranslations.js'
import { adminOnly, adminOnlyField, adminOrOwnRows } from '../access.js'
import { userField } from '../userField.js'

const nobody: FieldAccess = () => false

/**
 * Passkeys (WebAuthn credentials), one row each, in a table of their own as better-auth keeps them.
 * A login finds its row by credential ID; the public key, the counter and the owner are only ever
 * read from here, never from a request. `userHandle` is the random per-user value the authenticator
 * stores as `user.id` (not the database id). Users manage their own through
 * webauthn/authenticators/ (which checks what Payload cannot: ownership, names); through Payload's
 * own API they can only read them, staff can also delete them.
 */
export const webauthnCredentialsCollection = (options: SanitizedRestAuthOptions): CollectionConfig => ({
  slug: options.slugs.webauthnCredentials,
  access: { create: () => false, delete: adminOnly(options), read: adminOrOwnRows(options), update: () => false },
  admin: {
    defaultColumns: ['name', 'user', 'isPasswordless', 'lastUsedAt', 'createdAt'],
    group: 'Authentication',
    useAsTitle: 'name',
  },
  // Every field comes from registration and logins: nothing here is typed in by an admin.
  fields: withFieldTexts('webauthnCredentials', [
    { ...userField(options), admin: { readOnly: true } },
    { name: 'name', type: 'text', admin: { readOnly: true }, required: true },
    {
      name: 'credentialId',
      type: 'text',
      admin: { readOnly: true },
      index: true,
      required: true,
      unique: true,
    },
    { name: 'publicKey', type: 'text', access: { create: nobody, read: adminOnlyField(options), update: nobody }, admin: { readOnly: true }, required: true },
    { name: 'userHandle', type: 'text', access: { create: nobody, read: adminOnlyField(options), update: nobody }, admin: { readOnly: true }, index: true, required: true },
    { name: 'counter', type: 'number', admin: { readOnly: true }, defaultValue: 0, required: true },
    { name: 'transports', type: 'json', admin: { readOnly: true } },
    {
      name: 'isPasswordless',
      type: 'checkbox',
      admin: { readOnly: true },
      defaultValue: false,
    },
    { name: 'deviceType', type: 'text', admin: { readOnly: true } },
    { name: 'isBackedUp', type: 'checkbox', admin: { readOnly: true }, defaultValue: false },
    { name: 'aaguid', type: 'text', admin: { readOnly: true } },
    { name: 'lastUsedAt', type: 'date', admin: { date: { pickerAppearance: 'dayAndTime' }, readOnly: true } },
  ]),
  graphQL: { pluralName: 'RestAuthWebauthnCredentials', singularName: 'RestAuthWebauthnCredential' },
  labels: { plural: 'Passkeys', singular: 'Passkey' },
  timestamps: true,
})
