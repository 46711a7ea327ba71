import type { CollectionSlug, RelationshipField } from 'payload'

import type { SanitizedRestAuthOptions } from '../types.js'

/**
 * The `user` relationship of the plugin's collections. Payload types `relationTo` by the app's
 * generated slugs; the users collection is the plugin's option, a string known at run time.
 */
export const userField = (options: SanitizedRestAuthOptions): RelationshipField => ({
  name: 'user',
  type: 'relationship',
  index: true,
  relationTo: options.usersCollection as CollectionSlug,
  required: true,
})
