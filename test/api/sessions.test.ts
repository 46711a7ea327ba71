import jwt from 'jsonwebtoken'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'

import type { TestApp } from '../helpers/server.js'

import { deviceLabel } from '../../src/sessions/deviceLabel.js'
import { recordedAddress } from '../../src/sessions/recordedAddress.js'
import { setClock } from '../../src/utilities/clock.js'
import { call, cookieJar } from '../helpers/client.js'
import { testDatabases } from '../helpers/database.js'
import { bearer } from '../helpers/jwtApp.js'
import { startTestApp } from '../helpers/server.js'
import { createUser, PASSWORD } from '../helpers/users.js'

const CHROME_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'
const SAFARI_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1'

type Row = Record<string, any>

describe('device labels and recorded addresses (unit)', () => {
  it.each([
    [CHROME_WINDOWS, 'Chrome on Windows'],
    [SAFARI_IPHONE, 'Safari on iPhone'],
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 14_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15', 'Safari on macOS'],
    ['Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0', 'Firefox on Linux'],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0', 'Edge on Windows'],
    ['Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36', 'Chrome on Android'],
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0 Mobile/15E148 Safari/604.1', 'Chrome on iPhone'],
    ['curl/8.5.0', 'curl'],
    ['okhttp/4.12.0', 'OkHttp'],
    ['MyApp/2.1 (com.example.app; build:7; iOS 18.1.0) Alamofire/5.9.1', 'MyApp'],
    ['', 'Unknown device'],
  ])('%s → %s', (ua, label) => {
    expect(deviceLabel(ua)).toBe(label)
  })

  it('keeps the whole address, the network only, or nothing', () => {
    expect(recordedAddress('203.0.113.77', 'full')).toBe('203.0.113.77')
    expect(recordedAddress('203.0.113.77', 'truncated')).toBe('203.0.113.0')
    expect(recordedAddress('::ffff:203.0.113.77', 'truncated')).toBe('203.0.113.0')
    expect(recordedAddress('2001:db8:85a3:8d3:1319:8a2e:370:7348', 'truncated')).toBe('2001:db8:85a3::')
    expect(recordedAddress('2001:db8::1', 'truncated')).toBe('2001:db8:0::')
    expect(recordedAddress('203.0.113.77', 'none')).toBe('')
    expect(recordedAddress('unknown', 'full')).toBe('')
  })
})

