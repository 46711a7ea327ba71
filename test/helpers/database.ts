import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

import type { DatabaseAdapterObj } from 'payload'

import { mongooseAdapter } from '@payloadcms/db-mongodb'
import { postgresAdapter } from '@payloadcms/db-postgres'
import { sqliteAdapter } from '@payloadcms/db-sqlite'
import { MongoClient } from 'mongodb'
import pg from 'pg'
import { inject } from 'vitest'

export type TestDatabaseKind = 'mongodb' | 'postgres' | 'sqlite'

/**
 * The run's MongoDB replica set (test/setup/mongodb.ts), '' without one. Outside vitest (the
 * benchmark) there is none.
 */
const mongodbUri = (): string => {
  try {
    return inject('mongodbUri')
  } catch {
    return ''
  }
}

/** Which databases the suite runs on: SQLite, PostgreSQL and, when a mongod binary is at hand, MongoDB; TEST_DB names one. */
export const testDatabases = (): TestDatabaseKind[] => {
  const only = process.env.TEST_DB
  if (only === 'sqlite' || only === 'postgres' || only === 'mongodb') {
    return [only]
  }
  return ['sqlite', 'postgres', ...(mongodbUri() ? (['mongodb'] as const) : [])]
}

const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432'

export type TestDatabase = {
  adapter: DatabaseAdapterObj
  drop: () => Promise<void>
}

/** A brand-new empty database, so Payload's schema push never meets an older schema. */
export const createTestDatabase = async (kind: TestDatabaseKind, { transactions = false } = {}): Promise<TestDatabase> => {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'rest-auth-'))
    return {
      // Payload's default: no transactions (its SQLite transactions fail concurrent writers with
      // SQLITE_BUSY); `transactions` turns them on for the tests that need to see the difference.
      adapter: sqliteAdapter({ client: { url: `file:${path.join(dir, 'test.db')}` }, transactionOptions: transactions ? {} : undefined }),
      drop: async () => rmSync(dir, { force: true, recursive: true }),
    }
  }
  const name = `rest_auth_${Date.now()}_${randomBytes(4).toString('hex')}`
  if (kind === 'mongodb') {
    const base = mongodbUri()
    if (!base) {
      throw new Error('no MongoDB for this run (see test/setup/mongodb.ts)')
    }
    const url = new URL(base)
    url.pathname = `/${name}`
    return {
      // Indexes built before the app starts, so the unique ones settle the race tests from the first request.
      adapter: mongooseAdapter({ ensureIndexes: true, url: url.toString() }),
      drop: async () => {
        const client = await MongoClient.connect(url.toString())
        await client.db(name).dropDatabase()
        await client.close()
      },
    }
  }
  const { drop, url } = await createPostgresDatabase(name)
  return { adapter: postgresAdapter({ pool: { connectionString: url, max: 10 } }), drop }
}

/** A brand-new empty PostgreSQL database on the test server: its URL, and how to drop it. */
export const createPostgresDatabase = async (
  name = `rest_auth_${Date.now()}_${randomBytes(4).toString('hex')}`,
): Promise<{ drop: () => Promise<void>; url: string }> => {
  const admin = new pg.Client({ connectionString: `${POSTGRES_URL}/postgres` })
  await admin.connect()
  await admin.query(`CREATE DATABASE ${name}`)
  await admin.end()
  return {
    drop: async () => {
      const client = new pg.Client({ connectionString: `${POSTGRES_URL}/postgres` })
      await client.connect()
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      await client.end()
    },
    url: `${POSTGRES_URL}/${name}`,
  }
}
