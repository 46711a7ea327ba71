import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'

import type { HostApp } from '../helpers/hostApp.js'
import type { MockOAuth2Provider } from '../helpers/mockProviders.js'
import type { TestApp } from '../helpers/server.js'

import { setClock } from '../../src/utilities/clock.js'
import { call } from '../helpers/client.js'
import { testDatabases } from '../helpers/database.js'
import { jwtHeader, startHostApp } from '../helpers/hostApp.js'
import { startMockGoogle } from '../helpers/mockProviders.js'
import { startTestApp } from '../helpers/server.js'
import { createUser, PASSWORD } from '../helpers/users.js'

// Payload's schema asks for both identifiers when usernames log in too; an empty e-mail means "by username".
const LOGIN_MUTATION = `mutation ($username: String!, $password: String!) { loginUser(email: "", username: $username, password: $password) { token } }`

/**
 * Payload's own login (REST `/api/users/login`, GraphQL `loginUser`) refuses what the plugin's
 * `login/` refuses, with the same words for every failure; the first admin comes only from
 * Payload's first-register or an admin.
 */
describe.each(testDatabases())('Payload login in a host app on %s', (db) => {
  let app: HostApp

  const restLogin = (body: Record<string, unknown>, ip = '198.18.0.1') =>
    call(`${app.apiUrl}/users/login`, 'POST', { body, headers: { 'x-forwarded-for': ip } })
  const gqlLogin = (username: string, password: string, ip = '198.18.0.1') =>
    app.gql(LOGIN_MUTATION, { headers: { 'x-forwarded-for': ip }, variables: { password, username } })
  const saveSettings = (data: Record<string, unknown>) => app.payload.updateGlobal({ data: data as never, slug: 'rest-auth-settings' as never })

  beforeAll(async () => {
    app = await startHostApp({ db, plugin: { settings: { trustedProxyCount: 2 } } })
    await app.seedUser({ email: 'ivy@host.example', is_active: false, username: 'ivy' })
    await app.seedUser({ email: 'kim@host.example', username: 'kim' })
    const uma = await app.seedUser({ email: 'uma@host.example', username: 'uma' })
    await app.payload.create({ collection: 'email-addresses' as never, data: { email: 'uma@host.example', primary: true, user: uma.id } as never })
  })
  afterAll(async () => app?.close())
  afterEach(() => setClock(null))

  it('an unknown account, a wrong password and an inactive user get the same answer, on REST and GraphQL', async () => {
    const unknown = await restLogin({ password: PASSWORD, username: 'nobody' })
    const wrong = await restLogin({ password: 'not-the-password', username: 'kim' })
    const inactive = await restLogin({ password: PASSWORD, username: 'ivy' })
    expect(unknown.status).toBe(401)
    expect(unknown.body).toEqual({ errors: [{ message: 'The username or password provided is incorrect.' }] })
    expect(wrong.body).toEqual(unknown.body)
    expect(inactive.status).toBe(401)
    expect(inactive.body).toEqual(unknown.body)
    const byEmail = await restLogin({ email: 'ivy@host.example', password: PASSWORD })
    expect(byEmail.body).toEqual({ errors: [{ message: 'The email or password provided is incorrect.' }] })

    const answers = await Promise.all([
      gqlLogin('nobody', PASSWORD),
      gqlLogin('kim', 'not-the-password'),
      gqlLogin('ivy', PASSWORD),
    ])
    for (const res of answers) {
      expect(res.body.data?.loginUser ?? null).toBeNull()
      expect(res.body.errors.map((error: { message: string }) => error.message)).toEqual(['The email or password provided is incorrect.'])
    }
    expect((await gqlLogin('kim', PASSWORD)).body.data.loginUser.token).toEqual(expect.any(String))
  })

  it('under mandatory verification an unverified user gets no Payload JWT, on REST and GraphQL', async () => {
    await saveSettings({ accountEmailRequired: true, accountEmailVerification: 'mandatory' })
    try {
      const rest = await restLogin({ password: PASSWORD, username: 'uma' })
      expect(rest.status).toBe(403)
      expect(rest.body).toEqual({ errors: [{ message: 'Please verify your email before logging in.' }] })
      const gql = await gqlLogin('uma', PASSWORD)
      expect(gql.body.data?.loginUser ?? null).toBeNull()
      expect(gql.body.errors[0].message).toBe('Please verify your email before logging in.')
      expect((await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'uma' } })).body).toEqual({
        non_field_errors: ['E-mail is not verified.'],
      })
      // A wrong password still gets the words of any failure: the address state is not told to strangers.
      expect((await restLogin({ password: 'not-the-password', username: 'uma' })).status).toBe(401)
      // The first admin's address was verified by first-register.
      expect((await restLogin({ password: PASSWORD, username: 'admin' })).status).toBe(200)

      await app.payload.update({ collection: 'email-addresses' as never, data: { verified: true } as never, where: { email: { equals: 'uma@host.example' } } })
      const verified = await restLogin({ password: PASSWORD, username: 'uma' })
      expect(verified.status, verified.text).toBe(200)
      expect((await call(`${app.url}/user/`, 'GET', { headers: jwtHeader(verified.body.token) })).body.username).toBe('uma')
    } finally {
      await saveSettings({ accountEmailRequired: false, accountEmailVerification: 'optional' })
    }
  })

  it('the plugin’s back-off holds on Payload’s login too: per account and address, shared with login/, no account told apart', async () => {
    await saveSettings({ loginLockoutBaseSeconds: 30, loginLockoutThreshold: 2 })
    try {
      const ip = '198.18.1.1'
      expect((await restLogin({ password: 'nope', username: 'kim' }, ip)).status).toBe(401)
      expect((await gqlLogin('kim', 'nope', ip)).body.errors[0].message).toBe('The email or password provided is incorrect.')
      const locked = await restLogin({ password: PASSWORD, username: 'kim' }, ip)
      expect(locked.status).toBe(429)
      expect(locked.body.errors[0].message).toMatch(/^Request was throttled\. Expected available in \d+ seconds\.$/)
      expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(25)
      expect((await gqlLogin('kim', PASSWORD, ip)).body.errors[0].message).toMatch(/^Request was throttled/)
      expect((await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'kim' }, headers: { 'x-forwarded-for': ip } })).status).toBe(429)
      // An account that does not exist locks the same way.
      expect((await restLogin({ password: 'nope', username: 'nobody' }, ip)).status).toBe(401)
      expect((await restLogin({ password: 'nope', username: 'nobody' }, ip)).status).toBe(401)
      expect((await restLogin({ password: 'nope', username: 'nobody' }, ip)).status).toBe(429)
      // The account's owner elsewhere is not locked out.
      expect((await restLogin({ password: PASSWORD, username: 'kim' }, '198.18.1.2')).status).toBe(200)

      setClock(() => Date.now() + 31_000)
      expect((await restLogin({ password: PASSWORD, username: 'kim' }, ip)).status).toBe(200)
      const rows = await app.payload.count({ collection: 'login-failures' as never, where: { account: { equals: 'kim' } } })
      expect(rows.totalDocs).toBe(0)
    } finally {
      await saveSettings({ loginLockoutThreshold: 0 })
    }
  })

  it('a non-admin cannot create users through Payload, anonymous or logged in', async () => {
    const anonymous = await call(`${app.apiUrl}/users`, 'POST', { body: { email: 'x@host.example', is_staff: true, password: 'Strong-Pass-2026', username: 'x' } })
    expect(anonymous.status).toBe(403)
    const gql = await app.gql(`mutation { createUser(data: { username: "y", email: "y@host.example", password: "Strong-Pass-2026", is_staff: true }) { id } }`, {
      headers: { authorization: `JWT ${app.customer.jwt}` },
    })
    expect(gql.body.errors[0].message).toBe('You are not allowed to perform this action.')
    expect((await app.payload.count({ collection: 'users', where: { username: { in: ['x', 'y'] } } })).totalDocs).toBe(0)
    const again = await call(`${app.apiUrl}/users/first-register`, 'POST', { body: { email: 'z@host.example', password: 'Strong-Pass-2026', username: 'z' } })
    expect(again.status).toBe(403)
  })
})

