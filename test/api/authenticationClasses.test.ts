import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { ApiResponse } from '../helpers/client.js'
import type { TestApp } from '../helpers/server.js'

import { call, cookieJar } from '../helpers/client.js'
import { testDatabases } from '../helpers/database.js'
import { startTestApp } from '../helpers/server.js'
import { createUser, PASSWORD } from '../helpers/users.js'

const NOT_PROVIDED = { detail: 'Authentication credentials were not provided.' }
const INVALID_TOKEN = { detail: 'Invalid token.' }
const NO_CREDENTIALS = { detail: 'Invalid token header. No credentials provided.' }
const BAD_ACCESS_TOKEN = {
  detail: 'Given token not valid for any token type',
  code: 'token_not_valid',
  messages: [{ token_class: 'AccessToken', token_type: 'access', message: 'Token is invalid or expired' }],
}
const BEARER = 'Bearer realm="api"'

/** Status, WWW-Authenticate (null: none) and body, as the transcript lists them. */
const expectAnswer = (res: ApiResponse, status: number, challenge: null | string, body: unknown) => {
  expect(res.status, res.text).toBe(status)
  expect(res.headers.get('www-authenticate')).toBe(challenge)
  expect(res.body).toEqual(body)
}

/**
 * DEFAULT_AUTHENTICATION_CLASSES (`authenticationClasses`): which credentials are tried, in which
 * order, and which class answers the challenge. The three orders of the reference transcript's last
 * section, then the modes and endpoints around them.
 */
