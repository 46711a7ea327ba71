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

  it('a login prunes the user’s sessions closed for more than 30 days', async () => {
    const [old] = await sessionsOf(userId)
    await (app.payload.db as any).updateOne({
      collection: 'auth-sessions',
      data: { endedAt: new Date(Date.now() - 31 * 86400_000).toISOString(), endReason: 'logout' },
      id: old!.id,
    })
    const recent = (await sessionsOf(userId)).find((row) => row.endedAt && row.publicId !== old!.publicId)
    await login()
    // By public id: SQLite gives a deleted row's id to the next one.
    const ids = (await sessionsOf(userId)).map((row) => row.publicId)
    expect(ids).not.toContain(old!.publicId)
    if (recent) {
      expect(ids).toContain(recent.publicId)
    }
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

  describe('sessions/ endpoints', () => {
    let annId: number | string
    const annLogin = async (ua = CHROME_WINDOWS) => {
      const res = await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'ann' }, headers: { 'user-agent': ua } })
      expect(res.status).toBe(200)
      const browser = cookieJar()
      browser.store(res.cookies)
      return { browser, key: res.body.key as string }
    }
    const list = async (key: string) => (await call(`${app.url}/sessions/`, 'GET', { token: key })).body as Row[]
    const works = async (key: string) => (await call(`${app.url}/user/`, 'GET', { token: key })).status === 200
    const revoke = (key: string, id: string) => call(`${app.url}/sessions/${id}/revoke/`, 'POST', { token: key })

    beforeAll(async () => {
      annId = (await createUser(app.payload, { email: 'ann@example.com', username: 'ann' })).id
    })
    afterEach(async () => {
      await app.payload.update({
        collection: 'auth-sessions' as never,
        data: { endedAt: new Date().toISOString(), endReason: 'admin' } as never,
        overrideAccess: true,
        where: { user: { equals: annId } } as never,
      })
      await app.payload.delete({ collection: 'auth-tokens' as never, overrideAccess: true, where: { user: { equals: annId } } as never })
    })

    it('GET lists the live sessions, newest first, the current one marked, never a key or database id', async () => {
      const first = await annLogin(SAFARI_IPHONE)
      const second = await annLogin()
      const sessions = await list(second.key)
      expect(sessions.length).toBe(2)
      expect(Object.keys(sessions[0]!).sort()).toEqual(
        ['authenticated_at', 'created_at', 'device', 'expires_at', 'id', 'ip_address', 'is_current', 'kinds', 'last_seen_at', 'methods', 'user_agent'].sort(),
      )
      expect(sessions.map((session) => [session.device, session.is_current])).toEqual([
        ['Chrome on Windows', true],
        ['Safari on iPhone', false],
      ])
      const text = JSON.stringify(sessions)
      expect(text).not.toContain(first.key)
      expect(text).not.toContain(second.key.slice(0, 8))
      const rows = await sessionsOf(annId)
      expect(sessions.map((session) => session.id)).toEqual(rows.map((row) => row.publicId))
      expect(sessions[0]!.methods).toEqual([{ at: sessions[0]!.authenticated_at, method: 'password' }])
      expect((await call(`${app.url}/sessions/`, 'GET')).status).toBe(403)
    })

    it('another user’s session id, or an unknown one, is 404', async () => {
      const ann = await annLogin()
      const sid = await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'sid' } })
      const sidSession = (await list(sid.body.key)).find((session) => session.is_current)!
      const res = await revoke(ann.key, sidSession.id)
      expect(res.status).toBe(404)
      expect(res.body).toEqual({ detail: 'Not found.' })
      expect(await works(sid.body.key)).toBe(true)
      expect((await revoke(ann.key, 'no-such-session')).status).toBe(404)
      const bulk = await call(`${app.url}/sessions/`, 'DELETE', { body: { sessions: [sidSession.id] }, token: ann.key })
      expect(bulk.status).toBe(404)
      expect(await works(sid.body.key)).toBe(true)
    })

    it('revoking another session ends its token and cookie session; it needs recent authentication', async () => {
      const phone = await annLogin(SAFARI_IPHONE)
      const laptop = await annLogin()
      const phoneId = (await list(phone.key)).find((session) => session.is_current)!.id
      setClock(() => Date.now() + 301_000)
      const stale = await revoke(laptop.key, phoneId)
      expect(stale.status).toBe(401)
      expect(stale.body).toEqual({ code: 'reauthentication_required', detail: 'Recent authentication required.', methods: ['password'] })
      expect(await works(phone.key)).toBe(true)
      const again = await call(`${app.url}/reauthenticate/`, 'POST', { body: { password: PASSWORD }, token: laptop.key })
      expect(again.status).toBe(200)
      const res = await revoke(laptop.key, phoneId)
      expect(res.status, res.text).toBe(200)
      expect(res.body).toEqual({ detail: 'Session revoked.' })
      expect(res.cookies).toEqual([])
      expect(await works(phone.key)).toBe(false)
      const cookie = await call(`${app.url}/user/`, 'GET', { headers: { cookie: phone.browser.header() } })
      expect(cookie.status).toBe(403)
      expect(await works(laptop.key)).toBe(true)
      const row = (await sessionsOf(annId)).find((session) => session.publicId === phoneId)!
      expect(row.endReason).toBe('revoked')
    })

    it('revoking the current session needs no reauthentication and clears its cookie', async () => {
      const ann = await annLogin()
      const id = (await list(ann.key)).find((session) => session.is_current)!.id
      setClock(() => Date.now() + 3600_000)
      const res = await call(`${app.url}/sessions/${id}/revoke/`, 'POST', {
        headers: { cookie: ann.browser.header(), 'x-csrftoken': ann.browser.get('csrftoken')! },
      })
      expect(res.status, res.text).toBe(200)
      expect(res.cookies.some((cookie) => cookie.startsWith('sessionid=""') || /^sessionid=;/.test(cookie) || cookie.includes('Max-Age=0'))).toBe(true)
      expect(await works(ann.key)).toBe(false)
    })

    it('revoke-others keeps the current session and ends every other', async () => {
      const others = [await annLogin(SAFARI_IPHONE), await annLogin('curl/8.5.0')]
      const current = await annLogin()
      const res = await call(`${app.url}/sessions/revoke-others/`, 'POST', { token: current.key })
      expect(res.status, res.text).toBe(200)
      expect(res.body).toEqual({ detail: 'Other sessions revoked.', revoked: 2 })
      for (const other of others) {
        expect(await works(other.key)).toBe(false)
      }
      expect(await works(current.key)).toBe(true)
      const remaining = await list(current.key)
      expect(remaining.map((session) => session.is_current)).toEqual([true])
      setClock(() => Date.now() + 301_000)
      const stale = await call(`${app.url}/sessions/revoke-others/`, 'POST', { token: current.key })
      expect(stale.status).toBe(401)
      expect(stale.body.code).toBe('reauthentication_required')
    })

    it('concurrent revocations of one session: exactly one wins', async () => {
      const target = await annLogin(SAFARI_IPHONE)
      const current = await annLogin()
      const id = (await list(target.key)).find((session) => session.is_current)!.id
      const answers = await Promise.all(Array.from({ length: 6 }, () => revoke(current.key, id)))
      expect(answers.map((answer) => answer.status).sort()).toEqual([200, 404, 404, 404, 404, 404])
      expect(await works(target.key)).toBe(false)
    })

    it('concurrent revoke-others end each other session once', async () => {
      const others = await Promise.all([1, 2, 3].map(() => annLogin(SAFARI_IPHONE)))
      const current = await annLogin()
      const answers = await Promise.all(Array.from({ length: 4 }, () => call(`${app.url}/sessions/revoke-others/`, 'POST', { token: current.key })))
      expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200])
      expect(answers.reduce((sum, answer) => sum + answer.body.revoked, 0)).toBe(3)
      for (const other of others) {
        expect(await works(other.key)).toBe(false)
      }
      expect(await works(current.key)).toBe(true)
    })

    it('DELETE sessions/ ends the listed sessions and answers what remains', async () => {
      const a = await annLogin(SAFARI_IPHONE)
      const b = await annLogin('curl/8.5.0')
      const current = await annLogin()
      const ids = (await list(current.key)).filter((session) => !session.is_current).map((session) => session.id)
      const bad = async (body: unknown) => (await call(`${app.url}/sessions/`, 'DELETE', { body, token: current.key })).body
      expect(await bad({})).toEqual({ sessions: ['This field is required.'] })
      expect(await bad({ sessions: 'abc' })).toEqual({ sessions: ['Expected a list of items but got type "str".'] })
      expect(await bad({ sessions: [] })).toEqual({ sessions: ['This list may not be empty.'] })
      expect(await bad({ sessions: [1] })).toEqual({ sessions: ['Invalid value'] })
      const res = await call(`${app.url}/sessions/`, 'DELETE', { body: { sessions: ids }, token: current.key })
      expect(res.status, res.text).toBe(200)
      expect(res.body.map((session: Row) => session.is_current)).toEqual([true])
      expect(await works(a.key)).toBe(false)
      expect(await works(b.key)).toBe(false)
      expect(await works(current.key)).toBe(true)
    })

    it('maxSessionsPerUser ends the oldest logins beyond the limit', async () => {
      await saveSettings({ maxSessionsPerUser: 2 })
      try {
        const first = await annLogin()
        const second = await annLogin()
        const third = await annLogin()
        expect(await works(first.key)).toBe(false)
        expect(await works(second.key)).toBe(true)
        expect(await works(third.key)).toBe(true)
        const rows = await sessionsOf(annId)
        expect(rows.filter((row) => !row.endedAt).length).toBe(2)
        expect(rows.find((row) => row.endReason === 'max_sessions')).toBeTruthy()
      } finally {
        await saveSettings({ maxSessionsPerUser: 0 })
      }
    })

    it('a password change ends the other sessions and keeps the one that changed it', async () => {
      const other = await annLogin(SAFARI_IPHONE)
      const current = await annLogin()
      const res = await call(`${app.url}/password/change/`, 'POST', {
        body: { new_password1: 'Zq8!mk3pWv', new_password2: 'Zq8!mk3pWv' },
        token: current.key,
      })
      expect(res.status, res.text).toBe(200)
      expect(await works(other.key)).toBe(false)
      expect(await works(current.key)).toBe(true)
      const sessions = await list(current.key)
      expect(sessions.map((session) => session.is_current)).toEqual([true])
      const ended = (await sessionsOf(annId)).find((row) => row.endReason === 'password_change')
      expect(ended).toBeTruthy()
      await app.payload.update({ collection: 'users' as never, data: { password: PASSWORD } as never, id: annId, overrideAccess: true })
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

    it('jwtAccessHonoursSessionEnd refuses the access tokens of an ended login', async () => {
      const res = await jwtLogin()
      const access = res.body.access as string
      const out = await call(`${app.url}/logout/`, 'POST', { body: { refresh: res.body.refresh }, headers: bearer(access) })
      expect(out.status, out.text).toBe(200)
      // Off (simplejwt's behaviour): the access token runs out on its own.
      expect((await call(`${app.url}/user/`, 'GET', { headers: bearer(access) })).status).toBe(200)
      await saveSettings({ jwtAccessHonoursSessionEnd: true })
      try {
        const refused = await call(`${app.url}/user/`, 'GET', { headers: bearer(access) })
        expect(refused.status).toBe(401)
        expect(refused.body).toEqual({
          code: 'token_not_valid',
          detail: 'Given token not valid for any token type',
          messages: [{ message: 'Token is blacklisted', token_class: 'AccessToken', token_type: 'access' }],
        })
        const fresh = await jwtLogin()
        expect((await call(`${app.url}/user/`, 'GET', { headers: bearer(fresh.body.access) })).status).toBe(200)
      } finally {
        await saveSettings({ jwtAccessHonoursSessionEnd: false })
      }
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
