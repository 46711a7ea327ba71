import jwt from 'jsonwebtoken'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'

import type { JwtApp } from '../helpers/jwtApp.js'

import { setClock } from '../../src/utilities/clock.js'
import { call, cookieJar } from '../helpers/client.js'
import { testDatabases } from '../helpers/database.js'
import { bearer, shape, startJwtApp } from '../helpers/jwtApp.js'
import { createUser, NEW_PASSWORD, PASSWORD } from '../helpers/users.js'

const cookieValue = (cookies: string[], name: string) => cookies.find((c) => c.startsWith(`${name}=`))?.split(/[=;]/)[1]
const jtiOf = (token: string) => (jwt.decode(token) as { jti: string }).jti
const blacklisted = { detail: 'Token is blacklisted', code: 'token_not_valid' }

type Row = { blacklistedAt?: null | string; blacklistReason?: null | string; family: string; jti: string }

/** Rotation, token families, logout, password change, cookieless clients and USE_JWT at runtime. */
describe.each(testDatabases())('JWT lifecycle on %s', (db) => {
  let app: JwtApp
  let userId: number | string
  let adminToken: string | undefined

  const saveSettings = (data: Record<string, unknown>) => app.saveSettings(data)
  const login = (body: Record<string, unknown> = {}, headers: Record<string, string> = {}) => app.login({ body, headers })
  const refreshWith = (refresh: string, headers: Record<string, string> = {}) =>
    call(`${app.url}/token/refresh/`, 'POST', { body: { refresh }, headers })
  const row = async (jti: string): Promise<Row> =>
    (await app.payload.find({ collection: 'outstanding-tokens' as never, where: { jti: { equals: jti } } })).docs[0] as unknown as Row

  beforeAll(async () => {
    app = await startJwtApp({
      admin: { email: 'root@example.com', username: 'root' },
      db,
      settings: { jwtAuthHttpOnly: false, rotateRefreshTokens: true },
      user: { email: 'rita@example.com', username: 'rita' },
    })
    userId = app.userId
    adminToken = app.adminToken
  })
  afterAll(async () => app?.close())
  afterEach(() => setClock(null))

  describe('rotation', () => {
    it('token/refresh returns a new refresh token and cookie; the old one is blacklisted', async () => {
      const { body } = await login()
      const res = await refreshWith(body.refresh)
      expect(res.status).toBe(200)
      expect(Object.keys(res.body)).toEqual(['access', 'refresh', 'access_expiration', 'refresh_expiration'])
      expect(res.cookies.map(shape)).toEqual([
        'app-auth=<v>; Max-Age=300; Path=/; SameSite=Lax',
        'app-refresh=<v>; Max-Age=86400; Path=/; SameSite=Lax',
      ])
      expect(cookieValue(res.cookies, 'app-refresh')).toBe(res.body.refresh)
      const rotated = jwt.decode(res.body.refresh) as Record<string, unknown>
      expect(Object.keys(rotated)).toEqual(['token_type', 'exp', 'iat', 'jti', 'user_id', 'sid'])
      expect(rotated.sid).toBe((jwt.decode(body.refresh) as Record<string, unknown>).sid)
      expect(rotated.jti).not.toBe(jtiOf(body.refresh))
      expect(rotated.user_id).toBe(userId)

      const old = await row(jtiOf(body.refresh))
      expect(old.blacklistReason).toBe('rotated')
      expect(old.blacklistedAt).toBeTruthy()
      const fresh = await row(jtiOf(res.body.refresh))
      expect(fresh.blacklistedAt ?? null).toBeNull()
      // A family is named after the jti of the login's refresh token.
      expect(old.family).toBe(jtiOf(body.refresh))
      expect(fresh.family).toBe(old.family)

      expect((await refreshWith(res.body.refresh)).status).toBe(200)
    })

    it('reusing a rotated-out token after the grace window revokes the whole family, not other logins', async () => {
      const first = await login()
      const other = await login()
      const r1 = (await refreshWith(first.body.refresh)).body.refresh as string
      const r2 = (await refreshWith(r1)).body.refresh as string

      setClock(() => Date.now() + 11_000)
      const reuse = await refreshWith(first.body.refresh)
      expect(reuse.status).toBe(401)
      expect(reuse.body).toEqual(blacklisted)
      const descendant = await refreshWith(r2)
      expect(descendant.status).toBe(401)
      expect(descendant.body).toEqual(blacklisted)
      expect((await row(jtiOf(r2))).blacklistReason).toBe('reuse')

      expect((await refreshWith(other.body.refresh)).status).toBe(200)
    })

    describe('two tabs refreshing at once (refreshTokenGraceSeconds)', () => {
      const familyRows = async (family: string) =>
        (await app.payload.find({ collection: 'outstanding-tokens' as never, pagination: false, where: { family: { equals: family } } }))
          .docs as unknown as Row[]

      it('10 parallel refreshes with one token all get the same new token, and the login lives on', async () => {
        const { body } = await login()
        const answers = await Promise.all(Array.from({ length: 10 }, () => refreshWith(body.refresh)))
        expect(answers.map((res) => res.status)).toEqual(Array(10).fill(200))
        const successors = new Set(answers.map((res) => res.body.refresh as string))
        expect(successors.size).toBe(1)
        const [successor] = [...successors] as [string]
        // One family, two rows: the login's token (rotated) and its one successor; nothing revoked.
        const rows = await familyRows(jtiOf(body.refresh))
        expect(rows.map((r) => r.blacklistReason ?? null).sort()).toEqual([null, 'rotated'])
        expect(rows.find((r) => !r.blacklistedAt)!.jti).toBe(jtiOf(successor))
        expect((await refreshWith(successor)).status).toBe(200)
      })

      it('a repeat within the window gets the live end of the chain; after it, reuse revokes the family', async () => {
        const { body } = await login()
        const s1 = (await refreshWith(body.refresh)).body.refresh as string
        const s2 = (await refreshWith(s1)).body.refresh as string
        setClock(() => Date.now() + 5_000)
        const repeat = await refreshWith(body.refresh)
        expect(repeat.status).toBe(200)
        expect(repeat.body.refresh).toBe(s2)
        expect((await familyRows(jtiOf(body.refresh))).length).toBe(3)

        setClock(() => Date.now() + 11_000)
        const late = await refreshWith(body.refresh)
        expect(late.status).toBe(401)
        expect(late.body).toEqual(blacklisted)
        expect((await refreshWith(s2)).status).toBe(401)
        expect((await row(jtiOf(s2))).blacklistReason).toBe('reuse')
      })

      it('a repeat whose successor was logged out is refused without a new token', async () => {
        const { body } = await login()
        const s1 = (await refreshWith(body.refresh)).body.refresh as string
        expect((await call(`${app.url}/logout/`, 'POST', { body: { refresh: s1 } })).status).toBe(200)
        const repeat = await refreshWith(body.refresh)
        expect(repeat.status).toBe(401)
        expect(repeat.body).toEqual(blacklisted)
        expect((await familyRows(jtiOf(body.refresh))).length).toBe(2)
      })

      it('with the window at 0: one of 10 parallel refreshes wins, never two successors; a repeat is reuse', async () => {
        await saveSettings({ refreshTokenGraceSeconds: 0 })
        try {
          const { body } = await login()
          const answers = await Promise.all(Array.from({ length: 10 }, () => refreshWith(body.refresh)))
          expect(answers.filter((res) => res.status === 200)).toHaveLength(1)
          expect(answers.filter((res) => res.status === 401)).toHaveLength(9)
          expect((await familyRows(jtiOf(body.refresh))).length).toBe(2)

          const next = await login()
          const successor = (await refreshWith(next.body.refresh)).body.refresh as string
          expect((await refreshWith(next.body.refresh)).status).toBe(401)
          expect((await refreshWith(successor)).status).toBe(401)
        } finally {
          await saveSettings({ refreshTokenGraceSeconds: 10 })
        }
      })
    })

    it('without BLACKLIST_AFTER_ROTATION the old token keeps working', async () => {
      await saveSettings({ blacklistAfterRotation: false })
      const { body } = await login()
      const first = await refreshWith(body.refresh)
      expect(first.status).toBe(200)
      expect((await refreshWith(body.refresh)).status).toBe(200)
      await saveSettings({ blacklistAfterRotation: true })
    })

    it('with HttpOnly the rotated token goes into the cookie only', async () => {
      await saveSettings({ jwtAuthHttpOnly: true })
      const jar = cookieJar()
      jar.store((await login()).cookies)
      const before = jar.get('app-refresh')!
      const res = await call(`${app.url}/token/refresh/`, 'POST', { body: {}, headers: { cookie: jar.header() } })
      expect(res.status).toBe(200)
      expect(Object.keys(res.body)).toEqual(['access', 'access_expiration'])
      expect(res.cookies.map(shape)).toEqual([
        'app-auth=<v>; HttpOnly; Max-Age=300; Path=/; SameSite=Lax',
        'app-refresh=<v>; HttpOnly; Max-Age=86400; Path=/; SameSite=Lax',
      ])
      jar.store(res.cookies)
      expect(jar.get('app-refresh')).not.toBe(before)
      expect((await call(`${app.url}/token/refresh/`, 'POST', { body: {}, headers: { cookie: jar.header() } })).status).toBe(200)
      await saveSettings({ jwtAuthHttpOnly: false })
    })

    it('logout ends the whole family', async () => {
      await saveSettings({ blacklistAfterRotation: false })
      const { body } = await login()
      const r1 = (await refreshWith(body.refresh)).body.refresh as string
      const out = await call(`${app.url}/logout/`, 'POST', { body: { refresh: r1 } })
      expect(out.status).toBe(200)
      expect((await refreshWith(body.refresh)).body).toEqual(blacklisted)
      expect((await row(jtiOf(body.refresh))).blacklistReason).toBe('logout')
      await saveSettings({ blacklistAfterRotation: true })
    })

    it('an admin can revoke a refresh token by blacklisting its row', async () => {
      const { body } = await login()
      const target = await row(jtiOf(body.refresh))
      await app.payload.update({
        collection: 'outstanding-tokens' as never,
        data: { blacklistedAt: new Date().toISOString() } as never,
        id: (target as unknown as { id: number }).id,
      })
      expect((await refreshWith(body.refresh)).body).toEqual(blacklisted)
      expect((await row(jtiOf(body.refresh))).blacklistReason).toBe('admin')
    })
  })

  describe('cookieless clients', () => {
    beforeAll(async () => saveSettings({ jwtAuthHttpOnly: true }))
    afterAll(async () => saveSettings({ jwtAllowCookielessClients: true, jwtAuthHttpOnly: false }))

    it('X-Rest-Auth-Cookieless: 1 gets the refresh token in the body and no cookies', async () => {
      const res = await login({}, { 'X-Rest-Auth-Cookieless': '1' })
      expect(Object.keys(res.body)).toEqual(['access', 'refresh', 'user'])
      expect(jwt.decode(res.body.refresh)).toMatchObject({ token_type: 'refresh' })
      expect(res.cookies).toEqual([])

      const refreshed = await refreshWith(res.body.refresh, { 'x-rest-auth-cookieless': '1' })
      expect(refreshed.status).toBe(200)
      expect(Object.keys(refreshed.body)).toEqual(['access', 'refresh', 'access_expiration', 'refresh_expiration'])
      expect(refreshed.cookies).toEqual([])
      expect((await refreshWith(refreshed.body.refresh, { 'x-rest-auth-cookieless': '1' })).status).toBe(200)
    })

    it('the body flag "cookieless": true works too', async () => {
      const res = await login({ cookieless: true })
      expect(res.body.refresh).not.toBe('')
      expect(res.cookies).toEqual([])
      const refreshed = await call(`${app.url}/token/refresh/`, 'POST', { body: { cookieless: true, refresh: res.body.refresh } })
      expect(refreshed.body.refresh).toBeTruthy()
    })

    it('a refresh token read from the HttpOnly cookie never reaches the body, even when asked', async () => {
      const jar = cookieJar()
      jar.store((await login()).cookies)
      const res = await call(`${app.url}/token/refresh/`, 'POST', { body: {}, headers: { cookie: jar.header(), 'x-rest-auth-cookieless': '1' } })
      expect(res.status).toBe(200)
      expect(res.body).not.toHaveProperty('refresh')
    })

    it('is off with JWT_ALLOW_COOKIELESS_CLIENTS off', async () => {
      await saveSettings({ jwtAllowCookielessClients: false })
      const res = await login({}, { 'x-rest-auth-cookieless': '1' })
      expect(res.body.refresh).toBe('')
      expect(res.cookies).toHaveLength(2)
    })
  })

  describe('password change', () => {
    it('blacklists every refresh token of the user; the access token lives out its few minutes', async () => {
      const a = await login()
      const b = await login()
      const change = await call(`${app.url}/password/change/`, 'POST', {
        body: { new_password1: NEW_PASSWORD, new_password2: NEW_PASSWORD },
        headers: bearer(a.body.access),
      })
      expect(change.status).toBe(200)
      expect((await refreshWith(a.body.refresh)).body).toEqual(blacklisted)
      expect((await refreshWith(b.body.refresh)).body).toEqual(blacklisted)
      expect((await row(jtiOf(b.body.refresh))).blacklistReason).toBe('password_change')
      expect((await call(`${app.url}/user/`, 'GET', { headers: bearer(a.body.access) })).status).toBe(200)
      const again = await login({ password: NEW_PASSWORD })
      expect((await refreshWith(again.body.refresh)).status).toBe(200)
      await app.payload.update({ collection: 'users' as never, data: { password: PASSWORD } as never, id: userId })
    })

    it('keeps a browser on JWT cookies logged in with fresh cookies, as Django keeps the session', async () => {
      const browser = await login()
      const cookie = browser.cookies.map((c) => c.split(';')[0]).join('; ')
      const change = await call(`${app.url}/password/change/`, 'POST', {
        body: { new_password1: NEW_PASSWORD, new_password2: NEW_PASSWORD },
        headers: { cookie },
      })
      expect(change.status).toBe(200)
      expect(change.body).toEqual({ detail: 'New password has been saved.' })
      const renewed = cookieValue(change.cookies, 'app-refresh')
      expect(renewed).toBeTruthy()
      expect(renewed).not.toBe(browser.body.refresh)
      expect((await refreshWith(browser.body.refresh)).body).toEqual(blacklisted)
      expect((await refreshWith(renewed!)).status).toBe(200)

      await saveSettings({ logoutOnPasswordChange: true })
      const again = await login({ password: NEW_PASSWORD })
      const out = await call(`${app.url}/password/change/`, 'POST', {
        body: { new_password1: PASSWORD, new_password2: PASSWORD },
        headers: { cookie: again.cookies.map((c) => c.split(';')[0]).join('; ') },
      })
      expect(out.status).toBe(200)
      expect(out.cookies.map(shape)).toEqual(['app-auth=<v>; Max-Age=0; Path=/; SameSite=Lax', 'app-refresh=<v>; Max-Age=0; Path=/; SameSite=Lax'])
      await saveSettings({ logoutOnPasswordChange: false })
    })
  })

  describe('the outstanding-tokens collection', () => {
    it('holds jtis, never tokens, and only admins may read it', async () => {
      const { body } = await login()
      const asAdmin = await call(`${app.apiUrl}/outstanding-tokens?limit=100&depth=0`, 'GET', { headers: { authorization: `JWT ${adminToken}` } })
      expect(asAdmin.status).toBe(200)
      expect(asAdmin.body.docs.some((doc: Row) => doc.jti === jtiOf(body.refresh))).toBe(true)
      expect(asAdmin.text).not.toContain(body.refresh)
      expect(asAdmin.text).not.toContain(body.refresh.split('.')[2])
      const asUser = await call(`${app.apiUrl}/outstanding-tokens`, 'GET', { headers: bearer(body.access) })
      expect(asUser.status).toBe(403)
    })

    it('deleting a user deletes their rows', async () => {
      const temp = await createUser(app.payload, { email: 'temp@example.com', username: 'temp' })
      await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'temp' } })
      const count = () => app.payload.count({ collection: 'outstanding-tokens' as never, where: { user: { equals: temp.id } } })
      expect((await count()).totalDocs).toBe(1)
      await app.payload.delete({ collection: 'users' as never, id: temp.id })
      expect((await count()).totalDocs).toBe(0)
    })
  })

  describe('USE_JWT switched at runtime by an admin', () => {
    const saveAsAdmin = (data: Record<string, unknown>) =>
      call(`${app.apiUrl}/globals/rest-auth-settings`, 'POST', { body: data, headers: { authorization: `JWT ${adminToken}` } })

    it('off: the token routes are not found, login answers a key, bearer tokens are ignored; on again: back', async () => {
      const { body } = await login()
      const off = await saveAsAdmin({ useJwt: false })
      expect(off.status).toBe(200)

      for (const route of ['token/verify/', 'token/refresh/']) {
        const res = await call(`${app.url}/${route}`, 'POST', { body: { token: body.access, refresh: body.refresh } })
        expect(res.status).toBe(404)
        expect(res.body).toEqual({ detail: 'Not found.' })
      }
      const tokenLogin = await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'rita' } })
      expect(Object.keys(tokenLogin.body)).toEqual(['key'])
      const ignored = await call(`${app.url}/user/`, 'GET', { headers: bearer(body.access) })
      expect(ignored.status).toBe(403)
      expect(ignored.body).toEqual({ detail: 'Authentication credentials were not provided.' })
      const logout = await call(`${app.url}/logout/`, 'POST', { body: {} })
      expect(logout.status).toBe(200)
      expect(logout.cookies).toEqual([])

      expect((await saveAsAdmin({ useJwt: true })).status).toBe(200)
      expect((await call(`${app.url}/user/`, 'GET', { headers: bearer(body.access) })).status).toBe(200)
      expect(Object.keys((await login()).body)).toEqual(['access', 'refresh', 'user'])
      expect((await call(`${app.url}/token/verify/`, 'POST', { body: { token: body.access } })).status).toBe(200)
    })
  })
})
