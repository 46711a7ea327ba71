import type { CollectionConfig, FieldAccess } from 'payload'

import type { SanitizedRestAuthOptions } from '../../types.js'

import { withFieldTexts } from '../../admin/fieldTranslations.js'
import { adminOnly } from '../access.js'
import { userField } from '../userField.js'

const nobody: FieldAccess = () => false

// Only the API writes a flow; the admin shows it and may delete it.
const shown = { readOnly: true } as const
const shownDate = { date: { pickerAppearance: 'dayAndTime' }, readOnly: true } as const

/**
 * Authentication flows in progress: a login waiting for its second factor, a code mailed for login,
 * verification or reset, a passkey ceremony's challenge. The client holds a random flow token; a
 * row keeps only its digest, the keyed digest of the code it waits for, an attempt count and an
 * expiry, and is consumed once (compare-and-set, see src/flows/flowStore.ts). Staff can see who
 * has a flow open and delete it; nobody can read the digests or the flow's data through Payload.
 */
export const authFlowsCollection = (options: SanitizedRestAuthOptions): CollectionConfig => ({
  slug: options.slugs.flows,
  access: { create: () => false, delete: adminOnly(options), read: adminOnly(options), update: () => false },
  admin: {
    defaultColumns: ['kind', 'user', 'email', 'attempts', 'expiresAt', 'consumedAt'],
    group: 'Authentication',
    useAsTitle: 'kind',
  },
  fields: withFieldTexts('authFlows', [
    { name: 'kind', type: 'text', admin: shown, index: true, required: true },
    {
      name: 'tokenDigest',
      type: 'text',
      access: { create: nobody, read: nobody, update: nobody },
      hidden: true,
      index: true,
      required: true,
      unique: true,
    },
    { ...userField(options), admin: shown, required: false },
    { name: 'email', type: 'text', admin: shown, index: true },
    { name: 'secretDigest', type: 'text', access: { create: nobody, read: nobody, update: nobody }, hidden: true },
    { name: 'data', type: 'json', access: { create: nobody, read: nobody, update: nobody }, hidden: true },
    { name: 'attempts', type: 'number', admin: shown, defaultValue: 0, required: true },
    { name: 'maxAttempts', type: 'number', admin: shown, required: true },
    { name: 'expiresAt', type: 'date', admin: shownDate, index: true, required: true },
    { name: 'consumedAt', type: 'date', admin: shownDate },
  ]),
  graphQL: { pluralName: 'RestAuthFlows', singularName: 'RestAuthFlow' },
  labels: { plural: 'Authentication flows', singular: 'Authentication flow' },
  timestamps: true,
})
