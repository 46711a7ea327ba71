import type { CollectionConfig } from 'payload'

import { sqliteAdapter } from '@payloadcms/db-sqlite'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildConfig } from 'payload'
import { restAuthPlugin } from 'payload-rest-auth'

const dirname = path.dirname(fileURLToPath(import.meta.url))

/** The app's own users, before the plugin: extra fields and an access rule of its own. */
const Users: CollectionConfig = {
  slug: 'users',
  admin: { useAsTitle: 'email' },
  auth: true,
  fields: [
    { name: 'company', type: 'text' },
    { name: 'plan', type: 'select', defaultValue: 'free', options: ['free', 'pro'] },
  ],
}

/** A second auth collection the plugin must leave alone. */
const Customers: CollectionConfig = {
  slug: 'customers',
  auth: true,
  fields: [{ name: 'name', type: 'text', required: true }],
}

export default buildConfig({
  admin: { importMap: { baseDir: dirname }, user: Users.slug },
  collections: [Users, Customers],
  db: sqliteAdapter({
    client: { url: process.env.DATABASE_URI || `file:${path.join(dirname, 'host.db')}` },
    migrationDir: path.join(dirname, 'migrations'),
  }),
  plugins: [
    restAuthPlugin({
      settings: { accountEmailVerification: 'optional' },
      // The app's own field in user/, written through the Local API with the app's generated types.
      userDetailsFields: [
        {
          name: 'company',
          read: ({ user }) => (typeof user.company === 'string' ? user.company : ''),
          validate: ({ value }) => (typeof value === 'string' ? undefined : ['Not a valid string.']),
          write: async ({ req, user, value }) => {
            await req.payload.update({ collection: 'users', data: { company: String(value) }, id: user.id, req })
          },
        },
      ],
    }),
  ],
  secret: process.env.PAYLOAD_SECRET || 'host-app-secret',
  typescript: { outputFile: path.join(dirname, 'payload-types.ts') },
})
