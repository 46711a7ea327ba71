import jwt from 'jsonwebtoken'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { JwtApp } from '../helpers/jwtApp.js'

import { call, cookieJar } from '../helpers/client.js'
import { testDatabases } from '../helpers/database.js'
import { bearer, shape, startJwtApp } from '../helpers/jwtApp.js'
import { PASSWORD } from '../helpers/users.js'

const cookieNamed = (cookies: string[], name: string) => cookies.find((c) => c.startsWith(`${name}=`))
const ISO_MICROSECONDS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/

const claimsOf = (token: string) => jwt.decode(token, { complete: true }) as unknown as { header: Record<string, unknown>; payload: Record<string, unknown> }

/** Profile "JWT with cookies" of the reference transcript, case by case. */
describe.each(testDatabases())('JWT with cookies on %s', (db) => {
  let app: JwtApp
  let userId: number | string
  let access: string
  let refresh: string
  const browser = cookieJar()

  beforeAll(async () => {
    app = await startJwtApp({
      db,
      settings: { jwtAuthHttpOnly: false, jwtAuthReturnExpiration: true },
      user: { email: 'dave@example.com', username: 'dave' },
    })
    userId = app.userId
  })
  afterAll(async () => app?.close())

  it('register: ok (JWT) answers 201 with the JWT body and cookies', async () => {
    const res = await call(`${app.url}/registration/`, 'POST', {
      body: { email: 'frank@example.com', password1: PASSWORD, password2: PASSWORD, username: 'frank' },
    })
    expect(res.status).toBe(201)
    expect(Object.keys(res.body)).toEqual(['access', 'refresh', 'user', 'access_expiration', 'refresh_expiration'])
    expect(res.body.user).toMatchObject({ username: 'frank', email: 'frank@example.com' })
    expect(claimsOf(res.body.refresh).payload.user_id).toBe(res.body.user.pk)
    expect(res.cookies.map(shape)).toEqual([
      'app-auth=<v>; Max-Age=300; Path=/; SameSite=Lax',
      'app-refresh=<v>; Max-Age=86400; Path=/; SameSite=Lax',
    ])
    expect((await call(`${app.url}/token/refresh/`, 'POST', { body: { refresh: res.body.refresh } })).status).toBe(200)
  })

  it('login: ok (JWT) answers access, refresh, user and both expirations, with both cookies', async () => {
    const before = Date.now()
    const res = await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'dave' } })
    expect(res.status).toBe(200)
    expect(Object.keys(res.body)).toEqual(['access', 'refresh', 'user', 'access_expiration', 'refresh_expiration'])
    expect(res.body.user).toEqual({ pk: userId, username: 'dave', email: 'dave@example.com', first_name: '', last_name: '' })
    expect(res.body.access_expiration).toMatch(ISO_MICROSECONDS)
    expect(res.body.refresh_expiration).toMatch(ISO_MICROSECONDS)
    const accessExpiry = Date.parse(res.body.access_expiration)
    expect(accessExpiry).toBeGreaterThanOrEqual(before + 300_000 - 1000)
    expect(accessExpiry).toBeLessThanOrEqual(Date.now() + 300_000 + 1000)
    expect(Date.parse(res.body.refresh_expiration) - accessExpiry).toBeGreaterThan(86_400_000 - 300_000 - 1000)

    expect(res.cookies.map(shape)).toEqual([
      'app-auth=<v>; Max-Age=300; Path=/; SameSite=Lax',
      'app-refresh=<v>; Max-Age=86400; Path=/; SameSite=Lax',
    ])
    expect(cookieNamed(res.cookies, 'app-auth')).toMatch(/^app-auth=[^;]+; expires=\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT; Max-Age=300;/)
    access = res.body.access
    refresh = res.body.refresh
    expect(cookieNamed(res.cookies, 'app-auth')).toContain(`app-auth=${access};`)
    expect(cookieNamed(res.cookies, 'app-refresh')).toContain(`app-refresh=${refresh};`)
    browser.store(res.cookies)
  })

  it('the tokens carry simplejwt claims, HS256-signed, and the login’s session id (sid)', () => {
    const a = claimsOf(access)
    const r = claimsOf(refresh)
    expect(a.header).toEqual({ alg: 'HS256', typ: 'JWT' })
    expect(r.header).toEqual({ alg: 'HS256', typ: 'JWT' })
    expect(Object.keys(a.payload)).toEqual(['token_type', 'exp', 'iat', 'jti', 'user_id', 'sid'])
    expect(Object.keys(r.payload)).toEqual(['token_type', 'exp', 'iat', 'jti', 'user_id', 'sid'])
    expect(a.payload.sid).toBe(r.payload.sid)
    expect(a.payload.sid).toMatch(/^[\w-]{22}$/)
    expect(a.payload.token_type).toBe('access')
    expect(r.payload.token_type).toBe('refresh')
    expect(a.payload.user_id).toBe(userId)
    expect(r.payload.user_id).toBe(userId)
    expect(a.payload.jti).toMatch(/^[0-9a-f]{32}$/)
    expect(r.payload.jti).toMatch(/^[0-9a-f]{32}$/)
    expect(a.payload.jti).not.toBe(r.payload.jti)
    expect((a.payload.exp as number) - (a.payload.iat as number)).toBe(300)
    expect((r.payload.exp as number) - (r.payload.iat as number)).toBe(86400)
    expect(Math.abs((a.payload.iat as number) - Date.now() / 1000)).toBeLessThan(5)
  })

  it('user: via cookie', async () => {
    const res = await call(`${app.url}/user/`, 'GET', { headers: { cookie: browser.header() } })
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ pk: userId, username: 'dave', email: 'dave@example.com', first_name: '', last_name: '' })
  })

  it('user: via Bearer', async () => {
    const res = await call(`${app.url}/user/`, 'GET', { headers: bearer(access) })
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ pk: userId, username: 'dave', email: 'dave@example.com', first_name: '', last_name: '' })
  })

  it('the access token authenticates Payload too', async () => {
    const res = await call(`${app.apiUrl}/users/me`, 'GET', { headers: bearer(access) })
    expect(res.status).toBe(200)
    expect(res.body.user?.username).toBe('dave')
  })

  it('token/verify: ok, for either token type', async () => {
    const res = await call(`${app.url}/token/verify/`, 'POST', { body: { token: access } })
    expect(res.status).toBe(200)
    expect(res.body).toEqual({})
    expect((await call(`${app.url}/token/verify/`, 'POST', { body: { token: refresh } })).status).toBe(200)
  })

  it('token/verify: bad', async () => {
    const res = await call(`${app.url}/token/verify/`, 'POST', { body: { token: 'abc' } })
    expect(res.status).toBe(401)
    expect(res.body).toEqual({ detail: 'Token is invalid or expired', code: 'token_not_valid' })
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="api"')
  })

  it('token/verify: missing or blank field, GET', async () => {
    const missing = await call(`${app.url}/token/verify/`, 'POST', { body: {} })
    expect(missing.status).toBe(400)
    expect(missing.body).toEqual({ token: ['This field is required.'] })
    const blank = await call(`${app.url}/token/verify/`, 'POST', { body: { token: '' } })
    expect(blank.body).toEqual({ token: ['This field may not be blank.'] })
    const get = await call(`${app.url}/token/verify/`, 'GET')
    expect(get.status).toBe(405)
    expect(get.body).toEqual({ detail: 'Method "GET" not allowed.' })
  })

  it('token/refresh: body', async () => {
    const res = await call(`${app.url}/token/refresh/`, 'POST', { body: { refresh } })
    expect(res.status).toBe(200)
    expect(Object.keys(res.body)).toEqual(['access', 'access_expiration'])
    expect(res.body.access_expiration).toMatch(ISO_MICROSECONDS)
    expect(res.cookies.map(shape)).toEqual(['app-auth=<v>; Max-Age=300; Path=/; SameSite=Lax'])
    const fresh = claimsOf(res.body.access).payload
    expect(fresh.token_type).toBe('access')
    expect(fresh.user_id).toBe(userId)
    expect(fresh.jti).not.toBe(claimsOf(access).payload.jti)
    // simplejwt copies the refresh token's iat into the access token.
    expect(fresh.iat).toBe(claimsOf(refresh).payload.iat)
    expect((await call(`${app.url}/user/`, 'GET', { headers: bearer(res.body.access) })).status).toBe(200)
  })

  it('token/refresh: cookie', async () => {
    const res = await call(`${app.url}/token/refresh/`, 'POST', { body: {}, headers: { cookie: browser.header() } })
    expect(res.status).toBe(200)
    expect(Object.keys(res.body)).toEqual(['access', 'access_expiration'])
    expect(res.cookies.map(shape)).toEqual(['app-auth=<v>; Max-Age=300; Path=/; SameSite=Lax'])
    browser.store(res.cookies)
    expect(browser.get('app-auth')).toBe(res.body.access)
  })

  it('token/refresh: bad', async () => {
    const res = await call(`${app.url}/token/refresh/`, 'POST', { body: { refresh: 'abc' } })
    expect(res.status).toBe(401)
    expect(res.body).toEqual({ detail: 'Token is invalid or expired', code: 'token_not_valid' })
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="api"')
  })

  it('token/refresh: nothing in the body and no cookie', async () => {
    const res = await call(`${app.url}/token/refresh/`, 'POST', { body: {} })
    expect(res.status).toBe(401)
    expect(res.body).toEqual({ detail: 'No valid refresh token found.', code: 'token_not_valid' })
    const blank = await call(`${app.url}/token/refresh/`, 'POST', { body: { refresh: '' } })
    expect(blank.status).toBe(400)
    expect(blank.body).toEqual({ refresh: ['This field may not be blank.'] })
  })

  it('token/refresh: an access token is the wrong type', async () => {
    const res = await call(`${app.url}/token/refresh/`, 'POST', { body: { refresh: access } })
    expect(res.status).toBe(401)
    expect(res.body).toEqual({ detail: 'Token has wrong type', code: 'token_not_valid' })
  })

  it('a bad access token fails every endpoint with 401, but not the token endpoints', async () => {
    const res = await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'dave' }, headers: bearer('abc') })
    expect(res.status).toBe(401)
    expect(res.body).toEqual({
      detail: 'Given token not valid for any token type',
      code: 'token_not_valid',
      messages: [{ token_class: 'AccessToken', token_type: 'access', message: 'Token is invalid or expired' }],
    })
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="api"')
    const refreshed = await call(`${app.url}/token/refresh/`, 'POST', { body: { refresh }, headers: bearer('abc') })
    expect(refreshed.status).toBe(200)
  })

  it('a refresh token is no access token', async () => {
    const res = await call(`${app.url}/user/`, 'GET', { headers: bearer(refresh) })
    expect(res.status).toBe(401)
    expect(res.body.messages).toEqual([{ token_class: 'AccessToken', token_type: 'access', message: 'Token has wrong type' }])
  })

  it('Authorization: Bearer without a token, or with two', async () => {
    for (const header of ['Bearer', `Bearer ${access} x`]) {
      const res = await call(`${app.url}/user/`, 'GET', { headers: { authorization: header } })
      expect(res.status).toBe(401)
      expect(res.body).toEqual({ detail: 'Authorization header must contain two space-delimited values', code: 'bad_authorization_header' })
    }
  })

  it('another Authorization scheme leaves the cookie unread, as simplejwt does', async () => {
    const res = await call(`${app.url}/user/`, 'GET', { headers: { authorization: 'Basic xyz', cookie: browser.header() } })
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="api"')
    expect(res.body).toEqual({ detail: 'Authentication credentials were not provided.' })
  })

  it('logout (JWT): blacklists the refresh token and clears both cookies', async () => {
    const res = await call(`${app.url}/logout/`, 'POST', { body: { refresh }, headers: { cookie: browser.header() } })
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ detail: 'Successfully logged out.' })
    expect(res.cookies).toEqual([
      'app-auth=""; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/; SameSite=Lax',
      'app-refresh=""; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/; SameSite=Lax',
    ])
  })

  it('token/refresh after logout', async () => {
    const res = await call(`${app.url}/token/refresh/`, 'POST', { body: { refresh } })
    expect(res.status).toBe(401)
    expect(res.body).toEqual({ detail: 'Token is blacklisted', code: 'token_not_valid' })
  })

  it('the access token stays valid until it expires (stateless), and verify does not consult the blacklist', async () => {
    expect((await call(`${app.url}/user/`, 'GET', { headers: bearer(access) })).status).toBe(200)
    expect((await call(`${app.url}/token/verify/`, 'POST', { body: { token: refresh } })).status).toBe(200)
  })

  it('logout again with the same token, without any, with a bad one', async () => {
    const again = await call(`${app.url}/logout/`, 'POST', { body: { refresh } })
    expect(again.status).toBe(401)
    expect(again.body).toEqual({ detail: 'Token is blacklisted' })
    expect(again.cookies).toHaveLength(2)
    const none = await call(`${app.url}/logout/`, 'POST', { body: {} })
    expect(none.status).toBe(401)
    expect(none.body).toEqual({ detail: 'Refresh token was not included in request data.' })
    expect(none.cookies.map(shape)).toEqual(['app-auth=<v>; Max-Age=0; Path=/; SameSite=Lax', 'app-refresh=<v>; Max-Age=0; Path=/; SameSite=Lax'])
    const bad = await call(`${app.url}/logout/`, 'POST', { body: { refresh: 'abc' } })
    expect(bad.status).toBe(401)
    expect(bad.body).toEqual({ detail: 'Token is invalid or expired' })
  })

  it('an inactive user is refused by the strategy and by token/refresh', async () => {
    const login = await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'dave' } })
    expect((await call(`${app.url}/user/`, 'GET', { headers: bearer(login.body.access) })).status).toBe(200)
    await app.payload.update({ collection: 'users' as never, data: { is_active: false } as never, id: userId, overrideAccess: true })
    const me = await call(`${app.url}/user/`, 'GET', { headers: bearer(login.body.access) })
    expect(me.status).toBe(401)
    expect(me.body).toEqual({ detail: 'User is inactive', code: 'user_inactive' })
    const refreshed = await call(`${app.url}/token/refresh/`, 'POST', { body: { refresh: login.body.refresh } })
    expect(refreshed.status).toBe(401)
    // Deactivation ends the refresh family for good (README, Compatibility), not only while inactive.
    expect(refreshed.body).toEqual({ detail: 'Token is blacklisted', code: 'token_not_valid' })
    await app.payload.update({ collection: 'users' as never, data: { is_active: true } as never, id: userId, overrideAccess: true })
    expect((await call(`${app.url}/user/`, 'GET', { headers: bearer(login.body.access) })).status).toBe(200)
    expect((await call(`${app.url}/token/refresh/`, 'POST', { body: { refresh: login.body.refresh } })).status).toBe(401)

    // A flag flipped in the database, past every hook: the refresh still checks the user (simplejwt 5.3).
    const again = await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'dave' } })
    await app.payload.db.updateOne({ collection: 'users', data: { is_active: false }, id: userId, returning: false })
    const inactive = await call(`${app.url}/token/refresh/`, 'POST', { body: { refresh: again.body.refresh } })
    await app.payload.db.updateOne({ collection: 'users', data: { is_active: true }, id: userId, returning: false })
    expect(inactive.body).toEqual({ detail: 'No active account found for the given token.', code: 'no_active_account' })
  })

  it('a user edit is visible at once through the access token (no stale cache)', async () => {
    const login = await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'dave' } })
    const token = login.body.access
    expect((await call(`${app.url}/user/`, 'GET', { headers: bearer(token) })).body.first_name).toBe('')
    const patched = await call(`${app.url}/user/`, 'PATCH', { body: { first_name: 'Dave' }, headers: bearer(token) })
    expect(patched.status).toBe(200)
    expect((await call(`${app.url}/user/`, 'GET', { headers: bearer(token) })).body.first_name).toBe('Dave')
  })
})

