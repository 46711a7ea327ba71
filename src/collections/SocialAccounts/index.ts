import type { CollectionConfig } from 'payload'

import type { SanitizedRestAuthOptions } from '../../types.js'

import { withFieldTexts } from '../../admin/fieldTranslations.js'
import { adminOnly, adminOrOwnRows } from '../access.js'
import { userField } from '../userField.js'

/** django-allauth's SocialAccount: a provider identity linked to a user. (provider, uid) is unique. */
export const socialAccountsCollection = (options: SanitizedRestAuthOptions): CollectionConfig => ({
  slug: options.slugs.socialAccounts,
  access: {
    create: adminOnly(options),
    // Users disconnect through socialaccounts/<id>/disconnect/, which keeps the last way in.
    delete: adminOnly(options),
    read: adminOrOwnRows(options),
    update: adminOnly(options),
  },
  admin: {
    defaultColumns: ['provider', 'uid', 'user', 'lastLogin'],
    group: 'Authentication',
    useAsTitle: 'providerUid',
  },
  // An admin may link an identity by hand (user, provider, uid); the rest comes from the provider.
  fields: withFieldTexts('socialAccounts', [
    userField(options),
    { name: 'provider', type: 'text', index: true, required: true },
    { name: 'uid', type: 'text', required: true },
    {
      name: 'providerUid',
      type: 'text',
      admin: { readOnly: true },
      hooks: {
        beforeChange: [({ siblingData }) => `${siblingData.provider}:${siblingData.uid}`],
      },
      index: true,
      unique: true,
    },
    { name: 'extra_data', type: 'json', admin: { readOnly: true } },
    { name: 'lastLogin', type: 'date', admin: { date: { pickerAppearance: 'dayAndTime' }, readOnly: true } },
  ]),
  graphQL: { pluralName: 'RestAuthSocialAccounts', singularName: 'RestAuthSocialAccount' },
  labels: { plural: 'Social accounts', singular: 'Social account' },
  timestamps: true,
})
