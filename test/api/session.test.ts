import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { TestApp } from '../helpers/server.js'

import { call, cookieJar } from '../helpers/client.js'
import { testDatabases } from '../helpers/database.js'
import { startTestApp } from '../helpers/server.js'
import { createUser, NEW_PASSWORD, PASSWORD } from '../helpers/users.js'

/** SESSION_LOGIN: the session cookie authenticates, unsafe requests need the CSRF header. */
describe.each(testDatabases())('session login on %s', (db) => {
  let app: TestApp
  const browser = cookieJar()

  beforeAll(async () => {
    app = await startTestApp({ db })
    await createUser(app.payload, { email: 'sam@example.com', username: 'sam' })
  })
  afterAll(async () => app?.close())

  it('Payload’s own users/login keeps its answers (the plugin only evens out its timing for unknown accounts)', async () => {
    const payloadLogin = (body: Record<string, string>) => call(`${app.apiUrl}/users/login`, 'POST', { body })
    const unknown = await payloadLogin({ password: PASSWORD, username: 'nobody' })
    expect(unknown.status).toBe(401)
    expect(unknown.body.errors[0].message).toBe('The username or password provided is incorrect.')
    const wrong = await payloadLogin({ password: 'not-the-password', username: 'sam' })
    expect(wrong.status).toBe(401)
    expect(wrong.body).toEqual(unknown.body)
    const byEmail = await payloadLogin({ email: 'SAM@example.com', password: PASSWORD })
    expect(byEmail.status, byEmail.text).toBe(200)
    expect(byEmail.body.user.username).toBe('sam')
  })

  it('the session cookie authenticates user/ and Payload itself', async () => {
    const login = await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'sam' } })
    browser.store(login.cookies)
    const me = await call(`${app.url}/user/`, 'GET', { headers: { cookie: browser.header() } })
    expect(me.status).toBe(200)
    expect(me.body.username).toBe('sam')
    const payloadMe = await call(`${app.apiUrl}/users/me`, 'GET', { headers: { cookie: browser.header() } })
    expect(payloadMe.body.user?.username).toBe('sam')
  })

  it('a token in the Authorization header wins over a session cookie of another user', async () => {
    await createUser(app.payload, { email: 'tia@example.com', username: 'tia' })
    const tia = await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'tia' } })
    const me = await call(`${app.url}/user/`, 'GET', { headers: { cookie: browser.header() }, token: tia.body.key })
    expect(me.body.username).toBe('tia')
  })

  it('unsafe requests without the CSRF header are refused', async () => {
    const res = await call(`${app.url}/user/`, 'PATCH', { body: { first_name: 'S' }, headers: { cookie: browser.header() } })
    expect(res.status).toBe(403)
    expect(res.body).toEqual({ detail: 'CSRF Failed: CSRF token missing or incorrect.' })
    const wrong = await call(`${app.url}/user/`, 'PATCH', { body: { first_name: 'S' }, headers: { cookie: browser.header(), 'x-csrftoken': 'nope' } })
    expect(wrong.status).toBe(403)
  })

  it('unsafe requests with the CSRF header pass', async () => {
    const res = await call(`${app.url}/user/`, 'PATCH', {
      body: { first_name: 'Sam' },
      headers: { cookie: browser.header(), 'x-csrftoken': browser.get('csrftoken')! },
    })
    expect(res.status).toBe(200)
    expect(res.body.first_name).toBe('Sam')
  })

  it('a password change renews this session and ends the others', async () => {
    const other = cookieJar()
    other.store((await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'sam' } })).cookies)
    const res = await call(`${app.url}/password/change/`, 'POST', {
      body: { new_password1: NEW_PASSWORD, new_password2: NEW_PASSWORD },
      headers: { cookie: browser.header(), 'x-csrftoken': browser.get('csrftoken')! },
    })
    expect(res.status).toBe(200)
    const oldSession = browser.get('sessionid')
    browser.store(res.cookies)
    expect(browser.get('sessionid')).not.toBe(oldSession)
    expect((await call(`${app.url}/user/`, 'GET', { headers: { cookie: browser.header() } })).status).toBe(200)
    expect((await call(`${app.url}/user/`, 'GET', { headers: { cookie: other.header() } })).status).toBe(403)
  })

  it('logout ends the session and clears the cookie', async () => {
    const res = await call(`${app.url}/logout/`, 'POST', { headers: { cookie: browser.header(), 'x-csrftoken': browser.get('csrftoken')! } })
    expect(res.status).toBe(200)
    expect(res.cookies.some((c) => /^sessionid="";.*Max-Age=0/.test(c))).toBe(true)
    const stale = browser.header()
    browser.store(res.cookies)
    const after = await call(`${app.url}/user/`, 'GET', { headers: { cookie: stale } })
    expect(after.status).toBe(403)
    expect(after.body).toEqual({ detail: 'Authentication credentials were not provided.' })
  })

  it('SESSION_LOGIN off sets no session cookie', async () => {
    await app.payload.updateGlobal({ data: { sessionLogin: false } as never, slug: 'rest-auth-settings' as never })
    const login = await call(`${app.url}/login/`, 'POST', { body: { password: NEW_PASSWORD, username: 'sam' } })
    expect(login.status).toBe(200)
    expect(login.cookies).toEqual([])
  })
})