/** Profile "JWT HttpOnly cookies" of the reference transcript. */
describe.each(testDatabases())('JWT HttpOnly cookies on %s', (db) => {
  let app: JwtApp
  let userId: number | string
  const browser = cookieJar()

  beforeAll(async () => {
    app = await startJwtApp({ db, settings: { jwtAuthHttpOnly: true }, user: { email: 'erin@example.com', username: 'erin' } })
    userId = app.userId
  })
  afterAll(async () => app?.close())

  it('register: the same JWT body and HttpOnly cookies as login', async () => {
    const res = await call(`${app.url}/registration/`, 'POST', {
      body: { email: 'gina@example.com', password1: PASSWORD, password2: PASSWORD, username: 'gina' },
    })
    expect(res.status).toBe(201)
    expect(Object.keys(res.body)).toEqual(['access', 'refresh', 'user'])
    expect(res.body.refresh).toBe('')
    expect(res.cookies.map(shape)).toEqual([
      'app-auth=<v>; HttpOnly; Max-Age=300; Path=/; SameSite=Lax',
      'app-refresh=<v>; HttpOnly; Max-Age=86400; Path=/; SameSite=Lax',
    ])
  })

  it('login (HttpOnly): the refresh token travels only in its cookie', async () => {
    const res = await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'erin' } })
    expect(res.status).toBe(200)
    expect(Object.keys(res.body)).toEqual(['access', 'refresh', 'user'])
    expect(res.body.refresh).toBe('')
    expect(res.body.user).toEqual({ pk: userId, username: 'erin', email: 'erin@example.com', first_name: '', last_name: '' })
    expect(res.cookies.map(shape)).toEqual([
      'app-auth=<v>; HttpOnly; Max-Age=300; Path=/; SameSite=Lax',
      'app-refresh=<v>; HttpOnly; Max-Age=86400; Path=/; SameSite=Lax',
    ])
    expect(cookieNamed(res.cookies, 'app-auth')).toContain(`app-auth=${res.body.access};`)
    browser.store(res.cookies)
    expect(claimsOf(browser.get('app-refresh')!).payload.token_type).toBe('refresh')
  })

  it('token/refresh from cookie only', async () => {
    const res = await call(`${app.url}/token/refresh/`, 'POST', { body: {}, headers: { cookie: browser.header() } })
    expect(res.status).toBe(200)
    expect(Object.keys(res.body)).toEqual(['access', 'access_expiration'])
    expect(res.body.access_expiration).toMatch(ISO_MICROSECONDS)
    expect(res.cookies.map(shape)).toEqual(['app-auth=<v>; HttpOnly; Max-Age=300; Path=/; SameSite=Lax'])
    browser.store(res.cookies)
  })

  it('a client echoing the empty refresh of the login body still logs out through the cookie', async () => {
    const refresh = browser.get('app-refresh')!
    const res = await call(`${app.url}/logout/`, 'POST', { body: { refresh: '' }, headers: { cookie: browser.header() } })
    expect(res.status).toBe(200)
    expect(res.cookies.map(shape)).toEqual(['app-auth=<v>; Max-Age=0; Path=/; SameSite=Lax', 'app-refresh=<v>; Max-Age=0; Path=/; SameSite=Lax'])
    const after = await call(`${app.url}/token/refresh/`, 'POST', { body: {}, headers: { cookie: `app-refresh=${refresh}` } })
    expect(after.status).toBe(401)
    expect(after.body).toEqual({ detail: 'Token is blacklisted', code: 'token_not_valid' })
  })

  it('settings for the cookie path, Secure and SameSite shape the cookies', async () => {
    await app.payload.updateGlobal({
      data: { jwtAuthRefreshCookiePath: '/api/dj-rest-auth/token/', jwtAuthSameSite: 'Strict', jwtAuthSecure: true } as never,
      slug: 'rest-auth-settings' as never,
    })
    const res = await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'erin' } })
    expect(res.cookies.map(shape)).toEqual([
      'app-auth=<v>; HttpOnly; Max-Age=300; Path=/; SameSite=Strict; Secure',
      'app-refresh=<v>; HttpOnly; Max-Age=86400; Path=/api/dj-rest-auth/token/; SameSite=Strict; Secure',
    ])
    const out = await call(`${app.url}/logout/`, 'POST', { body: { refresh: cookieNamed(res.cookies, 'app-refresh')!.split(/[=;]/)[1] } })
    expect(out.cookies.map(shape)).toEqual([
      'app-auth=<v>; Max-Age=0; Path=/; SameSite=Strict',
      'app-refresh=<v>; Max-Age=0; Path=/api/dj-rest-auth/token/; SameSite=Strict',
    ])
  })

  it('no cookie at all when the cookie names are empty (HttpOnly still keeps the refresh token out of the body)', async () => {
    await app.payload.updateGlobal({
      data: { jwtAuthCookie: '', jwtAuthRefreshCookie: '', jwtAuthSameSite: 'Lax', jwtAuthSecure: false } as never,
      slug: 'rest-auth-settings' as never,
    })
    const res = await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'erin' } })
    expect(res.status).toBe(200)
    expect(res.cookies).toEqual([])
    expect(res.body.refresh).toBe('')
    const cookieOnly = await call(`${app.url}/user/`, 'GET', { headers: { cookie: `app-auth=${res.body.access}` } })
    expect(cookieOnly.status).toBe(401)
    expect((await call(`${app.url}/user/`, 'GET', { headers: bearer(res.body.access) })).status).toBe(200)
  })
})
