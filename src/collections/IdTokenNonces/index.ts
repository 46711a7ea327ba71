import type { CollectionConfig } from 'payload'

import type { SanitizedRestAuthOptions } from '../../types.js'

import { withFieldTexts } from '../../admin/fieldTranslations.js'

/**
 * The nonces of the id_tokens that signed someone in, as SHA-256 digests, until the tokens expire:
 * a token carrying a nonce logs in once (its unique digest makes a replay fail, however many arrive
 * at once). Written and read only by the API; not in the admin, not in GraphQL.
 */
export const idTokenNoncesCollection = (options: SanitizedRestAuthOptions): CollectionConfig => ({
  slug: options.slugs.idTokenNonces,
  access: { create: () => false, delete: () => false, read: () => false, update: () => false },
  admin: { hidden: true },
  fields: withFieldTexts('idTokenNonces', [
    { name: 'digest', type: 'text', admin: { readOnly: true }, index: true, required: true, unique: true },
    { name: 'expiresAt', type: 'date', admin: { readOnly: true }, index: true, required: true },
  ]),
  graphQL: false,
  labels: { plural: 'ID token nonces', singular: 'ID token nonce' },
  timestamps: false,
})
