import type { CollectionConfig } from 'payload'

import type { SanitizedRestAuthOptions } from '../../types.js'

import { withFieldTexts } from '../../admin/fieldTranslations.js'
import { adminOnly } from '../access.js'

/**
 * Failed logins per account and client address, with the back-off they earned. Staff see them and
 * delete a row to lift a lockout at once; the API writes them.
 */
export const loginFailuresCollection = (options: SanitizedRestAuthOptions): CollectionConfig => ({
  slug: options.slugs.loginFailures,
  access: { create: () => false, delete: adminOnly(options), read: adminOnly(options), update: () => false },
  admin: { defaultColumns: ['account', 'ip', 'failures', 'lockedUntil'], group: 'Authentication', useAsTitle: 'account' },
  fields: withFieldTexts('loginFailures', [
    { name: 'account', type: 'text', admin: { readOnly: true }, index: true, required: true },
    { name: 'ip', type: 'text', admin: { readOnly: true }, required: true },
    { name: 'failures', type: 'number', admin: { readOnly: true }, defaultValue: 0, required: true },
    { name: 'lockedUntil', type: 'date', admin: { date: { pickerAppearance: 'dayAndTime' }, readOnly: true } },
  ]),
  indexes: [{ fields: ['account', 'ip'], unique: true }],
  graphQL: { pluralName: 'RestAuthLoginFailures', singularName: 'RestAuthLoginFailure' },
  labels: { plural: 'Login failures', singular: 'Login failure' },
  timestamps: true,
})
