import type { DatabaseAdapterObj } from 'payload'

import { mongooseAdapter } from '@payloadcms/db-mongodb'
import { postgresAdapter } from '@payloadcms/db-postgres'
import { sqliteAdapter } from '@payloadcms/db-sqlite'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const dirname = path.dirname(fileURLToPath(import.meta.url))
const migrationDir = (fallback: string) => process.env.MIGRATION_DIR || path.join(dirname, fallback)

/**
 * DATABASE_URI picks the adapter: unset → SQLite file dev/dev.db; postgres:// → PostgreSQL;
 * mongodb:// → MongoDB. Migrations go to dev/migrations(-postgres, -mongodb) unless MIGRATION_DIR
 * names another directory (the tests' production run writes them into a temporary one).
 */
export const databaseAdapterFromURI = (uri = process.env.DATABASE_URI): DatabaseAdapterObj => {
  if (!uri) {
    return sqliteAdapter({ client: { url: `file:${path.join(dirname, 'dev.db')}` }, migrationDir: migrationDir('migrations') })
  }
  if (/^postgres(ql)?:\/\//.test(uri)) {
    return postgresAdapter({ migrationDir: migrationDir('migrations-postgres'), pool: { connectionString: uri } })
  }
  if (/^mongodb(\+srv)?:\/\//.test(uri)) {
    return mongooseAdapter({ migrationDir: migrationDir('migrations-mongodb'), url: uri })
  }
  if (uri.startsWith('file:')) {
    return sqliteAdapter({ client: { url: uri }, migrationDir: migrationDir('migrations') })
  }
  throw new Error(`DATABASE_URI must start with postgres://, mongodb:// or file: (got "${uri.split(':')[0]}:")`)
}
