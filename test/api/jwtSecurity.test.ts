import { generateKeyPairSync } from 'node:crypto'
import jwt from 'jsonwebtoken'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'

import type { JwtApp } from '../helpers/jwtApp.js'

import { deriveSigningKey } from '../../src/jwt/keys.js'
import { setClock } from '../../src/utilities/clock.js'
import { call, cookieJar } from '../helpers/client.js'
import { testDatabases } from '../helpers/database.js'
import { bearer, startJwtApp } from '../helpers/jwtApp.js'
import { PASSWORD } from '../helpers/users.js'

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url')
const invalidAccess = (message: string) => ({
  detail: 'Given token not valid for any token type',
  code: 'token_not_valid',
  messages: [{ token_class: 'AccessToken', token_type: 'access', message }],
})

/** Signatures, algorithms, keys, expiry and CSRF: what an attacker can try with a token. */
describe.each(testDatabases())('JWT security on %s', (db) => {
  let app: JwtApp
  let userId: number | string

  const saveSettings = (data: Record<string, unknown>) => app.saveSettings(data)
  const login = (headers: Record<string, string> = {}) => app.login({ headers })
  const claimsFor = (extra: Record<string, unknown> = {}) => {
    const iat = Math.floor(Date.now() / 1000)
    return { token_type: 'access', exp: iat + 300, iat, jti: 'a'.repeat(32), user_id: userId, ...extra }
  }
  const me = (token: string) => call(`${app.url}/user/`, 'GET', { headers: bearer(token) })

  beforeAll(async () => {
    app = await startJwtApp({ db, user: { email: 'mallory@example.com', username: 'mallory' } })
    userId = app.userId
  })
  afterEach(() => setClock(null))
  afterAll(async () => app?.close())

  describe('expiry, on the injected clock', () => {
    it('an access token expires after ACCESS_TOKEN_LIFETIME; the refresh token replaces it', async () => {
      const { body } = await login()
      expect((await me(body.access)).status).toBe(200)
      setClock(() => Date.now() + 290_000)
      expect((await me(body.access)).status).toBe(200)
      setClock(() => Date.now() + 301_000)
      const expired = await me(body.access)
      expect(expired.status).toBe(401)
      expect(expired.body).toEqual(invalidAccess('Token is invalid or expired'))
      const verify = await call(`${app.url}/token/verify/`, 'POST', { body: { token: body.access } })
      expect(verify.status).toBe(401)
      expect(verify.body).toEqual({ detail: 'Token is invalid or expired', code: 'token_not_valid' })

      const jar = cookieJar()
      jar.store((await login()).cookies)
      setClock(() => Date.now() + 3_600_000)
      const before = Math.floor((Date.now() + 3_600_000) / 1000)
      const refreshed = await call(`${app.url}/token/refresh/`, 'POST', { body: {}, headers: { cookie: jar.header() } })
      const after = Math.floor((Date.now() + 3_600_000) / 1000)
      expect(refreshed.status).toBe(200)
      expect((await me(refreshed.body.access)).status).toBe(200)
      const exp = (jwt.decode(refreshed.body.access) as { exp: number }).exp
      // iat comes from the injected clock at the moment of the refresh: between the two readings.
      expect(exp).toBeGreaterThanOrEqual(before + 300)
      expect(exp).toBeLessThanOrEqual(after + 300)
      expect(Date.parse(refreshed.body.access_expiration)).toBeGreaterThan(Date.now() + 3_600_000 + 299_000)
    })

    it('a refresh token expires after REFRESH_TOKEN_LIFETIME', async () => {
      const jar = cookieJar()
      jar.store((await login()).cookies)
      setClock(() => Date.now() + 86_401_000)
      const res = await call(`${app.url}/token/refresh/`, 'POST', { body: {}, headers: { cookie: jar.header() } })
      expect(res.status).toBe(401)
      expect(res.body).toEqual({ detail: 'Token is invalid or expired', code: 'token_not_valid' })
    })

    it('the lifetimes come from the settings', async () => {
      await saveSettings({ accessTokenLifetime: 60, refreshTokenLifetime: 120 })
      const res = await login()
      expect(res.cookies.map((c) => /Max-Age=(\d+)/.exec(c)![1])).toEqual(['60', '120'])
      const access = jwt.decode(res.body.access) as { exp: number; iat: number }
      expect(access.exp - access.iat).toBe(60)
      setClock(() => Date.now() + 61_000)
      expect((await me(res.body.access)).status).toBe(401)
      await saveSettings({ accessTokenLifetime: 300, refreshTokenLifetime: 86400 })
    })
  })

  describe('forged tokens', () => {
    let access: string
    let key: Buffer

    beforeAll(async () => {
      access = (await login()).body.access
      key = deriveSigningKey(app.payload.secret)
    })

    it('the default key is HMAC-SHA256 of a fixed label with the Payload secret', async () => {
      expect(jwt.verify(access, key, { algorithms: ['HS256'] })).toMatchObject({ token_type: 'access', user_id: userId })
      const crafted = jwt.sign(claimsFor(), key, { algorithm: 'HS256' })
      expect((await me(crafted)).status).toBe(200)
    })

    it('a token signed with the Payload secret itself is refused', async () => {
      const res = await me(jwt.sign(claimsFor(), app.payload.secret, { algorithm: 'HS256' }))
      expect(res.status).toBe(401)
      expect(res.body).toEqual(invalidAccess('Token is invalid or expired'))
    })

    it('a tampered signature or payload is refused', async () => {
      const [header, body, signature] = access.split('.') as [string, string, string]
      const flipped = signature.slice(0, -2) + (signature.at(-2) === 'A' ? 'B' : 'A') + signature.at(-1)
      expect((await me(`${header}.${body}.${flipped}`)).status).toBe(401)
      const otherUser = b64({ ...(jwt.decode(access) as object), user_id: 999 })
      const res = await me(`${header}.${otherUser}.${signature}`)
      expect(res.status).toBe(401)
      expect(res.body).toEqual(invalidAccess('Token is invalid or expired'))
      const verify = await call(`${app.url}/token/verify/`, 'POST', { body: { token: `${header}.${otherUser}.${signature}` } })
      expect(verify.status).toBe(401)
    })

    it('alg none is refused', async () => {
      const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claimsFor())}.`
      const res = await me(unsigned)
      expect(res.status).toBe(401)
      expect(res.body).toEqual(invalidAccess('Token is invalid or expired'))
      expect((await call(`${app.url}/token/verify/`, 'POST', { body: { token: unsigned } })).status).toBe(401)
      const refreshNone = `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claimsFor({ token_type: 'refresh' }))}.`
      expect((await call(`${app.url}/token/refresh/`, 'POST', { body: { refresh: refreshNone } })).status).toBe(401)
    })

    it('other algorithms are refused, even with the right key (HS512) or a real key pair (RS256, ES256)', async () => {
      expect((await me(jwt.sign(claimsFor(), key, { algorithm: 'HS512' }))).status).toBe(401)
      const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
      expect((await me(jwt.sign(claimsFor(), rsa.privateKey, { algorithm: 'RS256' }))).status).toBe(401)
      const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      const es = jwt.sign(claimsFor(), ec.privateKey, { algorithm: 'ES256' })
      expect((await me(es)).status).toBe(401)
      expect((await call(`${app.url}/token/verify/`, 'POST', { body: { token: es } })).status).toBe(401)
    })

    it('missing claims answer simplejwt messages', async () => {
      const { jti: _jti, ...noJti } = claimsFor()
      const res = await call(`${app.url}/token/verify/`, 'POST', { body: { token: jwt.sign(noJti, key, { algorithm: 'HS256' }) } })
      expect(res.status).toBe(401)
      expect(res.body).toEqual({ detail: 'Token has no id', code: 'token_not_valid' })
      const { token_type: _type, ...noType } = claimsFor()
      expect((await me(jwt.sign(noType, key, { algorithm: 'HS256' }))).body).toEqual(invalidAccess('Token has no type'))
      const { exp: _exp, ...noExp } = claimsFor()
      expect((await me(jwt.sign(noExp, key, { algorithm: 'HS256' }))).body).toEqual(invalidAccess("Token has no 'exp' claim"))
      const { user_id: _user, ...noUser } = claimsFor()
      const anonymous = await me(jwt.sign(noUser, key, { algorithm: 'HS256' }))
      expect(anonymous.status).toBe(401)
      expect(anonymous.body).toEqual({ detail: 'Token contained no recognizable user identification', code: 'token_not_valid' })
      const ghost = await me(jwt.sign(claimsFor({ user_id: 987654 }), key, { algorithm: 'HS256' }))
      expect(ghost.status).toBe(401)
      expect(ghost.body).toEqual({ detail: 'User not found', code: 'user_not_found' })
    })

    it('a refresh token not issued here (no row) is refused even with a good signature', async () => {
      const res = await call(`${app.url}/token/refresh/`, 'POST', {
        body: { refresh: jwt.sign(claimsFor({ token_type: 'refresh' }), key, { algorithm: 'HS256' }) },
      })
      expect(res.status).toBe(401)
      expect(res.body).toEqual({ detail: 'Token is invalid or expired', code: 'token_not_valid' })
    })
  })

  describe('signing keys', () => {
    it('SIGNING_KEY signs; the previous key keeps older tokens valid until they expire', async () => {
      await saveSettings({ jwtSigningKey: 'first-key-0123456789abcdef0123456789' })
      const first = await login()
      expect(jwt.verify(first.body.access, 'first-key-0123456789abcdef0123456789', { algorithms: ['HS256'] })).toBeTruthy()
      const firstRefresh = first.cookies.find((c) => c.startsWith('app-refresh='))!.split(/[=;]/)[1]!

      await saveSettings({ jwtSigningKey: 'second-key-0123456789abcdef012345678' })
      expect((await me(first.body.access)).status).toBe(401)
      expect((await call(`${app.url}/token/refresh/`, 'POST', { body: { refresh: firstRefresh } })).status).toBe(401)

      await saveSettings({ jwtPreviousSigningKey: 'first-key-0123456789abcdef0123456789' })
      expect((await me(first.body.access)).status).toBe(200)
      expect((await call(`${app.url}/token/verify/`, 'POST', { body: { token: first.body.access } })).status).toBe(200)
      const refreshed = await call(`${app.url}/token/refresh/`, 'POST', { body: { refresh: firstRefresh } })
      expect(refreshed.status).toBe(200)
      // New tokens are signed with the current key only.
      expect(jwt.verify(refreshed.body.access, 'second-key-0123456789abcdef012345678', { algorithms: ['HS256'] })).toBeTruthy()
      const third = jwt.sign(claimsFor(), 'some-other-key-0123456789abcdef0123', { algorithm: 'HS256' })
      expect((await me(third)).status).toBe(401)

      setClock(() => Date.now() + 301_000)
      expect((await me(first.body.access)).status).toBe(401)
      setClock(null)
      await saveSettings({ jwtPreviousSigningKey: '', jwtSigningKey: '' })
      expect((await me(first.body.access)).status).toBe(401)
    })
  })

  describe('CSRF for the JWT cookie', () => {
    it('off: cookie-authenticated unsafe requests pass without X-CSRFToken, and login sets no CSRF cookie', async () => {
      const res = await login()
      expect(res.cookies.some((c) => c.startsWith('csrftoken='))).toBe(false)
      const jar = cookieJar()
      jar.store(res.cookies)
      const patch = await call(`${app.url}/user/`, 'PATCH', { body: { first_name: 'M' }, headers: { cookie: jar.header() } })
      expect(patch.status).toBe(200)
    })

    it('JWT_AUTH_COOKIE_USE_CSRF: login sets csrftoken; unsafe cookie requests must echo it; headers are never checked', async () => {
      await saveSettings({ jwtAuthCookieUseCsrf: true })
      const res = await login()
      const csrf = res.cookies.find((c) => c.startsWith('csrftoken='))!
      expect(csrf).toMatch(/^csrftoken=[^;]+; expires=[^;]+; Max-Age=31449600; Path=\/; SameSite=Lax$/)
      const jar = cookieJar()
      jar.store(res.cookies)

      expect((await call(`${app.url}/user/`, 'GET', { headers: { cookie: jar.header() } })).status).toBe(200)
      const missing = await call(`${app.url}/user/`, 'PATCH', { body: { first_name: 'M' }, headers: { cookie: jar.header() } })
      expect(missing.status).toBe(403)
      expect(missing.body).toEqual({ detail: 'CSRF Failed: CSRF token missing or incorrect.' })
      const wrong = await call(`${app.url}/user/`, 'PATCH', { body: { first_name: 'M' }, headers: { cookie: jar.header(), 'x-csrftoken': 'nope' } })
      expect(wrong.status).toBe(403)
      const ok = await call(`${app.url}/user/`, 'PATCH', {
        body: { first_name: 'M' },
        headers: { cookie: jar.header(), 'x-csrftoken': jar.get('csrftoken')! },
      })
      expect(ok.status).toBe(200)
      const noCsrfCookie = await call(`${app.url}/user/`, 'PATCH', { body: { first_name: 'M' }, headers: { cookie: `app-auth=${jar.get('app-auth')}` } })
      expect(noCsrfCookie.status).toBe(403)
      expect(noCsrfCookie.body).toEqual({ detail: 'CSRF Failed: CSRF cookie not set.' })

      const viaHeader = await call(`${app.url}/user/`, 'PATCH', { body: { first_name: 'M' }, headers: { ...bearer(res.body.access), cookie: jar.header() } })
      expect(viaHeader.status).toBe(200)
      // Anonymous requests are not checked, and neither are the token views.
      expect((await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'mallory' } })).status).toBe(200)
      expect((await call(`${app.url}/token/refresh/`, 'POST', { body: {}, headers: { cookie: jar.header() } })).status).toBe(200)
    })

    it('JWT_AUTH_COOKIE_ENFORCE_CSRF_ON_UNAUTHENTICATED: anonymous unsafe requests are checked too', async () => {
      await saveSettings({ jwtAuthCookieEnforceCsrfOnUnauthenticated: true, jwtAuthCookieUseCsrf: false })
      const anonymous = await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'mallory' } })
      expect(anonymous.status).toBe(403)
      expect(anonymous.body).toEqual({ detail: 'CSRF Failed: CSRF cookie not set.' })
      const withToken = await login({ cookie: 'csrftoken=abcdefghijklmnopqrstuvwxyz012345', 'x-csrftoken': 'abcdefghijklmnopqrstuvwxyz012345' })
      const jar = cookieJar()
      jar.store(withToken.cookies)
      const patch = await call(`${app.url}/user/`, 'PATCH', { body: { first_name: 'M' }, headers: { cookie: jar.header() } })
      expect(patch.status).toBe(403)
      // A native client announces itself with the cookieless header, which no cross-site form can send.
      const native = await login({ 'x-rest-auth-cookieless': '1' })
      expect(native.body.refresh).not.toBe('')
      expect((await call(`${app.url}/user/`, 'PATCH', { body: { first_name: 'M' }, headers: bearer(native.body.access) })).status).toBe(200)
      await saveSettings({ jwtAuthCookieEnforceCsrfOnUnauthenticated: false })
    })
  })
})
