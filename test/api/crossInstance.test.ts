import { randomBytes } from 'node:crypto'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { TestDatabase } from '../helpers/database.js'
import type { TestApp } from '../helpers/server.js'

import { HOLD_MS } from '../../src/cache/holds.js'
import { call } from '../helpers/client.js'
import { createTestDatabase, testDatabases } from '../helpers/database.js'
import { sleep } from '../helpers/processes.js'
import { startTestApp } from '../helpers/server.js'
import { createUser, NEW_PASSWORD, PASSWORD } from '../helpers/users.js'

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'
// Caches far longer than the test: whatever the other instance refuses, it refuses because it was told.
const LONG_TTL = 120_000
// dj-rest-auth's default authentication classes put SessionAuthentication first: a refused token answers 403.
const REFUSED = 403

type Pair = { a: TestApp; b: TestApp; database: TestDatabase }

/** Two instances of one site: one PostgreSQL database, one secret, each with its own caches (its own Payload). */
const startPair = async ({ withRedis }: { withRedis: boolean }): Promise<Pair> => {
  const database = await createTestDatabase('postgres')
  const secret = `cross-instance-${randomBytes(8).toString('hex')}`
  const plugin = {
    rateLimitStore: withRedis ? { keyPrefix: `rest-auth-test-${randomBytes(6).toString('hex')}`, redisUrl: REDIS_URL } : {},
    settingsCacheTtl: LONG_TTL,
    tokenCacheTtl: LONG_TTL,
  }
  const a = await startTestApp({ database, db: 'postgres', plugin, secret })
  const b = await startTestApp({ database, db: 'postgres', plugin, secret })
  return { a, b, database }
}

const stopPair = async (pair: Pair | undefined) => {
  await pair?.a.close()
  await pair?.b.close()
  await pair?.database.drop()
}

const login = async (app: TestApp, username: string, password = PASSWORD) => {
  const res = await call(`${app.url}/login/`, 'POST', { body: { password, username } })
  expect(res.status, res.text).toBe(200)
  return res.body as { access?: string; key?: string }
}

/**
 * A login writes last_login, and after any write to a user no instance caches that user for
 * HOLD_MS (src/cache/holds.ts): the wait lets the other instance cache again, as it does in steady state.
 */
const untilCachingResumes = () => sleep(HOLD_MS + 250)

const userStatus = async (app: TestApp, key: string) => (await call(`${app.url}/user/`, 'GET', { token: key })).status