describe.each(testDatabases())('sessions on %s', (db) => {
  let app: TestApp
  let userId: number | string

  const sessionsOf = async (id: number | string): Promise<Row[]> =>
    (
      await app.payload.find({
        collection: 'auth-sessions' as never,
        overrideAccess: true,
        pagination: false,
        sort: '-createdAt',
        where: { user: { equals: id } },
      })
    ).docs as Row[]
  const tokenRows = async (where: Record<string, unknown>): Promise<Row[]> =>
    (await app.payload.find({ collection: 'auth-tokens' as never, overrideAccess: true, pagination: false, where: where as never })).docs as Row[]
  const saveSettings = (data: Record<string, unknown>) => app.payload.updateGlobal({ data: data as never, slug: 'rest-auth-settings' as never })
  const login = (headers: Record<string, string> = {}) =>
    call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'sid' }, headers })

  beforeAll(async () => {
    app = await startTestApp({ db, plugin: { settings: { sessionClientAddress: 'full' } } })
    userId = (await createUser(app.payload, { email: 'sid@example.com', username: 'sid' })).id
  })
  afterAll(async () => app?.close())
  afterEach(async () => {
    setClock(null)
  })

  it('a login records one session that its token and cookie session point to', async () => {
    const res = await login({ 'user-agent': CHROME_WINDOWS })
    expect(res.status).toBe(200)
    const [row] = await sessionsOf(userId)
    expect(row).toMatchObject({
      device: 'Chrome on Windows',
      ipAddress: '127.0.0.1',
      userAgent: CHROME_WINDOWS,
    })
    expect(row!.kinds.sort()).toEqual(['session', 'token'])
    expect(row!.methods).toEqual([{ at: row!.authenticatedAt, method: 'password' }])
    expect(row!.publicId).toMatch(/^[\w-]{22}$/)
    expect(row!.endedAt ?? null).toBeNull()
    // Session cookie age (two weeks) outlives the token (no lifetime): the session never expires.
    expect(row!.expiresAt ?? null).toBeNull()
    const credentials = await tokenRows({ session: { equals: row!.publicId } })
    expect(credentials.map((token) => token.kind).sort()).toEqual(['session', 'token'])
  })

  it('logout ends the login as a whole: its token and its cookie session', async () => {
    const browser = cookieJar()
    const res = await login()
    browser.store(res.cookies)
    const [row] = await sessionsOf(userId)
    const out = await call(`${app.url}/logout/`, 'POST', { token: res.body.key })
    expect(out.status).toBe(200)
    const ended = (await sessionsOf(userId)).find((session) => session.publicId === row!.publicId)!
    expect(ended.endReason).toBe('logout')
    expect(ended.endedAt).toBeTruthy()
    expect(await tokenRows({ session: { equals: row!.publicId } })).toEqual([])
    const me = await call(`${app.url}/user/`, 'GET', { headers: { cookie: browser.header() } })
    expect(me.status).toBe(403)
  })

  it('records only what sessionClientAddress allows', async () => {
    await saveSettings({ sessionClientAddress: 'none' })
    await login()
    expect((await sessionsOf(userId))[0]!.ipAddress ?? '').toBe('')
    await saveSettings({ sessionClientAddress: 'truncated' })
    await login()
    expect((await sessionsOf(userId))[0]!.ipAddress).toBe('127.0.0.0')
    await saveSettings({ sessionClientAddress: 'full' })
  })

  it('users read their own session rows through Payload, never another user’s', async () => {
    const other = await createUser(app.payload, { email: 'olga@example.com', username: 'olga' })
    const olga = await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'olga' } })
    const mine = await call(`${app.apiUrl}/auth-sessions`, 'GET', { token: olga.body.key })
    expect(mine.status).toBe(200)
    expect(mine.body.docs.length).toBe(1)
    expect(String(mine.body.docs[0].user?.id ?? mine.body.docs[0].user)).toBe(String(other.id))
    const edit = await call(`${app.apiUrl}/auth-sessions/${mine.body.docs[0].id}`, 'PATCH', { body: { endedAt: null }, token: olga.body.key })
    expect(edit.status).toBe(403)
  })

  describe('recent authentication', () => {
    it('reauthenticate/ with the password renews the current login’s authentication time', async () => {
      const { body } = await login()
      const [before] = await sessionsOf(userId)
      setClock(() => Date.now() + 600_000)
      const res = await call(`${app.url}/reauthenticate/`, 'POST', { body: { password: PASSWORD }, token: body.key })
      expect(res.status, res.text).toBe(200)
      expect(res.body.detail).toBe('Reauthenticated.')
      expect(res.body.method).toBe('password')
      const [after] = await sessionsOf(userId)
      expect(after!.publicId).toBe(before!.publicId)
      expect(new Date(after!.authenticatedAt).getTime() - new Date(before!.authenticatedAt).getTime()).toBeGreaterThanOrEqual(599_000)
      expect(new Date(res.body.reauthenticated_until).getTime()).toBe(new Date(after!.authenticatedAt).getTime() + 300_000)
      expect(after!.methods.map((m: Row) => m.method)).toEqual(['password', 'password'])
    })

    it('a wrong password is a field error and changes nothing', async () => {
      const { body } = await login()
      const [before] = await sessionsOf(userId)
      const res = await call(`${app.url}/reauthenticate/`, 'POST', { body: { password: 'wrong-password' }, token: body.key })
      expect(res.status).toBe(400)
      expect(res.body).toEqual({ password: ['Incorrect password.'] })
      const missing = await call(`${app.url}/reauthenticate/`, 'POST', { body: {}, token: body.key })
      expect(missing.body).toEqual({ password: ['This field is required.'] })
      const [after] = await sessionsOf(userId)
      expect(after!.authenticatedAt).toBe(before!.authenticatedAt)
    })

    it('needs a user', async () => {
      const res = await call(`${app.url}/reauthenticate/`, 'POST', { body: { password: PASSWORD } })
      expect(res.status).toBe(403)
    })

    it('a token issued before sessions existed cannot be reauthenticated (400, not 500)', async () => {
      const { body } = await login()
      await app.payload.update({
        collection: 'auth-tokens' as never,
        data: { session: null } as never,
        overrideAccess: true,
        where: { prefix: { equals: body.key.slice(0, 8) } } as never,
      })
      const res = await call(`${app.url}/reauthenticate/`, 'POST', { body: { password: PASSWORD }, token: body.key })
      expect(res.status).toBe(400)
      expect(res.body).toEqual({ detail: 'This login cannot be reauthenticated; log in again.' })
    })
  })

  describe('JWT mode', () => {
    beforeAll(async () => {
      await saveSettings({ jwtAuthCookie: 'app-auth', jwtAuthRefreshCookie: 'app-refresh', rotateRefreshTokens: true, sessionLogin: false, useJwt: true })
    })
    afterAll(async () => {
      await saveSettings({ jwtAuthCookie: '', jwtAuthRefreshCookie: '', rotateRefreshTokens: false, sessionLogin: true, useJwt: false })
    })

    const jwtLogin = () =>
      call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'sid' }, headers: { 'x-rest-auth-cookieless': '1' } })

    it('access and refresh tokens carry the session as sid; the refresh family points to it', async () => {
      const res = await jwtLogin()
      expect(res.status, res.text).toBe(200)
      const [row] = await sessionsOf(userId)
      expect(row!.kinds).toEqual(['jwt'])
      expect((jwt.decode(res.body.access) as Row).sid).toBe(row!.publicId)
      expect((jwt.decode(res.body.refresh) as Row).sid).toBe(row!.publicId)
      const refreshed = await call(`${app.url}/token/refresh/`, 'POST', { body: { refresh: res.body.refresh }, headers: { 'x-rest-auth-cookieless': '1' } })
      expect(refreshed.status).toBe(200)
      expect((jwt.decode(refreshed.body.access) as Row).sid).toBe(row!.publicId)
      expect((jwt.decode(refreshed.body.refresh) as Row).sid).toBe(row!.publicId)
      const { docs } = await app.payload.find({
        collection: 'outstanding-tokens' as never,
        overrideAccess: true,
        where: { session: { equals: row!.publicId } } as never,
      })
      expect(docs.length).toBe(2)
      // A JWT session expires with its refresh token.
      expect(new Date(row!.expiresAt).getTime()).toBeGreaterThan(Date.now() + 86_000_000)
    })

    it('reauthenticate/ works with a Bearer access token', async () => {
      const res = await jwtLogin()
      const again = await call(`${app.url}/reauthenticate/`, 'POST', { body: { password: PASSWORD }, headers: bearer(res.body.access) })
      expect(again.status, again.text).toBe(200)
    })

    it('reusing a rotated refresh token ends the login', async () => {
      await saveSettings({ refreshTokenGraceSeconds: 0 })
      const res = await jwtLogin()
      const [row] = await sessionsOf(userId)
      const headers = { 'x-rest-auth-cookieless': '1' }
      expect((await call(`${app.url}/token/refresh/`, 'POST', { body: { refresh: res.body.refresh }, headers })).status).toBe(200)
      const reuse = await call(`${app.url}/token/refresh/`, 'POST', { body: { refresh: res.body.refresh }, headers })
      expect(reuse.status).toBe(401)
      const ended = (await sessionsOf(userId)).find((session) => session.publicId === row!.publicId)!
      expect(ended.endReason).toBe('reuse')
      await saveSettings({ refreshTokenGraceSeconds: 10 })
    })
  })
})
