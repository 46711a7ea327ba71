import jwt from 'jsonwebtoken'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { TestApp } from '../helpers/server.js'

import { deriveSigningKey } from '../../src/jwt/keys.js'
import { call } from '../helpers/client.js'
import { testDatabases } from '../helpers/database.js'
import { startTestApp } from '../helpers/server.js'
import { createUser, PASSWORD } from '../helpers/users.js'

/** Ids no integer column holds (PostgreSQL's `serial` ends at 2147483647), in the forms each route takes. */
const OUT_OF_RANGE = [2147483648, 99999999999, 9007199254740991]

/** A confirmation key naming `id`: well-formed, fresh, with a signature that cannot match. */
const confirmationKey = (id: unknown) =>
  `${Buffer.from(JSON.stringify(id)).toString('base64url')}:${Math.floor(Date.now() / 1000).toString(36)}:${'A'.repeat(43)}`

/**
 * Every place a client's value becomes a database id: a value no row can have is the route's
 * ordinary refusal, never a database error (500 on PostgreSQL).
 */
describe.each(testDatabases())('client values as database ids on %s', (db) => {
  let app: TestApp
  let adminKey: string
  let bob: { id: number | string }
  let bobKey: string
  const admin = (path: string) => `${app.url}/admin/${path}`

  beforeAll(async () => {
    app = await startTestApp({ db })
    await createUser(app.payload, { email: 'root@example.com', is_staff: true, username: 'root' })
    bob = await createUser(app.payload, { email: 'bob@example.com', username: 'bob' })
    await app.payload.create({ collection: 'email-addresses' as never, data: { email: 'bob@example.com', primary: true, user: bob.id, verified: false } as never })
    await app.payload.create({ collection: 'social-accounts' as never, data: { provider: 'github', uid: '1', user: bob.id } as never })
    const login = (username: string) => call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username } })
    adminKey = (await login('root')).body.key
    bobKey = (await login('bob')).body.key
  })
  afterAll(async () => app?.close())

  it('password/reset/confirm/: a uid beyond the id column is an invalid uid (the transcript’s answer)', async () => {
    const confirm = (uid: string) =>
      call(`${app.url}/password/reset/confirm/`, 'POST', { body: { new_password1: PASSWORD, new_password2: PASSWORD, token: 'x-y', uid } })
    for (const uid of ['zzzzzz', '9999999999', 'zzzzzzzzzz', 'ZZZZZZZZZZZZZ', 'zzzzzzzzzzzzzz', '0', '-1', 'zz', '']) {
      const res = await confirm(uid)
      expect(res.status, uid).toBe(400)
      expect(res.body, uid).toEqual(uid === '' ? { uid: ['This field may not be blank.'] } : { uid: ['Invalid value'] })
    }
    // allauth decodes base 36 case-insensitively: the user's own uid in capitals reaches the token check.
    const res = await confirm(Number(bob.id).toString(36).toUpperCase())
    expect(res.body).toEqual({ token: ['Invalid value'] })
  })

  it('registration/verify-email/: a key naming an impossible address is not found', async () => {
    for (const id of [...OUT_OF_RANGE, 0, -1, 'abc', '1e3']) {
      const res = await call(`${app.url}/registration/verify-email/`, 'POST', { body: { key: confirmationKey(id) } })
      expect(res.status, String(id)).toBe(404)
      expect(res.body).toEqual({ detail: 'Not found.' })
    }
  })

  it('socialaccounts/<id>/disconnect/: an impossible id is not found', async () => {
    for (const id of [...OUT_OF_RANGE.map(String), '1e3', 'abc', '00000000000000000001']) {
      const res = await call(`${app.url}/socialaccounts/${id}/disconnect/`, 'POST', { body: {}, token: bobKey })
      expect(res.status, id).toBe(404)
      expect(res.body).toEqual({ detail: 'Not found.' })
    }
  })

  it('the admin routes: impossible ids in the path are not found, in the body an invalid value', async () => {
    for (const id of [...OUT_OF_RANGE, 'abc', '1e3']) {
      expect((await call(admin(`users/${id}/account/`), 'GET', { token: adminKey })).status).toBe(404)
      expect((await call(admin(`users/${bob.id}/email-addresses/${id}/verify/`), 'POST', { body: {}, token: adminKey })).status).toBe(404)
      expect((await call(admin(`users/${bob.id}/social-accounts/${id}/disconnect/`), 'POST', { body: {}, token: adminKey })).status).toBe(404)
    }
    const revoke = (body: Record<string, unknown>) => call(admin(`users/${bob.id}/revoke-tokens/`), 'POST', { body, token: adminKey })
    for (const name of ['token', 'refresh']) {
      for (const id of [0, -1, 'abc', 1e20, '99999999999999999999', 1.5]) {
        const res = await revoke({ [name]: id })
        expect(res.status, `${name} ${id}`).toBe(400)
        expect(res.body).toEqual({ [name]: ['Invalid value'] })
      }
      // Beyond PostgreSQL's serial, an id SQLite can hold: refused there, merely not found here.
      expect((await revoke({ [name]: 2147483648 })).status).toBe(db === 'postgres' ? 400 : 404)
    }
  })

  it('JWT: a signed user_id no row can have names no user', async () => {
    await app.payload.updateGlobal({ data: { useJwt: true } as never, slug: 'rest-auth-settings' as never })
    try {
      const key = deriveSigningKey(app.payload.secret)
      const iat = Math.floor(Date.now() / 1000)
      for (const id of OUT_OF_RANGE) {
        const token = jwt.sign({ token_type: 'access', exp: iat + 300, iat, jti: 'b'.repeat(32), user_id: id }, key, { algorithm: 'HS256' })
        const res = await call(`${app.url}/user/`, 'GET', { headers: { authorization: `Bearer ${token}` } })
        expect(res.status).toBe(401)
        expect(res.body).toEqual({ detail: 'User not found', code: 'user_not_found' })
      }
    } finally {
      await app.payload.updateGlobal({ data: { useJwt: false } as never, slug: 'rest-auth-settings' as never })
    }
  })
})