describe.runIf(testDatabases().includes('postgres'))('two instances on one PostgreSQL database and Redis', () => {
  let pair: Pair
  const keys: Record<string, string> = {}

  beforeAll(async () => {
    pair = await startPair({ withRedis: true })
    for (const username of ['logout', 'deleted', 'changer', 'inactive', 'jwt', 'ended']) {
      await createUser(pair.a.payload, { email: `${username}@example.com`, username })
    }
    keys.logout = (await login(pair.a, 'logout')).key!
    keys.deleted = (await login(pair.a, 'deleted')).key!
    keys.asking = (await login(pair.a, 'changer')).key!
    keys.other = (await login(pair.b, 'changer')).key!
    keys.inactive = (await login(pair.b, 'inactive')).key!
    await untilCachingResumes()
  }, 60_000)
  afterAll(async () => stopPair(pair))

  it('a logout on one instance is refused by the other on its next request', async () => {
    const key = keys.logout
    expect(await userStatus(pair.b, key!)).toBe(200)
    expect((await call(`${pair.a.url}/logout/`, 'POST', { token: key })).status).toBe(200)
    const after = await call(`${pair.b.url}/user/`, 'GET', { token: key })
    expect(after.status).toBe(REFUSED)
    expect(after.body).toEqual({ detail: 'Invalid token.' })
  })

  it('a token deleted through Payload on one instance is refused by the other', async () => {
    const key = keys.deleted
    expect(await userStatus(pair.b, key!)).toBe(200)
    const { docs } = await pair.a.payload.delete({
      collection: 'auth-tokens' as never,
      overrideAccess: true,
      where: { prefix: { equals: key!.slice(0, 8) } },
    })
    expect(docs).toHaveLength(1)
    expect(await userStatus(pair.b, key!)).toBe(REFUSED)
  })

  it("a password change on one instance ends the user's other tokens on the other", async () => {
    const { asking, other } = keys as { asking: string; other: string }
    expect(await userStatus(pair.b, other)).toBe(200)
    const change = await call(`${pair.a.url}/password/change/`, 'POST', {
      body: { new_password1: NEW_PASSWORD, new_password2: NEW_PASSWORD },
      token: asking,
    })
    expect(change.status, change.text).toBe(200)
    expect(await userStatus(pair.b, other)).toBe(REFUSED)
    expect(await userStatus(pair.b, asking)).toBe(200)
  })

  it('a deactivation on one instance is refused by the other', async () => {
    const key = keys.inactive
    expect(await userStatus(pair.b, key!)).toBe(200)
    const { docs } = await pair.a.payload.update({
      collection: 'users',
      data: { is_active: false } as never,
      overrideAccess: true,
      where: { username: { equals: 'inactive' } },
    })
    expect(docs).toHaveLength(1)
    expect(await userStatus(pair.b, key!)).toBe(REFUSED)
  })

  it('a settings save on one instance applies on the other at once; then a JWT user deactivated on one is refused by the other', async () => {
    expect((await login(pair.b, 'jwt')).key).toBeDefined()
    await pair.a.payload.updateGlobal({
      data: { accessTokenLifetime: 3600, authenticationClasses: 'jwt, token', useJwt: true } as never,
      slug: 'rest-auth-settings' as never,
    })
    const { access } = await login(pair.b, 'jwt')
    expect(access).toBeDefined()
    const bearer = { headers: { authorization: `Bearer ${access}` } }
    await untilCachingResumes()
    expect((await call(`${pair.b.url}/user/`, 'GET', bearer)).status).toBe(200)
    await pair.a.payload.update({
      collection: 'users',
      data: { is_active: false } as never,
      overrideAccess: true,
      where: { username: { equals: 'jwt' } },
    })
    const after = await call(`${pair.b.url}/user/`, 'GET', bearer)
    expect(after.status).toBe(401)
    expect(after.body).toMatchObject({ code: 'user_inactive' })
  })

  it('a session ended on one instance stops its access JWT on the other at once (jwtAccessHonoursSessionEnd)', async () => {
    await pair.a.payload.updateGlobal({
      data: { accessTokenLifetime: 3600, authenticationClasses: 'jwt, token', jwtAccessHonoursSessionEnd: true, useJwt: true } as never,
      slug: 'rest-auth-settings' as never,
    })
    const { access } = await login(pair.b, 'ended')
    const bearer = { headers: { authorization: `Bearer ${access}` } }
    // b looks the login up and caches it as live.
    const sessions = await call(`${pair.b.url}/sessions/`, 'GET', bearer)
    expect(sessions.status, sessions.text).toBe(200)
    const current = (sessions.body as { id: string; is_current: boolean }[]).find((session) => session.is_current)!
    expect((await call(`${pair.b.url}/user/`, 'GET', bearer)).status).toBe(200)
    const revoke = await call(`${pair.a.url}/sessions/${current.id}/revoke/`, 'POST', bearer)
    expect(revoke.status, revoke.text).toBe(200)
    const after = await call(`${pair.b.url}/user/`, 'GET', bearer)
    expect(after.status).toBe(401)
    expect(after.body).toMatchObject({ code: 'token_not_valid' })
  })
})

// What the test above would see without the invalidation: the other instance believes its cache.
describe.runIf(testDatabases().includes('postgres'))('two instances without Redis (the cache TTLs hold)', () => {
  let pair: Pair

  beforeAll(async () => {
    pair = await startPair({ withRedis: false })
    await createUser(pair.a.payload, { email: 'stale@example.com', username: 'stale' })
  }, 60_000)
  afterAll(async () => stopPair(pair))

  it('the other instance still answers a logged-out token and the old settings until its caches expire', async () => {
    const { key } = await login(pair.a, 'stale')
    await untilCachingResumes()
    expect(await userStatus(pair.b, key!)).toBe(200)
    expect((await call(`${pair.a.url}/logout/`, 'POST', { token: key })).status).toBe(200)
    expect(await userStatus(pair.a, key!)).toBe(REFUSED)
    expect(await userStatus(pair.b, key!)).toBe(200)
    await pair.a.payload.updateGlobal({ data: { useJwt: true } as never, slug: 'rest-auth-settings' as never })
    expect((await login(pair.b, 'stale')).key).toBeDefined()
  })
})
