import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { TestApp } from '../helpers/server.js'

import { call } from '../helpers/client.js'
import { testDatabases } from '../helpers/database.js'
import { startTestApp } from '../helpers/server.js'
import { createUser, NEW_PASSWORD, PASSWORD } from '../helpers/users.js'

/** The default profile of the reference transcript, for the routes of the foundation. */
describe.each(testDatabases())('token auth on %s', (db) => {
  let app: TestApp
  let key: string
  let userId: number | string

  beforeAll(async () => {
    app = await startTestApp({ db })
    userId = (await createUser(app.payload, { email: 'bob@example.com', username: 'bob' })).id
  })
  afterAll(async () => app?.close())

  it('login: missing fields', async () => {
    const res = await call(`${app.url}/login/`, 'POST', { body: {} })
    expect(res.status).toBe(400)
    expect(res.body).toEqual({ password: ['This field is required.'] })
  })

  it('login: username missing under the username method', async () => {
    const res = await call(`${app.url}/login/`, 'POST', { body: { password: 'x' } })
    expect(res.status).toBe(400)
    expect(res.body).toEqual({ non_field_errors: ['Must include "username" and "password".'] })
  })

  it('login: wrong password', async () => {
    const res = await call(`${app.url}/login/`, 'POST', { body: { password: 'nope', username: 'bob' } })
    expect(res.status).toBe(400)
    expect(res.body).toEqual({ non_field_errors: ['Unable to log in with provided credentials.'] })
  })

  it('login: unknown user answers exactly as a wrong password', async () => {
    const res = await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'nobody' } })
    expect(res.status).toBe(400)
    expect(res.body).toEqual({ non_field_errors: ['Unable to log in with provided credentials.'] })
  })

  it('login: non-JSON body', async () => {
    const res = await call(`${app.url}/login/`, 'POST', { headers: { 'content-type': 'application/json' }, rawBody: 'not json' })
    expect(res.status).toBe(400)
    expect(res.body).toEqual({ detail: 'JSON parse error - Expecting value: line 1 column 1 (char 0)' })
  })

  it('login: GET not allowed', async () => {
    const res = await call(`${app.url}/login/`, 'GET')
    expect(res.status).toBe(405)
    expect(res.body).toEqual({ detail: 'Method "GET" not allowed.' })
    expect(res.headers.get('allow')).toBe('POST, OPTIONS')
  })

  it('login: ok, with a session and a CSRF cookie', async () => {
    const res = await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'bob' } })
    expect(res.status).toBe(200)
    expect(Object.keys(res.body)).toEqual(['key'])
    expect(res.body.key).toMatch(/^[0-9a-f]{40}$/)
    expect(res.headers.get('cache-control')).toBe('no-store')
    const session = res.cookies.find((c) => c.startsWith('sessionid='))
    const csrf = res.cookies.find((c) => c.startsWith('csrftoken='))
    expect(session).toMatch(/; HttpOnly; Max-Age=1209600; Path=\/; SameSite=Lax$/)
    expect(csrf).toMatch(/; Max-Age=31449600; Path=\/; SameSite=Lax$/)
    key = res.body.key
  })

  it('login: again gives a second, independent key (keys are stored hashed)', async () => {
    const res = await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'bob' } })
    expect(res.status).toBe(200)
    expect(res.body.key).not.toBe(key)
    const both = await Promise.all([key, res.body.key].map((k) => call(`${app.url}/user/`, 'GET', { token: k })))
    expect(both.map((r) => r.status)).toEqual([200, 200])
  })

  it('login: the username is matched case-insensitively, form-urlencoded bodies work', async () => {
    const res = await call(`${app.url}/login/`, 'POST', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      rawBody: new URLSearchParams({ password: PASSWORD, username: 'BOB' }).toString(),
    })
    expect(res.status).toBe(200)
    expect(res.body.key).toMatch(/^[0-9a-f]{40}$/)
  })

  it('tokens are stored only as digests', async () => {
    const { docs } = await app.payload.find({ collection: 'auth-tokens' as never, overrideAccess: true, where: { prefix: { equals: key.slice(0, 8) } } })
    expect(docs).toHaveLength(1)
    const stored = JSON.stringify(docs[0])
    expect(stored).not.toContain(key)
    expect((docs[0] as unknown as { digest: string }).digest).toMatch(/^[0-9a-f]{64}$/)
  })

  it('user: no credentials', async () => {
    const res = await call(`${app.url}/user/`, 'GET')
    expect(res.status).toBe(403)
    expect(res.body).toEqual({ detail: 'Authentication credentials were not provided.' })
  })

  it('user: bad token', async () => {
    const res = await call(`${app.url}/user/`, 'GET', { headers: { authorization: 'Token deadbeef' } })
    expect(res.status).toBe(403)
    expect(res.body).toEqual({ detail: 'Invalid token.' })
  })

  it('user: malformed token headers', async () => {
    const bare = await call(`${app.url}/user/`, 'GET', { headers: { authorization: 'Token' } })
    expect(bare.body).toEqual({ detail: 'Invalid token header. No credentials provided.' })
    const spaced = await call(`${app.url}/user/`, 'GET', { headers: { authorization: 'Token a b' } })
    expect(spaced.body).toEqual({ detail: 'Invalid token header. Token string should not contain spaces.' })
    expect([bare.status, spaced.status]).toEqual([403, 403])
  })

  it('user: get', async () => {
    const res = await call(`${app.url}/user/`, 'GET', { token: key })
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ email: 'bob@example.com', first_name: '', last_name: '', pk: userId, username: 'bob' })
    expect(Object.keys(res.body)).toEqual(['pk', 'username', 'email', 'first_name', 'last_name'])
  })

  it("Payload's own access control sees the token's user", async () => {
    const res = await call(`${app.apiUrl}/users/me`, 'GET', { token: key })
    expect(res.status).toBe(200)
    expect(res.body.user.username).toBe('bob')
  })

  it('user: patch first_name and try email/pk', async () => {
    const res = await call(`${app.url}/user/`, 'PATCH', { body: { email: 'x@example.com', first_name: 'Bobby', pk: 99 }, token: key })
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ email: 'bob@example.com', first_name: 'Bobby', last_name: '', pk: userId, username: 'bob' })
  })

  it('user: put without username', async () => {
    const res = await call(`${app.url}/user/`, 'PUT', { body: { first_name: 'B' }, token: key })
    expect(res.status).toBe(400)
    expect(res.body).toEqual({ username: ['This field is required.'] })
  })

  it('user: patch blank username', async () => {
    const res = await call(`${app.url}/user/`, 'PATCH', { body: { username: '' }, token: key })
    expect(res.status).toBe(400)
    expect(res.body).toEqual({ username: ['This field may not be blank.'] })
  })

  it('user: taken, invalid and too long usernames, wrong types', async () => {
    await createUser(app.payload, { email: 'alice@example.com', username: 'alice' })
    const taken = await call(`${app.url}/user/`, 'PATCH', { body: { username: 'alice' }, token: key })
    expect(taken.body).toEqual({ username: ['A user with that username already exists.'] })
    const invalid = await call(`${app.url}/user/`, 'PATCH', { body: { username: 'bad name!' }, token: key })
    expect(invalid.body).toEqual({
      username: ['Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.'],
    })
    const long = await call(`${app.url}/user/`, 'PATCH', { body: { last_name: 'x'.repeat(151) }, token: key })
    expect(long.body).toEqual({ last_name: ['Ensure this field has no more than 150 characters.'] })
    const typed = await call(`${app.url}/user/`, 'PATCH', { body: { first_name: { a: 1 }, last_name: null }, token: key })
    expect(typed.body).toEqual({ first_name: ['Not a valid string.'], last_name: ['This field may not be null.'] })
    expect([taken.status, invalid.status, long.status, typed.status]).toEqual([400, 400, 400, 400])
    const unchanged = await call(`${app.url}/user/`, 'GET', { token: key })
    expect(unchanged.body.username).toBe('bob')
    expect(unchanged.body.last_name).toBe('')
  })

  it('user: put with a new username and unicode names', async () => {
    const res = await call(`${app.url}/user/`, 'PUT', { body: { first_name: 'Zoë', last_name: '山田', username: 'bob.b' }, token: key })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ first_name: 'Zoë', last_name: '山田', username: 'bob.b' })
    const back = await call(`${app.url}/user/`, 'PUT', { body: { first_name: 'Bobby', last_name: '', username: 'bob' }, token: key })
    expect(back.status).toBe(200)
  })

  it('password change: mismatch', async () => {
    const res = await call(`${app.url}/password/change/`, 'POST', { body: { new_password1: NEW_PASSWORD, new_password2: PASSWORD }, token: key })
    expect(res.status).toBe(400)
    expect(res.body).toEqual({ new_password2: ['The two password fields didn’t match.'] })
  })

  it('password change: weak', async () => {
    const res = await call(`${app.url}/password/change/`, 'POST', { body: { new_password1: 'bob', new_password2: 'bob' }, token: key })
    expect(res.status).toBe(400)
    expect(res.body).toEqual({
      new_password2: [
        'The password is too similar to the username.',
        'This password is too short. It must contain at least 8 characters.',
        'This password is too common.',
      ],
    })
  })

  it('password change: missing fields and anonymous', async () => {
    const missing = await call(`${app.url}/password/change/`, 'POST', { body: {}, token: key })
    expect(missing.body).toEqual({ new_password1: ['This field is required.'], new_password2: ['This field is required.'] })
    const anonymous = await call(`${app.url}/password/change/`, 'POST', { body: {} })
    expect(anonymous.status).toBe(403)
    expect(anonymous.body).toEqual({ detail: 'Authentication credentials were not provided.' })
  })

  it('password change: ok; the token stays valid and the new password logs in', async () => {
    const res = await call(`${app.url}/password/change/`, 'POST', { body: { new_password1: NEW_PASSWORD, new_password2: NEW_PASSWORD }, token: key })
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ detail: 'New password has been saved.' })
    expect((await call(`${app.url}/user/`, 'GET', { token: key })).status).toBe(200)
    const oldLogin = await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'bob' } })
    expect(oldLogin.status).toBe(400)
    const newLogin = await call(`${app.url}/login/`, 'POST', { body: { password: NEW_PASSWORD, username: 'bob' } })
    expect(newLogin.status).toBe(200)
  })

  it('logout: GET', async () => {
    const res = await call(`${app.url}/logout/`, 'GET', { token: key })
    expect(res.status).toBe(405)
    expect(res.body).toEqual({ detail: 'Method "GET" not allowed.' })
  })

  it('logout: POST, then the token is invalid', async () => {
    const res = await call(`${app.url}/logout/`, 'POST', { token: key })
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ detail: 'Successfully logged out.' })
    const after = await call(`${app.url}/user/`, 'GET', { token: key })
    expect(after.status).toBe(403)
    expect(after.body).toEqual({ detail: 'Invalid token.' })
  })

  it('logout: POST without token', async () => {
    const res = await call(`${app.url}/logout/`, 'POST')
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ detail: 'Successfully logged out.' })
  })

  it('token/verify without JWT is not found', async () => {
    const res = await call(`${app.url}/token/verify/`, 'POST', { body: { token: 'x' } })
    expect(res.status).toBe(404)
  })

  it('inactive users cannot log in; deactivation ends their tokens for good', async () => {
    await createUser(app.payload, { email: 'ivy@example.com', username: 'ivy' })
    const login = await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'ivy' } })
    expect(login.status).toBe(200)
    const ivy = await app.payload.find({ collection: 'users', where: { username: { equals: 'ivy' } } })
    await app.payload.update({ collection: 'users', data: { is_active: false } as never, id: ivy.docs[0]!.id })
    const me = await call(`${app.url}/user/`, 'GET', { token: login.body.key })
    expect(me.status).toBe(403)
    // Deviation (README, Compatibility): the token is deleted, not only refused while inactive.
    expect(me.body).toEqual({ detail: 'Invalid token.' })
    const again = await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'ivy' } })
    expect(again.body).toEqual({ non_field_errors: ['Unable to log in with provided credentials.'] })
    await app.payload.update({ collection: 'users', data: { is_active: true } as never, id: ivy.docs[0]!.id })
    expect((await call(`${app.url}/user/`, 'GET', { token: login.body.key })).body).toEqual({ detail: 'Invalid token.' })
  })

  it('deleting a user deletes their tokens, sessions and e-mail addresses', async () => {
    const gus = await createUser(app.payload, { email: 'gus@example.com', username: 'gus' })
    await app.payload.create({ collection: 'email-addresses' as never, data: { email: 'gus@example.com', user: gus.id } as never })
    const login = await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'gus' } })
    expect(login.status).toBe(200)
    await app.payload.delete({ collection: 'users', id: gus.id })
    const where = { user: { equals: gus.id } }
    expect((await app.payload.count({ collection: 'auth-tokens' as never, where })).totalDocs).toBe(0)
    expect((await app.payload.count({ collection: 'email-addresses' as never, where })).totalDocs).toBe(0)
    expect((await call(`${app.url}/user/`, 'GET', { token: login.body.key })).body).toEqual({ detail: 'Invalid token.' })
  })
})
