import type { CollectionConfig } from 'payload'

import type { SanitizedRestAuthOptions } from '../../types.js'

import { withFieldTexts } from '../../admin/fieldTranslations.js'
import { invalidateCaches } from '../../cache/invalidation.js'
import { adminOnlyField, adminOrOwnRows } from '../access.js'
import { userField } from '../userField.js'

/**
 * Opaque API tokens and session keys. Only a SHA-256 digest of each key is stored, with its first
 * eight characters so admins can tell tokens apart.
 */
export const tokensCollection = (options: SanitizedRestAuthOptions): CollectionConfig => ({
  slug: options.slugs.tokens,
  access: {
    create: () => false,
    delete: adminOrOwnRows(options),
    read: adminOrOwnRows(options),
    update: () => false,
  },
  admin: {
    defaultColumns: ['prefix', 'kind', 'user', 'lastUsedAt', 'createdAt'],
    group: 'Authentication',
    useAsTitle: 'prefix',
  },
  // Only logins write tokens; the admin shows them and deletes one to revoke it.
  fields: withFieldTexts('tokens', [
    { ...userField(options), admin: { readOnly: true } },
    {
      name: 'kind',
      type: 'select',
      admin: { readOnly: true },
      defaultValue: 'token',
      options: [
        { label: 'API token', value: 'token' },
        { label: 'Session', value: 'session' },
      ],
      required: true,
    },
    {
      name: 'digest',
      type: 'text',
      access: { read: adminOnlyField(options) },
      admin: { hidden: true },
      index: true,
      required: true,
      unique: true,
    },
    { name: 'prefix', type: 'text', admin: { readOnly: true }, required: true },
    { name: 'userAgent', type: 'text', admin: { readOnly: true } },
    {
      name: 'session',
      type: 'text',
      admin: { readOnly: true },
      index: true,
    },
    { name: 'lastUsedAt', type: 'date', admin: { date: { pickerAppearance: 'dayAndTime' }, readOnly: true } },
    { name: 'expiresAt', type: 'date', admin: { date: { pickerAppearance: 'dayAndTime' }, readOnly: true } },
  ]),
  hooks: {
    // Whoever deleted the row (its owner through Payload's REST or GraphQL, an admin, the plugin),
    // the key stops working at the next request.
    afterDelete: [async ({ id, req }) => invalidateCaches({ message: { kind: 'token', tokenId: id }, options, payload: req.payload })],
  },
  graphQL: { pluralName: 'RestAuthTokens', singularName: 'RestAuthToken' },
  labels: { plural: 'Tokens', singular: 'Token' },
  timestamps: true,
})