describe.each(testDatabases())('the first admin on %s', (db) => {
  let google: MockOAuth2Provider

  beforeAll(async () => {
    google = await startMockGoogle()
    google.profiles.set('sam', { email: 'sam@example.com', email_verified: true, family_name: 'S', given_name: 'Sam', name: 'Sam S', sub: '1080001' })
  })
  afterAll(async () => google?.close())

  const isStaff = async (app: TestApp, username: string) =>
    ((await app.payload.find({ collection: 'users', where: { username: { equals: username } } })).docs[0] as { is_staff?: boolean }).is_staff

  describe('a stranger who signs up on a fresh database', () => {
    let app: TestApp
    beforeAll(async () => {
      app = await startTestApp({ db, plugin: { settings: { ...google.settings, accountEmailVerification: 'none', sessionLogin: false } as never } })
    })
    afterAll(async () => app?.close())

    it('through a social provider or registration/ is not staff, and cannot read or set the settings', async () => {
      const social = await call(`${app.url}/google/`, 'POST', { body: { access_token: google.issueToken('sam') } })
      expect(social.status, social.text).toBe(200)
      expect(await isStaff(app, 'sam')).toBe(false)
      const registered = await call(`${app.url}/registration/`, 'POST', {
        body: { email: 'reg@example.com', password1: PASSWORD, password2: PASSWORD, username: 'reg' },
      })
      expect(registered.status, registered.text).toBe(201)
      expect(await isStaff(app, 'reg')).toBe(false)
      for (const key of [social.body.key, registered.body.key]) {
        expect((await call(`${app.apiUrl}/globals/rest-auth-settings`, 'GET', { token: key })).status).toBe(403)
        expect((await call(`${app.apiUrl}/globals/rest-auth-settings`, 'POST', { body: { jwtSigningKey: 'x'.repeat(40) }, token: key })).status).toBe(403)
      }
      // Users exist now, so first-register is closed; the owner makes the admin with server code.
      expect((await call(`${app.apiUrl}/users/first-register`, 'POST', { body: { email: 'o@example.com', password: PASSWORD, username: 'owner' } })).status).toBe(403)
      await createUser(app.payload, { email: 'owner@example.com', is_staff: true, username: 'owner' })
      const owner = (await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'owner' } })).body.key
      expect((await call(`${app.apiUrl}/globals/rest-auth-settings`, 'GET', { token: owner })).status).toBe(200)
    })
  })

  describe('Payload’s first-register', () => {
    let app: TestApp
    beforeAll(async () => {
      app = await startTestApp({ db, plugin: { settings: { accountEmailRequired: true, accountEmailVerification: 'mandatory' } } })
    })
    afterAll(async () => app?.close())

    it('makes the first user staff with a verified address, after the password validators', async () => {
      const register = (password: string) =>
        call(`${app.apiUrl}/users/first-register`, 'POST', { body: { email: 'Owner@Example.com', is_staff: false, password, username: 'owner' } })
      const weak = await register('owner123')
      expect(weak.status).toBe(400)
      expect(weak.body.errors[0].data.errors).toEqual([expect.objectContaining({ message: 'The password is too similar to the username.', path: 'password' })])
      expect((await app.payload.count({ collection: 'users' })).totalDocs).toBe(0)
      const ok = await register(PASSWORD)
      expect(ok.status, ok.text).toBe(200)
      expect(ok.body.user).toMatchObject({ is_active: true, is_staff: true, username: 'owner' })
      const addresses = await app.payload.find({ collection: 'email-addresses' as never, where: { user: { equals: ok.body.user.id } } })
      expect(addresses.docs).toMatchObject([{ email: 'owner@example.com', primary: true, verified: true }])
      // Under mandatory verification the first admin logs in everywhere.
      expect((await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'owner' } })).status).toBe(200)
      expect((await call(`${app.apiUrl}/globals/rest-auth-settings`, 'GET', { headers: jwtHeader(ok.body.token) })).status).toBe(200)
    })
  })
})
