import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { TestApp } from '../helpers/server.js'

import { call, cookieJar } from '../helpers/client.js'
import { testDatabases } from '../helpers/database.js'
import { startTestApp } from '../helpers/server.js'
import { createUser, PASSWORD } from '../helpers/users.js'

const EVIL = 'https://evil.example'
const badOrigin = (origin: string) => ({ detail: `CSRF Failed: Origin checking failed - ${origin} does not match any trusted origins.` })

/**
 * Django's CSRF depth: on unsafe cookie-authenticated requests, Origin (or, over HTTPS without it,
 * Referer) must name this site or a CSRF_TRUSTED_ORIGINS entry before the token is even compared;
 * a cross-site HTML form cannot log a visitor into someone else's account (login CSRF).
 */
describe.each(testDatabases())('CSRF origins on %s', (db) => {
  let app: TestApp
  let own: string
  const browser = cookieJar()
  const save = (data: Record<string, unknown>) => app.payload.updateGlobal({ data: data as never, slug: 'rest-auth-settings' as never })
  const patchAsBrowser = (headers: Record<string, string>, jar = browser) =>
    call(`${app.url}/user/`, 'PATCH', {
      body: { first_name: 'Changed' },
      headers: { cookie: jar.header(), 'x-csrftoken': jar.get('csrftoken')!, ...headers },
    })
  const formLogin = (username: string, headers: Record<string, string> = {}) =>
    call(`${app.url}/login/`, 'POST', {
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      rawBody: new URLSearchParams({ password: PASSWORD, username }).toString(),
    })

  beforeAll(async () => {
    app = await startTestApp({ db })
    own = new URL(app.apiUrl).origin
    await createUser(app.payload, { email: 'vic@example.com', username: 'vic' })
    await createUser(app.payload, { email: 'mal@example.com', username: 'mal' })
    browser.store((await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'vic' } })).cookies)
  })
  afterAll(async () => app?.close())

  it('a cross-site request is refused even with a matching token (a tossed csrftoken cookie)', async () => {
    // An attacker on a sibling host set csrftoken=known for the parent domain and repeats it.
    const tossed = cookieJar()
    tossed.store([`sessionid=${browser.get('sessionid')}`, 'csrftoken=attacker-chosen-value'])
    const res = await patchAsBrowser({ origin: EVIL }, tossed)
    expect(res.status).toBe(403)
    expect(res.body).toEqual(badOrigin(EVIL))
    expect((await patchAsBrowser({ origin: 'null' })).body).toEqual(badOrigin('null'))
    expect((await app.payload.find({ collection: 'users', where: { username: { equals: 'vic' } } })).docs[0]!.first_name).toBe('')
  })

  it('this site and CSRF_TRUSTED_ORIGINS pass', async () => {
    expect((await patchAsBrowser({ origin: own })).status).toBe(200)
    expect((await patchAsBrowser({ origin: 'https://app.example.com' })).status).toBe(403)
    await save({ csrfTrustedOrigins: 'https://*.example.com http://localhost:3000' })
    try {
      expect((await patchAsBrowser({ origin: 'https://app.example.com' })).status).toBe(200)
      expect((await patchAsBrowser({ origin: 'http://localhost:3000' })).status).toBe(200)
      // The scheme and port are part of an origin; a wildcard covers subdomains only.
      expect((await patchAsBrowser({ origin: 'http://app.example.com' })).status).toBe(403)
      expect((await patchAsBrowser({ origin: 'https://example.com' })).status).toBe(403)
      expect((await patchAsBrowser({ origin: 'https://app.example.com.evil.example' })).status).toBe(403)
    } finally {
      await save({ csrfTrustedOrigins: '' })
    }
    await expect(save({ csrfTrustedOrigins: 'app.example.com' })).rejects.toThrow()
  })

  it('over HTTPS (a trusted proxy says so) a request without Origin needs a Referer of this site', async () => {
    await save({ trustedProxies: '127.0.0.1' })
    const https = { 'x-forwarded-proto': 'https' }
    try {
      expect((await patchAsBrowser(https)).body).toEqual({ detail: 'CSRF Failed: Referer checking failed - no Referer.' })
      expect((await patchAsBrowser({ ...https, referer: `${EVIL}/page` })).body).toEqual({
        detail: `CSRF Failed: Referer checking failed - ${EVIL} does not match any trusted origins.`,
      })
      const host = new URL(own).host
      expect((await patchAsBrowser({ ...https, referer: `http://${host}/page` })).body).toEqual({
        detail: 'CSRF Failed: Referer checking failed - Referer is insecure while host is secure.',
      })
      expect((await patchAsBrowser({ ...https, referer: `https://${host}/page` })).status).toBe(200)
      expect((await patchAsBrowser({ ...https, origin: `https://${host}` })).status).toBe(200)
    } finally {
      await save({ trustedProxies: '' })
    }
  })

  it('login CSRF: a cross-site form cannot log the visitor into another account', async () => {
    const crossSite = await formLogin('mal', { origin: EVIL })
    expect(crossSite.status).toBe(403)
    expect(crossSite.body).toEqual(badOrigin(EVIL))
    expect(crossSite.cookies).toEqual([])
    // The site's own form, and clients that send no Origin (apps, scripts), log in as before.
    expect((await formLogin('mal', { origin: own })).status).toBe(200)
    expect((await formLogin('mal')).status).toBe(200)
    // JSON cannot be sent cross-site without CORS allowing it, so it is not checked.
    expect((await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'mal' }, headers: { origin: EVIL } })).status).toBe(200)
  })

  it('JWT cookies with JWT_AUTH_COOKIE_USE_CSRF get the same origin check', async () => {
    await save({ jwtAuthCookie: 'app-auth', jwtAuthCookieUseCsrf: true, sessionLogin: false, useJwt: true })
    try {
      const jar = cookieJar()
      jar.store((await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'vic' } })).cookies)
      expect(jar.get('app-auth')).toBeTruthy()
      expect((await patchAsBrowser({ origin: EVIL }, jar)).body).toEqual(badOrigin(EVIL))
      expect((await patchAsBrowser({ origin: own }, jar)).status).toBe(200)
    } finally {
      await save({ jwtAuthCookie: '', jwtAuthCookieUseCsrf: false, sessionLogin: true, useJwt: false })
    }
  })

  it('__Host- cookie names are accepted only with Secure', async () => {
    await expect(save({ csrfCookieName: '__Host-csrftoken', sessionCookieName: '__Host-sessionid' })).rejects.toMatchObject({
      data: { errors: expect.arrayContaining([{ message: expect.stringContaining('only when it is Secure'), path: 'sessionCookieName' }]) },
    })
    await save({ csrfCookieName: '__Host-csrftoken', sessionCookieName: '__Host-sessionid', sessionCookieSecure: true })
    try {
      const login = await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'vic' } })
      expect(login.cookies.map((cookie) => cookie.split('=')[0])).toEqual(['__Host-csrftoken', '__Host-sessionid'])
      expect(login.cookies.every((cookie) => /; Path=\/; SameSite=Lax; Secure$/.test(cookie))).toBe(true)
      // Even the deletion at logout is Secure, or browsers would ignore it.
      const jar = cookieJar()
      jar.store(login.cookies)
      const logout = await call(`${app.url}/logout/`, 'POST', { headers: { cookie: jar.header(), 'x-csrftoken': jar.get('__Host-csrftoken')! } })
      expect(logout.status).toBe(200)
      expect(logout.cookies.find((cookie) => cookie.startsWith('__Host-sessionid='))).toMatch(/Max-Age=0; Path=\/; SameSite=Lax; Secure$/)
    } finally {
      await save({ csrfCookieName: 'csrftoken', sessionCookieName: 'sessionid', sessionCookieSecure: false })
    }
  })
})
