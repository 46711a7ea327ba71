import type { CollectionConfig } from 'payload'

import type { SanitizedRestAuthOptions } from '../../types.js'

import { withFieldTexts } from '../../admin/fieldTranslations.js'
import { adminOnly, adminOrOwnRows } from '../access.js'
import { userField } from '../userField.js'

/** django-allauth's EmailAddress: one row per address of a user. */
export const emailAddressesCollection = (options: SanitizedRestAuthOptions): CollectionConfig => ({
  slug: options.slugs.emailAddresses,
  access: {
    create: adminOnly(options),
    delete: adminOnly(options),
    read: adminOrOwnRows(options),
    update: adminOnly(options),
  },
  admin: {
    defaultColumns: ['email', 'user', 'verified', 'primary'],
    group: 'Authentication',
    useAsTitle: 'email',
  },
  // Every field stays editable: admins add, verify and remove addresses here.
  fields: withFieldTexts('emailAddresses', [
    userField(options),
    { name: 'email', type: 'email', index: true, required: true, unique: true },
    { name: 'verified', type: 'checkbox', defaultValue: false },
    { name: 'primary', type: 'checkbox', defaultValue: false },
  ]),
  graphQL: { pluralName: 'RestAuthEmailAddresses', singularName: 'RestAuthEmailAddress' },
  labels: { plural: 'E-mail addresses', singular: 'E-mail address' },
  timestamps: true,
})
