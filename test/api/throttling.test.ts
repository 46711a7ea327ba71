import { randomBytes } from 'node:crypto'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'

import type { TestApp } from '../helpers/server.js'

import { closeRateLimitStores, rateLimitStoreReady } from '../../src/throttling/limiters.js'
import { resetLockoutPruning } from '../../src/throttling/loginLockout.js'
import { setClock } from '../../src/utilities/clock.js'
import { call } from '../helpers/client.js'
import { testDatabases } from '../helpers/database.js'
import { startTestApp } from '../helpers/server.js'
import { createUser, PASSWORD } from '../helpers/users.js'

const from = (ip: string) => ({ 'x-forwarded-for': ip })
const throttled = (res: { body: { detail?: string }; headers: Headers; status: number }) => {
  expect(res.status).toBe(429)
  expect(res.body.detail).toMatch(/^Request was throttled\. Expected available in \d+ seconds?\.$/)
  const wait = Number(/in (\d+) second/.exec(res.body.detail!)![1])
  expect(res.headers.get('retry-after')).toBe(String(wait))
  return wait
}

/** DRF-style rate limits and the failed-login back-off, in memory and in Redis. */
describe.each(testDatabases())('rate limits on %s', (db) => {
  let app: TestApp
  const login = (body: Record<string, string>, ip = '203.0.113.1') =>
    call(`${app.url}/login/`, 'POST', { body, headers: from(ip) })
  const save = (data: Record<string, unknown>) => app.payload.updateGlobal({ data: data as never, slug: 'rest-auth-settings' as never })

  beforeAll(async () => {
    app = await startTestApp({
      db,
      plugin: {
        // 12 parallel failures below must all reach the counter, not the bound on password checks.
        maxPasswordChecksInFlight: 64,
        settings: {
          loginLockoutThreshold: 0,
          throttleEnabled: true,
          throttleLoginAccount: '',
          throttleLoginIp: '3/min',
          // The test server appends its peer; trusting that one hop as a proxy lets a test speak
          // from many addresses through X-Forwarded-For.
          trustedProxyCount: 1,
        },
      },
    })
    await createUser(app.payload, { email: 'rae@example.com', username: 'rae' })
  })
  afterAll(async () => app?.close())
  afterEach(() => setClock(null))

  it('login per client address: the fourth request in a minute answers 429 with Retry-After', async () => {
    for (let i = 0; i < 3; i += 1) {
      expect((await login({ password: 'nope', username: 'rae' }, '198.51.100.7')).status).toBe(400)
    }
    const wait = throttled(await login({ password: PASSWORD, username: 'rae' }, '198.51.100.7'))
    expect(wait).toBeGreaterThan(0)
    expect(wait).toBeLessThanOrEqual(60)
    // Another address is not affected.
    expect((await login({ password: PASSWORD, username: 'rae' }, '198.51.100.8')).status).toBe(200)
  })

  it('per account, across addresses', async () => {
    await save({ throttleLoginAccount: '2/min', throttleLoginIp: '' })
    expect((await login({ password: 'nope', username: 'rae' }, '192.0.2.1')).status).toBe(400)
    expect((await login({ password: 'nope', username: 'RAE' }, '192.0.2.2')).status).toBe(400)
    throttled(await login({ password: PASSWORD, username: 'rae' }, '192.0.2.3'))
    expect((await login({ password: 'nope', username: 'someone-else' }, '192.0.2.3')).status).toBe(400)
    await save({ throttleLoginAccount: '' })
  })

  it('a client-written X-Forwarded-For does not escape the limit beyond the trusted proxies', async () => {
    await save({ throttleRegistrationIp: '2/min', trustedProxyCount: 0 })
    const register = (ip: string) =>
      call(`${app.url}/registration/`, 'POST', { body: {}, headers: from(ip) })
    expect((await register('10.9.9.1')).status).toBe(400)
    expect((await register('10.9.9.2')).status).toBe(400)
    throttled(await register('10.9.9.3'))
    await save({ trustedProxyCount: 1 })
  })

  it('password reset and resend count per address and per e-mail', async () => {
    await save({ throttlePasswordResetAccount: '1/hour', throttleResendEmailAccount: '1/hour' })
    const reset = (ip: string) => call(`${app.url}/password/reset/`, 'POST', { body: { email: 'rae@example.com' }, headers: from(ip) })
    expect((await reset('100.64.0.1')).status).toBe(200)
    throttled(await reset('100.64.0.2'))
    const resend = (ip: string) => call(`${app.url}/registration/resend-email/`, 'POST', { body: { email: 'rae@example.com' }, headers: from(ip) })
    expect((await resend('100.64.0.3')).status).toBe(200)
    throttled(await resend('100.64.0.4'))
  })

  it('login: the per-account limit keys on the identifier the lookup uses, ignoring the other field', async () => {
    // E-mail mode: the username field is not looked at, so rotating it must not give fresh counters.
    await save({ accountAuthenticationMethod: 'email', accountEmailRequired: true, throttleLoginAccount: '2/min', throttleLoginIp: '' })
    try {
      const attempt = (i: number) => login({ email: 'rae@example.com', password: 'nope', username: `decoy${i}` }, `192.0.2.${20 + i}`)
      expect((await attempt(1)).status).toBe(400)
      expect((await attempt(2)).status).toBe(400)
      throttled(await attempt(3))
    } finally {
      await save({ accountAuthenticationMethod: 'username', accountEmailRequired: false, throttleLoginAccount: '' })
    }
  })

  it('password/reset/confirm/ and registration/verify-email/ are limited per client address', async () => {
    await save({ throttleEmailVerificationIp: '2/min', throttlePasswordResetConfirmIp: '2/min' })
    const confirm = (ip: string) =>
      call(`${app.url}/password/reset/confirm/`, 'POST', { body: { new_password1: 'x', new_password2: 'x', token: 'guess', uid: 'MQ' }, headers: from(ip) })
    expect((await confirm('100.64.1.1')).status).toBe(400)
    expect((await confirm('100.64.1.1')).status).toBe(400)
    throttled(await confirm('100.64.1.1'))
    expect((await confirm('100.64.1.2')).status).toBe(400)
    const verify = (ip: string) => call(`${app.url}/registration/verify-email/`, 'POST', { body: { key: 'guess' }, headers: from(ip) })
    expect((await verify('100.64.1.3')).status).toBe(404)
    expect((await verify('100.64.1.3')).status).toBe(404)
    throttled(await verify('100.64.1.3'))
    await save({ throttleEmailVerificationIp: '30/min', throttlePasswordResetConfirmIp: '20/min' })
  })

  it('a malformed rate is refused by the settings global', async () => {
    await expect(save({ throttleLoginIp: 'lots' })).rejects.toThrow()
  })

  describe('failed-login back-off', () => {
    it('locks one account from one address, doubles, and lifts when an admin deletes the row', async () => {
      await save({ loginLockoutBaseSeconds: 30, loginLockoutThreshold: 2, throttleLoginIp: '' })
      await createUser(app.payload, { email: 'lou@example.com', username: 'lou' })
      const ip = '198.18.0.1'
      expect((await login({ password: 'nope', username: 'lou' }, ip)).status).toBe(400)
      expect((await login({ password: 'nope', username: 'lou' }, ip)).status).toBe(400)
      // Locked even with the right password, for about 30 s.
      expect(throttled(await login({ password: PASSWORD, username: 'lou' }, ip))).toBeGreaterThan(25)
      // The victim logging in from elsewhere is not locked out.
      expect((await login({ password: PASSWORD, username: 'lou' }, '198.18.0.2')).status).toBe(200)

      setClock(() => Date.now() + 31_000)
      expect((await login({ password: 'nope', username: 'lou' }, ip)).status).toBe(400)
      const doubled = throttled(await login({ password: PASSWORD, username: 'lou' }, ip))
      expect(doubled).toBeGreaterThan(55)

      const rows = await app.payload.find({ collection: 'login-failures' as never, where: { account: { equals: 'lou' } } })
      expect(rows.docs).toHaveLength(1)
      expect((rows.docs[0] as unknown as { failures: number }).failures).toBe(3)
      await app.payload.delete({ collection: 'login-failures' as never, id: rows.docs[0]!.id })
      expect((await login({ password: PASSWORD, username: 'lou' }, ip)).status).toBe(200)
      await save({ loginLockoutThreshold: 0 })
    })

    it('parallel failures are all counted, on one row', async () => {
      await save({ loginLockoutThreshold: 100, throttleLoginIp: '' })
      const ip = '198.18.2.1'
      const answers = await Promise.all(Array.from({ length: 12 }, () => login({ password: 'nope', username: 'racer' }, ip)))
      expect(answers.map((res) => res.status)).toEqual(Array(12).fill(400))
      const rows = await app.payload.find({ collection: 'login-failures' as never, where: { account: { equals: 'racer' } } })
      expect(rows.docs).toHaveLength(1)
      expect((rows.docs[0] as unknown as { failures: number }).failures).toBe(12)
      await save({ loginLockoutThreshold: 0 })
    })

    it('the back-off stops growing at loginLockoutMaxSeconds', async () => {
      await save({ loginLockoutBaseSeconds: 30, loginLockoutMaxSeconds: 45, loginLockoutThreshold: 1, throttleLoginIp: '' })
      const ip = '198.18.3.1'
      expect((await login({ password: 'nope', username: 'capped' }, ip)).status).toBe(400)
      for (let i = 1; i <= 3; i += 1) {
        setClock(() => Date.now() + i * 50_000)
        expect((await login({ password: 'nope', username: 'capped' }, ip)).status).toBe(400)
        const wait = throttled(await login({ password: 'nope', username: 'capped' }, ip))
        expect(wait).toBeLessThanOrEqual(45)
        expect(wait).toBeGreaterThan(i === 1 ? 40 : 44)
      }
      await save({ loginLockoutMaxSeconds: 3600, loginLockoutThreshold: 0 })
    })

    it('failures are forgotten after loginLockoutResetSeconds, and their rows pruned', async () => {
      await save({ loginLockoutResetSeconds: 60, loginLockoutThreshold: 2, throttleLoginIp: '' })
      const ip = '198.18.4.1'
      expect((await login({ password: 'nope', username: 'forgetful' }, ip)).status).toBe(400)
      expect((await login({ password: 'nope', username: 'stale' }, '198.18.4.2')).status).toBe(400)
      // A minute later the count starts again: one more failure does not lock.
      setClock(() => Date.now() + 61_000)
      resetLockoutPruning()
      expect((await login({ password: 'nope', username: 'forgetful' }, ip)).status).toBe(400)
      expect((await login({ password: 'nope', username: 'forgetful' }, ip)).status).toBe(400)
      const rows = await app.payload.find({ collection: 'login-failures' as never, where: { account: { in: ['forgetful', 'stale'] } } })
      // The untouched pair's row was pruned; the active one counts from 1.
      expect(rows.docs.map((row) => (row as unknown as { account: string }).account)).toEqual(['forgetful'])
      expect((rows.docs[0] as unknown as { failures: number }).failures).toBe(1)
      await save({ loginLockoutResetSeconds: 86400, loginLockoutThreshold: 0 })
    })

    it('keys on the identifier login used: decoy e-mails next to the username do not dodge it', async () => {
      await save({ loginLockoutThreshold: 2, throttleLoginIp: '' })
      await createUser(app.payload, { email: 'vic@example.com', username: 'vic' })
      const ip = '198.18.5.1'
      for (let i = 0; i < 2; i += 1) {
        expect((await login({ email: `decoy${i}@example.com`, password: 'nope', username: 'vic' }, ip)).status).toBe(400)
      }
      throttled(await login({ email: 'decoy9@example.com', password: PASSWORD, username: 'vic' }, ip))
      throttled(await login({ password: PASSWORD, username: 'VIC' }, ip))
      await save({ loginLockoutThreshold: 0 })
    })

    it('one address grows at most loginLockoutMaxAccountsPerAddress rows; further names back off as one', async () => {
      await save({ loginLockoutMaxAccountsPerAddress: 3, loginLockoutThreshold: 2, throttleLoginIp: '' })
      const ip = '198.18.6.1'
      const random = (i: number) => login({ password: 'nope', username: `random-${i}-${randomBytes(3).toString('hex')}` }, ip)
      for (let i = 0; i < 5; i += 1) {
        expect((await random(i)).status).toBe(400)
      }
      // Three named rows, then the address's own row took the next two failures and now backs off.
      throttled(await random(5))
      const rows = (await app.payload.find({ collection: 'login-failures' as never, pagination: false, where: { ip: { equals: ip } } }))
        .docs as unknown as { account: string; failures: number }[]
      expect(rows).toHaveLength(4)
      expect(rows.find((row) => row.account === '*')?.failures).toBe(2)
      // A known account tried from that address is held back too (the same answer as any name), while
      // the account itself, from elsewhere, is not.
      throttled(await login({ password: PASSWORD, username: 'rae' }, ip))
      expect((await login({ password: PASSWORD, username: 'rae' }, '198.18.6.2')).status).toBe(200)
      await save({ loginLockoutMaxAccountsPerAddress: 100, loginLockoutThreshold: 0 })
    })

    it('unknown accounts back off the same way', async () => {
      await save({ loginLockoutThreshold: 1 })
      expect((await login({ password: 'x', username: 'ghost' }, '198.18.1.1')).status).toBe(400)
      throttled(await login({ password: 'x', username: 'ghost' }, '198.18.1.1'))
      await save({ loginLockoutThreshold: 0 })
    })
  })
})

describe('rate limits shared through Redis', () => {
  const apps: TestApp[] = []
  const keyPrefix = `rest-auth-test-${randomBytes(6).toString('hex')}`
  const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'
  beforeAll(async () => {
    await rateLimitStoreReady({ redisUrl })
    for (let i = 0; i < 2; i += 1) {
      apps.push(
        await startTestApp({
          db: 'sqlite',
          plugin: {
            rateLimitStore: { keyPrefix, redisUrl },
            settings: { throttleEnabled: true, throttleRegistrationIp: '3/min', trustedProxyCount: 1 },
          },
        }),
      )
    }
  })
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()))
    await closeRateLimitStores()
  })

  it('two instances count against one limit', async () => {
    const register = (app: TestApp) => call(`${app.url}/registration/`, 'POST', { body: {}, headers: from('203.0.113.50') })
    expect((await register(apps[0]!)).status).toBe(400)
    expect((await register(apps[1]!)).status).toBe(400)
    expect((await register(apps[0]!)).status).toBe(400)
    throttled(await register(apps[1]!))
  })
})
