import type { CollectionConfig, FieldAccess } from 'payload'

import type { SanitizedRestAuthOptions } from '../../types.js'

import { withFieldTexts } from '../../admin/fieldTranslations.js'
import { SYNCED_CONTEXT_KEY, syncMfaFlag } from '../../mfa/authenticators.js'
import { adminOnly, adminOrOwnRows } from '../access.js'
import { userField } from '../userField.js'

const nobody: FieldAccess = () => false
const hiddenSecret = { access: { create: nobody, read: nobody, update: nobody }, hidden: true } as const
// Only the plugin writes a row; the admin shows it and staff may delete it.
const shown = { readOnly: true } as const
const shownDate = { date: { pickerAppearance: 'dayAndTime' }, readOnly: true } as const

/**
 * Second factors (see src/mfa): a TOTP authenticator (its seed encrypted, the last time step used)
 * and each recovery code (a salted scrypt digest, and when it was used), one row per code so that
 * using one is a compare-and-set on its row. A TOTP row without `activatedAt` is a setup waiting for
 * its first code. Users read their own rows and staff everyone's, never the secrets; only the
 * plugin writes; staff may delete rows, which is how the admin's "reset two-factor" works.
 */
export const mfaAuthenticatorsCollection = (options: SanitizedRestAuthOptions): CollectionConfig => ({
  slug: options.slugs.mfaAuthenticators,
  access: { create: () => false, delete: adminOnly(options), read: adminOrOwnRows(options), update: () => false },
  admin: {
    defaultColumns: ['type', 'user', 'activatedAt', 'lastUsedAt', 'usedAt'],
    group: 'Authentication',
    useAsTitle: 'type',
  },
  fields: withFieldTexts('mfaAuthenticators', [
    { ...userField(options), admin: shown },
    {
      name: 'type',
      type: 'select',
      admin: shown,
      index: true,
      options: [
        { label: 'TOTP', value: 'totp' },
        { label: 'Recovery code', value: 'recovery_code' },
      ],
      required: true,
    },
    { name: 'activatedAt', type: 'date', admin: shownDate },
    // A setup waiting for its first code is refused after this.
    { name: 'setupExpiresAt', type: 'date', admin: shownDate, hidden: true },
    { name: 'lastUsedAt', type: 'date', admin: shownDate },
    { name: 'usedAt', type: 'date', admin: shownDate },
    // TOTP: the seed (encrypted, src/utilities/encryption.ts), its parameters, the last step used.
    { name: 'secret', type: 'text', ...hiddenSecret },
    { name: 'parameters', type: 'json', ...hiddenSecret },
    { name: 'lastStep', type: 'number', ...hiddenSecret },
    // Recovery code: scrypt(code, salt); the salt is shared by the codes made together.
    { name: 'codeDigest', type: 'text', ...hiddenSecret, index: true },
    { name: 'salt', type: 'text', ...hiddenSecret },
  ]),
  hooks: {
    // Staff deleting a user's authenticator through Payload (the reset) updates the users list's flag.
    afterDelete: [
      async ({ context, doc, req }) => {
        const userId = typeof doc.user === 'object' && doc.user ? doc.user.id : doc.user
        if (doc.type === 'totp' && userId != null && !context[SYNCED_CONTEXT_KEY]) {
          await syncMfaFlag({ options, req, userId })
        }
      },
    ],
  },
  graphQL: { pluralName: 'RestAuthMfaAuthenticators', singularName: 'RestAuthMfaAuthenticator' },
  labels: { plural: 'Two-factor authenticators', singular: 'Two-factor authenticator' },
  timestamps: true,
})