describe.each(testDatabases())('authentication classes on %s', (db) => {
  let app: TestApp
  let key: string

  const saveSettings = (data: Record<string, unknown>) => app.payload.updateGlobal({ data: data as never, slug: 'rest-auth-settings' as never })
  const user = (headers: Record<string, string> = {}) => call(`${app.url}/user/`, 'GET', { headers })
  const tokenMode = { authenticationClasses: '', jwtAuthCookie: '', jwtAuthRefreshCookie: '', sessionLogin: true, tokenAuthEnabled: true, useJwt: false }
  const jwtMode = { ...tokenMode, jwtAuthCookie: 'my-app-auth', jwtAuthRefreshCookie: 'my-refresh-token', useJwt: true }

  beforeAll(async () => {
    app = await startTestApp({ db })
    await createUser(app.payload, { email: 'bob@example.com', username: 'bob' })
    key = (await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'bob' } })).body.key
  })
  afterAll(async () => app?.close())

  describe('TokenAuthentication first (token mode)', () => {
    beforeAll(async () => {
      await saveSettings({ ...tokenMode, authenticationClasses: 'token, session' })
    })

    it('matches the transcript', async () => {
      expectAnswer(await user(), 401, 'Token', NOT_PROVIDED)
      expectAnswer(await user({ authorization: 'Token nope' }), 401, 'Token', INVALID_TOKEN)
      expectAnswer(await user({ authorization: 'Token' }), 401, 'Token', NO_CREDENTIALS)
      expectAnswer(await user({ authorization: 'Bearer garbage' }), 401, 'Token', NOT_PROVIDED)
      expectAnswer(await user({ cookie: 'my-app-auth=garbage' }), 401, 'Token', NOT_PROVIDED)
      expectAnswer(await call(`${app.url}/password/change/`, 'POST', { body: {} }), 401, 'Token', NOT_PROVIDED)
      expectAnswer(await call(`${app.url}/logout/`, 'POST', { headers: { authorization: 'Token nope' } }), 401, 'Token', INVALID_TOKEN)
    })

    it('every endpoint answers with the same challenge, and the listed credentials still work', async () => {
      for (const [method, path] of [
        ['PUT', 'user/'],
        ['PATCH', 'user/'],
        ['GET', 'socialaccounts/'],
        ['POST', 'socialaccounts/1/disconnect/'],
        ['OPTIONS', 'user/'],
      ] as const) {
        const body = method === 'GET' || method === 'OPTIONS' ? undefined : {}
        expectAnswer(await call(`${app.url}/${path}`, method, { body }), 401, 'Token', NOT_PROVIDED)
      }
      // A bad token fails endpoints that need no user too (DRF authenticates before anything else).
      const login = await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'bob' }, token: 'nope' })
      expectAnswer(login, 401, 'Token', INVALID_TOKEN)
      expect((await user({ authorization: `Token ${key}` })).status).toBe(200)
      const browser = cookieJar()
      browser.store((await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'bob' } })).cookies)
      expect((await user({ cookie: browser.header() })).status).toBe(200)
    })

    it('a CSRF failure stays 403: DRF raises PermissionDenied there, not an authentication error', async () => {
      const browser = cookieJar()
      browser.store((await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'bob' } })).cookies)
      const res = await call(`${app.url}/user/`, 'PATCH', { body: { first_name: 'B' }, headers: { cookie: browser.header() } })
      expectAnswer(res, 403, null, { detail: 'CSRF Failed: CSRF token missing or incorrect.' })
    })
  })

  describe('JWTCookieAuthentication only (JWT mode, as dj-rest-auth’s docs configure it): the default with USE_JWT', () => {
    let access: string
    beforeAll(async () => {
      await saveSettings(jwtMode)
      access = (await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'bob' } })).body.access
    })

    it('matches the transcript', async () => {
      expectAnswer(await user(), 401, BEARER, NOT_PROVIDED)
      expectAnswer(await user({ authorization: 'Token nope' }), 401, BEARER, NOT_PROVIDED)
      expectAnswer(await user({ authorization: 'Token' }), 401, BEARER, NOT_PROVIDED)
      expectAnswer(await user({ authorization: 'Bearer garbage' }), 401, BEARER, BAD_ACCESS_TOKEN)
      expectAnswer(await user({ cookie: 'my-app-auth=garbage' }), 401, BEARER, BAD_ACCESS_TOKEN)
      expectAnswer(await call(`${app.url}/password/change/`, 'POST', { body: {} }), 401, BEARER, NOT_PROVIDED)
      const logout = await call(`${app.url}/logout/`, 'POST', { headers: { authorization: 'Token nope' } })
      expectAnswer(logout, 401, null, { detail: 'Refresh token was not included in request data.' })
    })

    it('only the access token authenticates: a valid opaque token or session cookie is not tried', async () => {
      expect((await user({ authorization: `Bearer ${access}` })).status).toBe(200)
      expectAnswer(await user({ authorization: `Token ${key}` }), 401, BEARER, NOT_PROVIDED)
      const login = await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'bob' } })
      const session = login.cookies.find((cookie) => cookie.startsWith('sessionid='))!.split(';')[0]!
      expectAnswer(await user({ cookie: session }), 401, BEARER, NOT_PROVIDED)
    })

    it('a stale access cookie fails login/ with the challenge; the token views ignore it', async () => {
      const login = await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'bob' }, headers: { cookie: 'my-app-auth=stale' } })
      expectAnswer(login, 401, BEARER, BAD_ACCESS_TOKEN)
      const verify = await call(`${app.url}/token/verify/`, 'POST', { body: { token: access }, headers: { cookie: 'my-app-auth=stale' } })
      expect(verify.status).toBe(200)
    })
  })

  describe('SessionAuthentication first (JWT mode, the order of the rest of the transcript)', () => {
    beforeAll(async () => {
      await saveSettings({ ...jwtMode, authenticationClasses: 'session, token, jwt' })
    })

    it('matches the transcript', async () => {
      expectAnswer(await user(), 403, null, NOT_PROVIDED)
      expectAnswer(await user({ authorization: 'Token nope' }), 403, null, INVALID_TOKEN)
      expectAnswer(await user({ authorization: 'Token' }), 403, null, NO_CREDENTIALS)
      expectAnswer(await user({ authorization: 'Bearer garbage' }), 403, null, BAD_ACCESS_TOKEN)
      expectAnswer(await user({ cookie: 'my-app-auth=garbage' }), 403, null, BAD_ACCESS_TOKEN)
      expectAnswer(await call(`${app.url}/password/change/`, 'POST', { body: {} }), 403, null, NOT_PROVIDED)
      expectAnswer(await call(`${app.url}/logout/`, 'POST', { headers: { authorization: 'Token nope' } }), 403, null, INVALID_TOKEN)
    })

    it('a refresh token as access token and a stale access cookie on login/: simplejwt’s bodies, with 403', async () => {
      const login = await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'bob' } })
      const refresh = login.cookies.find((cookie) => cookie.startsWith('my-refresh-token='))!.split(';')[0]!.split('=')[1]!
      const wrongType = {
        ...BAD_ACCESS_TOKEN,
        messages: [{ token_class: 'AccessToken', token_type: 'access', message: 'Token has wrong type' }],
      }
      expectAnswer(await user({ authorization: `Bearer ${refresh}` }), 403, null, wrongType)
      const stale = await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'bob' }, headers: { cookie: 'my-app-auth=stale' } })
      expectAnswer(stale, 403, null, BAD_ACCESS_TOKEN)
    })

    it('the order decides between two credentials: a session before a stale access cookie, or after it', async () => {
      const login = await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'bob' } })
      const session = login.cookies.find((cookie) => cookie.startsWith('sessionid='))!.split(';')[0]!
      const both = { cookie: `${session}; my-app-auth=garbage` }
      expect((await user(both)).status).toBe(200)
      await saveSettings({ authenticationClasses: 'jwt, session' })
      expectAnswer(await user(both), 401, BEARER, BAD_ACCESS_TOKEN)
      expect((await user({ cookie: session })).status).toBe(200)
    })
  })

  describe('session only (token authentication off)', () => {
    beforeAll(async () => {
      await saveSettings({ ...tokenMode, tokenAuthEnabled: false })
    })

    it('the default list keeps SessionAuthentication: 403, and a token header is not read', async () => {
      expectAnswer(await user(), 403, null, NOT_PROVIDED)
      expectAnswer(await user({ authorization: `Token ${key}` }), 403, null, NOT_PROVIDED)
      const login = await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'bob' } })
      expect(login.status).toBe(204)
      const browser = cookieJar()
      browser.store(login.cookies)
      expect((await user({ cookie: browser.header() })).status).toBe(200)
    })
  })

  describe('closed registration (REGISTER_PERMISSION_CLASSES) follows DRF’s permission_denied', () => {
    beforeAll(async () => {
      await saveSettings({ ...tokenMode, registrationOpen: false })
    })
    afterAll(async () => {
      await saveSettings({ registrationOpen: true })
    })

    it('anonymous: NotAuthenticated under the challenge; authenticated: PermissionDenied', async () => {
      const body = { password1: PASSWORD, password2: PASSWORD, username: 'late' }
      expectAnswer(await call(`${app.url}/registration/`, 'POST', { body }), 403, null, NOT_PROVIDED)
      await saveSettings({ authenticationClasses: 'token, session' })
      expectAnswer(await call(`${app.url}/registration/`, 'POST', { body }), 401, 'Token', NOT_PROVIDED)
      const asUser = await call(`${app.url}/registration/`, 'POST', { body, token: key })
      expectAnswer(asUser, 403, null, { detail: 'You do not have permission to perform this action.' })
    })
  })

  describe('the setting itself', () => {
    it('is refused when it names an unknown class or leaves login’s credentials unaccepted', async () => {
      await saveSettings(tokenMode)
      const problemOf = (data: Record<string, unknown>) =>
        saveSettings(data).then(
          () => 'saved',
          (err: { data?: { errors?: { message: string; path: string }[] } }) => err.data?.errors?.map((e) => `${e.path}: ${e.message}`).join(' '),
        )
      expect(await problemOf({ authenticationClasses: 'session, basic' })).toBe(
        'authenticationClasses: Unknown authentication class "basic": use session, token and jwt.',
      )
      expect(await problemOf({ authenticationClasses: 'token, token' })).toBe('authenticationClasses: "token" is listed twice.')
      expect(await problemOf({ authenticationClasses: 'session' })).toMatch(/^authenticationClasses: Token authentication is on: list token/)
      expect(await problemOf({ authenticationClasses: 'session, token', useJwt: true })).toMatch(/^authenticationClasses: USE_JWT is on: list jwt/)
      expect(await problemOf({ authenticationClasses: 'Session,Token' })).toBe('saved')
    })

    it('takes Django REST framework’s class paths, as pasted from settings.py', async () => {
      await saveSettings({
        authenticationClasses: "('rest_framework.authentication.TokenAuthentication', 'rest_framework.authentication.SessionAuthentication')",
      })
      expectAnswer(await user(), 401, 'Token', NOT_PROVIDED)
      await saveSettings({ authenticationClasses: '' })
      expectAnswer(await user(), 403, null, NOT_PROVIDED)
    })
  })

  describe('Vary: Cookie, as Django adds it when the session is read or written', () => {
    beforeAll(async () => {
      await saveSettings(tokenMode)
    })

    it('whenever SessionAuthentication is consulted; not when a token authenticated first', async () => {
      expect((await user()).headers.get('vary')).toBe('Cookie')
      expect((await user({ authorization: `Token ${key}` })).headers.get('vary')).toBe('Cookie')
      await saveSettings({ authenticationClasses: 'token, session' })
      expect((await user({ authorization: `Token ${key}` })).headers.get('vary')).toBeNull()
      expect((await user()).headers.get('vary')).toBe('Cookie')
      await saveSettings({ authenticationClasses: '' })
    })

    it('on login and logout with SESSION_LOGIN; never on the token views, which read no credentials', async () => {
      await saveSettings({ authenticationClasses: 'token, session' })
      const login = await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'bob' }, token: key })
      expect(login.headers.get('vary')).toBe('Cookie')
      expect((await call(`${app.url}/logout/`, 'POST', { token: login.body.key })).headers.get('vary')).toBe('Cookie')
      await saveSettings({ ...jwtMode })
      const refreshed = await call(`${app.url}/token/refresh/`, 'POST', { body: { refresh: 'x' } })
      expect(refreshed.status).toBe(401)
      expect(refreshed.headers.get('vary')).toBeNull()
      await saveSettings({ ...jwtMode, sessionLogin: false })
      const jwtLogin = await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'bob' } })
      expect(jwtLogin.status).toBe(200)
      expect(jwtLogin.headers.get('vary')).toBeNull()
      await saveSettings(tokenMode)
    })
  })
})
