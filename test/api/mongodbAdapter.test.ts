import type { Payload } from 'payload'

import { mongooseAdapter } from '@payloadcms/db-mongodb'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildConfig, createLocalReq, getPayload } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { databaseAdapterFromURI } from '../../dev/database.js'
import { restAuthPlugin } from '../../src/index.js'
import { withTransaction } from '../../src/utilities/withTransaction.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

type MongooseModel = { schema: { indexes: () => [Record<string, unknown>, Record<string, unknown>][] } }

/**
 * @payloadcms/db-mongodb without a server, so it runs on every machine (the API suite runs on
 * MongoDB only where a mongod binary is at hand, see test/setup/mongodb.ts): the dev app's choice of
 * adapter, the plugin's collections as mongoose models, and the plugin's answers to an adapter
 * without transactions — which is what Payload makes of a MongoDB that is not a replica set.
 */
describe('MongoDB adapter without a server', () => {
  let payload: Payload
  const lines: string[] = []

  beforeAll(async () => {
    const config = await buildConfig({
      collections: [],
      // url: false — Payload builds the models and never connects; transactionOptions: false is
      // what the adapter sets for itself when it finds a standalone server.
      db: mongooseAdapter({ transactionOptions: false, url: false }),
      logger: { destination: { write: (line: string) => lines.push(line) }, options: { level: 'info' } } as never,
      plugins: [restAuthPlugin()],
      secret: 'mongodb-adapter-test',
      telemetry: false,
    })
    payload = await getPayload({ config, key: 'mongodb-adapter-test' })
  })

  afterAll(async () => {
    await payload?.destroy()
  })

  it('is what the dev app uses for a mongodb:// DATABASE_URI, with migrations of its own', () => {
    const migrationDirOf = (uri: string) => (databaseAdapterFromURI(uri).init({ payload }) as unknown as { migrationDir: string }).migrationDir
    const adapter = databaseAdapterFromURI('mongodb://127.0.0.1:27017/app')
    expect(adapter.name).toBe('mongoose')
    expect(adapter.defaultIDType).toBe('text')
    const previous = process.env.MIGRATION_DIR
    delete process.env.MIGRATION_DIR
    try {
      expect(migrationDirOf('mongodb+srv://cluster.example/app')).toBe(path.resolve(root, 'dev/migrations-mongodb'))
      process.env.MIGRATION_DIR = '/srv/app/migrations'
      expect(migrationDirOf('mongodb://127.0.0.1:27017/app')).toBe('/srv/app/migrations')
    } finally {
      if (previous === undefined) {
        delete process.env.MIGRATION_DIR
      } else {
        process.env.MIGRATION_DIR = previous
      }
    }
  })

  it('builds the plugin’s collections as mongoose models with their unique indexes', () => {
    const models = (payload.db as unknown as { collections: Record<string, MongooseModel> }).collections
    const uniqueFields = (slug: string) =>
      models[slug]!.schema.indexes()
        .filter(([, options]) => options.unique)
        .map(([fields]) => Object.keys(fields).join('+'))
    expect(uniqueFields('users')).toEqual(expect.arrayContaining(['email', 'username']))
    expect(uniqueFields('auth-tokens')).toContain('digest')
    expect(uniqueFields('email-addresses')).toContain('email')
    expect(uniqueFields('social-accounts')).toContain('providerUid')
    expect(uniqueFields('outstanding-tokens')).toContain('jti')
  })

  it('says once at start that the adapter runs without transactions', () => {
    const notices = lines.filter((line) => line.includes('runs without transactions'))
    expect(notices).toHaveLength(1)
    expect(notices[0]).toContain('the mongoose database adapter runs without transactions')
    expect(notices[0]).toContain('MongoDB: use a replica set')
  })

  it('undoes the steps of a failed write itself, last first, when there is no transaction', async () => {
    const req = await createLocalReq({}, payload)
    const undone: string[] = []
    const failed = withTransaction(req, async ({ undoOnFailure }) => {
      undoOnFailure(async () => undone.push('user'))
      undoOnFailure(async () => undone.push('address'))
      throw new Error('mail refused')
    })
    await expect(failed).rejects.toThrow('mail refused')
    expect(undone).toEqual(['address', 'user'])

    const kept: string[] = []
    await expect(withTransaction(req, async ({ undoOnFailure }) => (undoOnFailure(async () => kept.push('user')), 'done'))).resolves.toBe('done')
    expect(kept).toEqual([])
  })
})
