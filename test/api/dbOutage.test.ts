import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { TestApp } from '../helpers/server.js'

import { call } from '../helpers/client.js'
import { testDatabases } from '../helpers/database.js'
import { startTestApp } from '../helpers/server.js'
import { createUser, PASSWORD } from '../helpers/users.js'

const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432'

/** The database goes away mid-run: 503s in dj-rest-auth's shape, no hang, and recovery without restart. */
describe.runIf(testDatabases().includes('postgres'))('database outage on postgres', () => {
  let app: TestApp
  let admin: pg.Client
  let database: string

  beforeAll(async () => {
    app = await startTestApp({ db: 'postgres' })
    await createUser(app.payload, { email: 'oz@example.com', username: 'oz' })
    database = (await (app.payload.db as unknown as { pool: pg.Pool }).pool.query('select current_database() as name')).rows[0].name
    admin = new pg.Client({ connectionString: `${POSTGRES_URL}/postgres` })
    await admin.connect()
  })
  afterAll(async () => {
    await admin?.query(`ALTER DATABASE ${database} ALLOW_CONNECTIONS true`).catch(() => undefined)
    await admin?.end()
    await app?.close()
  })

  it('answers 503 while the database refuses connections, then recovers by itself', async () => {
    const login = () =>
      call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'oz' }, headers: {} })
    expect((await login()).status).toBe(200)

    await admin.query(`ALTER DATABASE ${database} ALLOW_CONNECTIONS false`)
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [database])
    const during = await Promise.all(Array.from({ length: 5 }, () => login()))
    for (const res of during) {
      expect([503]).toContain(res.status)
      expect(res.body).toEqual({ detail: 'Service temporarily unavailable, try again later.' })
      expect(res.headers.get('retry-after')).toBe('5')
    }

    await admin.query(`ALTER DATABASE ${database} ALLOW_CONNECTIONS true`)
    let recovered = 0
    for (let attempt = 0; attempt < 20 && recovered === 0; attempt += 1) {
      const res = await login()
      if (res.status === 200) {
        recovered = attempt + 1
      } else {
        expect(res.status).toBe(503)
        await new Promise((resolve) => setTimeout(resolve, 250))
      }
    }
    expect(recovered).toBeGreaterThan(0)
  }, 60_000)
})
