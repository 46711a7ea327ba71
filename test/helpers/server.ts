import { randomBytes } from 'node:crypto'
import http from 'node:http'

import type { Config, Payload, SanitizedConfig } from 'payload'

import { buildConfig, getPayload, handleEndpoints } from 'payload'

import type { RestAuthPluginOptions } from '../../src/index.js'
import type { TestDatabase, TestDatabaseKind } from './database.js'

import { stopCacheInvalidation } from '../../src/cache/invalidation.js'
import { restAuthPlugin } from '../../src/index.js'
import { registerContractApp } from './contract.js'
import { sendResponse, toFetchRequest, urlOrigin } from '../../src/server/nodeHttp.js'
import { createTestDatabase } from './database.js'
import { graphqlHandler } from './graphql.js'

export type TestApp = {
  /** `http://127.0.0.1:<port>/api` */
  apiUrl: string
  close: () => Promise<void>
  config: SanitizedConfig
  /** `http://127.0.0.1:<port>/api/graphql` */
  graphqlUrl: string
  payload: Payload
  /** `http://127.0.0.1:<port>/api/dj-rest-auth` */
  url: string
}

export type TestAppOptions = {
  /** Extra Payload config (collections, email adapter…), merged before the plugin runs. */
  config?: Partial<Config>
  /** An existing database (another app's), which this app does not drop: several instances of one site. */
  database?: TestDatabase
  db: TestDatabaseKind
  /** Payload's secret; instances of one site share it. Default: one of the app's own. */
  secret?: string
  /** SQLite only: true turns on Payload's (off by default) SQLite transactions. */
  transactions?: boolean
  plugin?: RestAuthPluginOptions
}

export type TestConfig = { config: SanitizedConfig; database: TestDatabase; key: string }

/** The config of a test app and its database (fresh unless `database` is given); `key` is its Payload instance's cache key. */
export const buildTestConfig = async ({ config: extra = {}, database: shared, db, plugin, secret, transactions }: TestAppOptions): Promise<TestConfig> => {
  // Every app gets a fresh database; Payload would skip the push when a previous app in this
  // process had the same schema.
  process.env.PAYLOAD_FORCE_DRIZZLE_PUSH = 'true'
  const database = shared ?? (await createTestDatabase(db, { transactions }))
  const key = `test-${randomBytes(6).toString('hex')}`
  const config = await buildConfig({
    collections: [],
    secret: secret ?? `test-secret-${key}`,
    telemetry: false,
    ...extra,
    db: database.adapter,
    logger: extra.logger ?? ({ options: { level: (process.env.TEST_LOG_LEVEL as 'error') ?? 'error' } } as Config['logger']),
    // Payload spawns `payload generate:types` at every start outside production: seconds of CPU per
    // test app, and writes to dev/payload-types.ts from many processes at once.
    typescript: { ...extra.typescript, autoGenerate: false },
    // Rate limits are off unless a test turns them on: most suites log in far more often than a person.
    plugins: [
      ...(extra.plugins ?? []),
      restAuthPlugin({ ...plugin, settings: { loginLockoutThreshold: 0, throttleEnabled: false, ...plugin?.settings } }),
    ],
  })
  return { config, database, key }
}

/** After payload.destroy(): db-postgres keeps pooled clients open, and dropping the database terminates them, which must not surface as unhandled errors. */
export const silencePool = (payload: Payload): void => {
  const pool = (payload.db as { pool?: { _clients?: { on: (e: string, f: () => void) => void }[]; on: (e: string, f: () => void) => void } }).pool
  pool?.on('error', () => undefined)
  pool?._clients?.forEach((client) => client.on('error', () => undefined))
}

/**
 * A real HTTP server on loopback in front of Payload's REST handler (the same `handleEndpoints`
 * that the Next.js route calls, through the standalone API server's transport) and its GraphQL
 * route (`graphqlUrl`), on a fresh database of the given kind.
 */
export const startTestApp = async (options: TestAppOptions): Promise<TestApp> => {
  const { config, database, key } = await buildTestConfig(options)
  const shared = options.database
  const payload = await getPayload({ config, key })
  const graphqlPath = `${config.routes.api}${config.routes.graphQL}`
  const graphql = graphqlHandler(config, key)
  const server = http.createServer((req, res) => {
    const request = toFetchRequest(req, urlOrigin(req))
    // As the Next.js app routes it: /api/graphql to Payload's GraphQL handler, the rest to its REST handler.
    const isGraphql = req.method === 'POST' && new URL(request.url).pathname === graphqlPath
    ;(isGraphql ? graphql(request) : handleEndpoints({ config, payloadInstanceCacheKey: key, request }))
      .then((response) => sendResponse(response, req, res))
      .catch((err: unknown) => {
        if (isGraphql) {
          // What Next.js answers when a route handler throws.
          res.writeHead(500, { 'content-type': 'text/plain' })
          res.end(`Internal Server Error: ${String(err)}`)
          return
        }
        res.writeHead(599, { 'content-type': 'text/plain' })
        res.end(`test server: unhandled ${String(err)}`)
      })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  const apiUrl = `http://127.0.0.1:${port}/api`
  const routePrefix = options.plugin?.routePrefix ?? 'dj-rest-auth'
  const unregister = registerContractApp(`${apiUrl}/${routePrefix}`, payload)
  return {
    apiUrl,
    close: async () => {
      unregister()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await stopCacheInvalidation(payload)
      await payload.destroy()
      silencePool(payload)
      if (!shared) {
        await database.drop()
      }
    },
    config,
    graphqlUrl: `http://127.0.0.1:${port}${graphqlPath}`,
    payload,
    url: `${apiUrl}/dj-rest-auth`,
  }
}
