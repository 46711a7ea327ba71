import type { CollectionConfig } from 'payload'

import type { SanitizedRestAuthOptions } from '../../types.js'

import { withFieldTexts } from '../../admin/fieldTranslations.js'
import { adminOnly } from '../access.js'
import { userField } from '../userField.js'

export const blacklistReasons = [
  { label: 'Rotated (token/refresh/)', value: 'rotated' },
  { label: 'Logout', value: 'logout' },
  { label: 'Reuse of a rotated token', value: 'reuse' },
  { label: 'Password change', value: 'password_change' },
  { label: 'Revoked by an admin', value: 'admin' },
  { label: 'Session ended', value: 'session_ended' },
] as const

export type BlacklistReason = (typeof blacklistReasons)[number]['value']

/**
 * simplejwt's OutstandingToken and BlacklistedToken in one collection: one row per refresh token
 * issued, identified by its jti (the token itself is never stored). `family` ties every token
 * rotated from the same login together. Admins may blacklist a row to revoke it.
 */
export const outstandingTokensCollection = (options: SanitizedRestAuthOptions): CollectionConfig => ({
  slug: options.slugs.outstandingTokens,
  access: {
    create: () => false,
    delete: adminOnly(options),
    read: adminOnly(options),
    update: adminOnly(options),
  },
  admin: {
    defaultColumns: ['jti', 'user', 'expiresAt', 'blacklistedAt', 'blacklistReason'],
    description: 'Refresh tokens issued in JWT mode. Set "Blacklisted at" to revoke one.',
    group: 'Authentication',
    useAsTitle: 'jti',
  },
  // Only the blacklisting is the admin's to set; the rest is the issued token's record.
  fields: withFieldTexts('outstandingTokens', [
    { name: 'jti', type: 'text', admin: { readOnly: true }, index: true, required: true, unique: true },
    { ...userField(options), admin: { readOnly: true } },
    { name: 'family', type: 'text', admin: { readOnly: true }, index: true, required: true },
    { name: 'expiresAt', type: 'date', admin: { date: { pickerAppearance: 'dayAndTime' }, readOnly: true }, index: true, required: true },
    { name: 'blacklistedAt', type: 'date', admin: { date: { pickerAppearance: 'dayAndTime' } } },
    { name: 'blacklistReason', type: 'select', options: blacklistReasons.map((reason) => ({ ...reason })) },
    { name: 'userAgent', type: 'text', admin: { readOnly: true } },
    {
      name: 'session',
      type: 'text',
      admin: { readOnly: true },
      index: true,
    },
  ]),
  hooks: {
    beforeChange: [
      ({ data, originalDoc }) => {
        if (data?.blacklistedAt && !originalDoc?.blacklistedAt && !data.blacklistReason) {
          data.blacklistReason = 'admin'
        }
        return data
      },
    ],
  },
  graphQL: { pluralName: 'RestAuthOutstandingTokens', singularName: 'RestAuthOutstandingToken' },
  labels: { plural: 'Outstanding refresh tokens', singular: 'Outstanding refresh token' },
  timestamps: true,
})
