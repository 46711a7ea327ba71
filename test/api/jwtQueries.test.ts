import type { Payload } from 'payload'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { TestApp } from '../helpers/server.js'

import { HOLD_MS } from '../../src/cache/holds.js'
import { call } from '../helpers/client.js'
import { testDatabases } from '../helpers/database.js'
import { sleep } from '../helpers/processes.js'
import { startTestApp } from '../helpers/server.js'
import { createUser, PASSWORD } from '../helpers/users.js'

type Counter = { adapter: string[]; driver: number }

const LIFECYCLE = new Set(['connect', 'destroy', 'init'])

/**
 * Counts what reaches the database: every call of Payload's database adapter (any database), and
 * below it every statement the driver is handed (node-postgres' pool, libsql's client), so a
 * query made around the adapter would count too.
 */
const countQueries = (payload: Payload): Counter => {
  const counter: Counter = { adapter: [], driver: 0 }
  const db = payload.db as unknown as Record<string, unknown>
  for (const [name, value] of Object.entries(db)) {
    if (typeof value === 'function' && !LIFECYCLE.has(name)) {
      db[name] = function (this: unknown, ...args: unknown[]) {
        counter.adapter.push(name)
        return (value as (...a: unknown[]) => unknown).apply(this, args)
      }
    }
  }
  const wrapDriver = (target: Record<string, unknown> | undefined, names: string[]) => {
    for (const name of names) {
      const original = target?.[name]
      if (target && typeof original === 'function') {
        target[name] = function (this: unknown, ...args: unknown[]) {
          counter.driver += 1
          return (original as (...a: unknown[]) => unknown).apply(this, args)
        }
      }
    }
  }
  wrapDriver(db.pool as Record<string, unknown> | undefined, ['query', 'connect'])
  wrapDriver(db.client as Record<string, unknown> | undefined, ['execute', 'batch', 'transaction'])
  return counter
}

const reset = (counter: Counter) => {
  counter.adapter.length = 0
  counter.driver = 0
}

describe.each(testDatabases())('JWT user/ reads nothing from the database on %s', (db) => {
  let app: TestApp
  let counter: Counter
  let bearer: { headers: Record<string, string> }

  beforeAll(async () => {
    // Per request nothing; per instance, the settings and the user once per cache TTL (longer than the test here, so a slow machine cannot cross one).
    app = await startTestApp({
      db,
      plugin: { settings: { accessTokenLifetime: 3600, useJwt: true }, settingsCacheTtl: 60_000, tokenCacheTtl: 60_000 },
    })
    await createUser(app.payload, { email: 'jwt@example.com', username: 'jwt' })
    const login = await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'jwt' } })
    expect(login.status).toBe(200)
    bearer = { headers: { authorization: `Bearer ${login.body.access}` } }
    counter = countQueries(app.payload)
    // The login wrote last_login: the user is not cached until the write has surely committed.
    await sleep(HOLD_MS + 250)
  }, 60_000)
  afterAll(async () => app?.close())

  it('the first request loads the user (the counters see it), the next ones read nothing', async () => {
    reset(counter)
    const first = await call(`${app.url}/user/`, 'GET', bearer)
    expect(first.status).toBe(200)
    expect(counter.adapter.length).toBeGreaterThan(0)
    expect(counter.driver + (db === 'mongodb' ? 1 : 0)).toBeGreaterThan(0)

    reset(counter)
    for (let i = 0; i < 20; i += 1) {
      const res = await call(`${app.url}/user/`, 'GET', bearer)
      expect(res.status).toBe(200)
      expect(res.body.username).toBe('jwt')
    }
    expect(counter.adapter).toEqual([])
    expect(counter.driver).toBe(0)
  })

  it('a change to the user is read again at once', async () => {
    await app.payload.update({
      collection: 'users',
      data: { first_name: 'Changed' } as never,
      overrideAccess: true,
      where: { username: { equals: 'jwt' } },
    })
    reset(counter)
    const res = await call(`${app.url}/user/`, 'GET', bearer)
    expect(res.body.first_name).toBe('Changed')
    expect(counter.adapter.length).toBeGreaterThan(0)
  })
})
