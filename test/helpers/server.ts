import { randomBytes } from 'node:crypto'
import http from 'node:http'
import { Readable } from 'node:stream'

import type { Config, Payload, SanitizedConfig } from 'payload'

import { buildConfig, getPayload, handleEndpoints } from 'payload'

import type { RestAuthPluginOptions } from '../../src/index.js'
import type { TestDatabaseKind } from './database.js'

import { appendForwardedFor } from '../../src/http/forwarded.js'
import { restAuthPlugin } from '../../src/index.js'
import { registerContractApp } from './contract.js'
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
  db: TestDatabaseKind
  /** SQLite only: true turns on Payload's (off by default) SQLite transactions. */
  transactions?: boolean
  plugin?: RestAuthPluginOptions
}

/** Node's request as a Fetch Request, body streamed. */
const toRequest = (req: http.IncomingMessage, origin: string): Request => {
  const headers = new Headers()
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) {
      value.forEach((v) => headers.append(name, v))
    } else if (value !== undefined) {
      headers.set(name, value)
    }
  }
  // As every server in front of the plugin must (nginx's $proxy_add_x_forwarded_for): the peer
  // address is appended to X-Forwarded-For.
  headers.set('x-forwarded-for', appendForwardedFor(headers.get('x-forwarded-for'), req.socket.remoteAddress))
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD'
  return new Request(new URL(req.url ?? '/', origin), {
    body: hasBody ? (Readable.toWeb(req) as ReadableStream) : undefined,
    duplex: 'half',
    headers,
    method: req.method,
  } as RequestInit)
}

const writeResponse = async (response: Response, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
  const headers: Record<string, string | string[]> = {}
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') {
      headers[name] = value
    }
  })
  const cookies = response.headers.getSetCookie()
  if (cookies.length > 0) {
    headers['set-cookie'] = cookies
  }
  if (!req.complete) {
    // The handler answered without reading the whole body (413): this connection cannot be reused.
    headers.connection = 'close'
  }
  res.writeHead(response.status, headers)
  res.end(Buffer.from(await response.arrayBuffer()))
}

/**
 * A real HTTP server on loopback in front of Payload's REST handler (the same `handleEndpoints`
 * that the Next.js route calls) and its GraphQL route (`graphqlUrl`), on a fresh database of the
 * given kind.
 */
export const startTestApp = async ({ config: extra = {}, db, plugin, transactions }: TestAppOptions): Promise<TestApp> => {
  // Every app gets a fresh database; Payload would skip the push when a previous app in this
  // process had the same schema.
  process.env.PAYLOAD_FORCE_DRIZZLE_PUSH = 'true'
  const database = await createTestDatabase(db, { transactions })
  const key = `test-${randomBytes(6).toString('hex')}`
  const config = await buildConfig({
    collections: [],
    secret: `test-secret-${key}`,
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
  const payload = await getPayload({ config, key })
  const graphqlPath = `${config.routes.api}${config.routes.graphQL}`
  const graphql = graphqlHandler(config, key)
  const server = http.createServer((req, res) => {
    const origin = `http://${req.headers.host ?? '127.0.0.1'}`
    const request = toRequest(req, origin)
    // As the Next.js app routes it: /api/graphql to Payload's GraphQL handler, the rest to its REST handler.
    const isGraphql = req.method === 'POST' && new URL(request.url).pathname === graphqlPath
    ;(isGraphql ? graphql(request) : handleEndpoints({ config, payloadInstanceCacheKey: key, request }))
      .then((response) => writeResponse(response, req, res))
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
  const routePrefix = plugin?.routePrefix ?? 'dj-rest-auth'
  const unregister = registerContractApp(`${apiUrl}/${routePrefix}`, payload)
  return {
    apiUrl,
    close: async () => {
      unregister()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await payload.destroy()
      // db-postgres keeps pooled clients open after destroy(); dropping the database terminates
      // them, which must not surface as unhandled errors.
      const pool = (payload.db as { pool?: { _clients?: { on: (e: string, f: () => void) => void }[]; on: (e: string, f: () => void) => void } }).pool
      pool?.on('error', () => undefined)
      pool?._clients?.forEach((client) => client.on('error', () => undefined))
      await database.drop()
    },
    config,
    graphqlUrl: `http://127.0.0.1:${port}${graphqlPath}`,
    payload,
    url: `${apiUrl}/dj-rest-auth`,
  }
}
