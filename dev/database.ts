import type { DatabaseAdapterObj } from 'payload'

import { mongooseAdapter } from '@payloadcms/db-mongodb'
import { postgresAdapter } from '@payloadcms/db-postgres'
import { sqliteAdapter } from '@payloadcms/db-sqlite'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const dirname = path.dirname(fileURLToPath(import.meta.url))

/** DATABASE_URI picks the adapter: unset → SQLite file dev/dev.db; postgres:// → PostgreSQL; mongodb:// → MongoDB. */
export const databaseAdapterFromURI = (uri = process.env.DATABASE_URI): DatabaseAdapterObj => {
  if (!uri) {
    return sqliteAdapter({ client: { url: `file:${path.join(dirname, 'dev.db')}` }, migrationDir: path.join(dirname, 'migrations') })
  }
  if (/^postgres(ql)?:\/\//.test(uri)) {
    return postgresAdapter({ migrationDir: path.join(dirname, 'migrations-postgres'), pool: { connectionString: uri } })
  }
  if (/^mongodb(\+srv)?:\/\//.test(uri)) {
    return mongooseAdapter({ url: uri })
  }
  if (uri.startsWith('file:')) {
    return sqliteAdapter({ client: { url: uri }, migrationDir: path.join(dirname, 'migrations') })
  }
  throw new Error(`DATABASE_URI must start with postgres://, mongodb:// or file: (got "${uri.split(':')[0]}:")`)
}
