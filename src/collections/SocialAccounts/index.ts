import type { CollectionConfig } from 'payload'

import type { SanitizedRestAuthOptions } from '../../types.js'

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
  fields: [
    userField(options),
    { name: 'provider', type: 'text', index: true, required: true },
    { name: 'uid', type: 'text', required: true },
    {
      name: 'providerUid',
      type: 'text',
      admin: { description: 'provider:uid, unique.', readOnly: true },
      hooks: {
        beforeChange: [({ siblingData }) => `${siblingData.provider}:${siblingData.uid}`],
      },
      index: true,
      unique: true,
    },
    { name: 'extra_data', type: 'json' },
    { name: 'lastLogin', type: 'date' },
  ],
  graphQL: { pluralName: 'RestAuthSocialAccounts', singularName: 'RestAuthSocialAccount' },
  labels: { plural: 'Social accounts', singular: 'Social account' },
  timestamps: true,
})
