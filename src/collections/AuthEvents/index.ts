import type { CollectionConfig } from 'payload'

import type { SanitizedRestAuthOptions } from '../../types.js'

import { withFieldTexts } from '../../admin/fieldTranslations.js'
import { adminOnly } from '../access.js'
import { userField } from '../userField.js'

/**
 * The security log: logins and failed logins with their method, session changes, password and
 * e-mail changes, account deletions (and what later features add: second factors, passkeys). Staff
 * read it; the plugin writes it and prunes rows older than `authEventsRetentionDays`. No secret is
 * ever recorded; the client address follows `sessionClientAddress`.
 */
export const authEventsCollection = (options: SanitizedRestAuthOptions): CollectionConfig => ({
  slug: options.slugs.events,
  access: { create: () => false, delete: adminOnly(options), read: adminOnly(options), update: () => false },
  admin: {
    defaultColumns: ['type', 'user', 'method', 'ipAddress', 'createdAt'],
    description: 'Security events of the users: logins, session, password and e-mail changes, deletions.',
    group: 'Authentication',
    useAsTitle: 'type',
  },
  fields: withFieldTexts('authEvents', [
    { name: 'type', type: 'text', admin: { readOnly: true }, index: true, required: true },
    // Not required: a deleted user's events stay, with the id they had (`subject`; a field named
    // `userId` would share the relationship's `user_id` column in SQL).
    { ...userField(options), admin: { readOnly: true }, required: false },
    { name: 'subject', type: 'text', admin: { readOnly: true }, index: true },
    { name: 'method', type: 'text', admin: { readOnly: true } },
    { name: 'session', type: 'text', admin: { readOnly: true } },
    { name: 'ipAddress', type: 'text', admin: { readOnly: true } },
    { name: 'userAgent', type: 'text', admin: { readOnly: true } },
    { name: 'detail', type: 'json', admin: { readOnly: true } },
  ]),
  graphQL: { pluralName: 'RestAuthEvents', singularName: 'RestAuthEvent' },
  labels: { plural: 'Security events', singular: 'Security event' },
  timestamps: true,
})
