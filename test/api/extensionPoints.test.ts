import jwt from 'jsonwebtoken'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { RegistrationField, RestAuthUser } from '../../src/index.js'
import type { TestApp } from '../helpers/server.js'

import { restAuthPlugin } from '../../src/index.js'
import { fieldErrors } from '../../src/errors/RestAuthError.js'
import { call } from '../helpers/client.js'
import { testDatabases } from '../helpers/database.js'
import { startTestApp } from '../helpers/server.js'
import { createUser, PASSWORD } from '../helpers/users.js'

const phoneField: RegistrationField = {
  name: 'phone',
  required: true,
  save: async ({ req, user, value }) => {
    if (value === '+10000000000') {
      // A refusal found only while saving: the sign-up must be undone with it.
      throw fieldErrors({ phone: ['This number is blocked.'] })
    }
    await req.payload.create({ collection: 'profiles' as never, data: { phone: value, user: user.id } as never, req })
  },
  validate: ({ value }) => (typeof value === 'string' && /^\+\d{8,15}$/.test(value) ? undefined : ['Enter a phone number like +4915112345678.']),
}

const firstNameField: RegistrationField = {
  name: 'first_name',
  save: async ({ req, user, value }) => {
    await req.payload.update({ collection: 'users', data: { first_name: String(value) }, id: user.id, req })
  },
}

/**
 * dj-rest-auth's serializer settings as typed options: registrationFields (REGISTER_SERIALIZER with
 * custom_signup) and jwtClaims (JWT_TOKEN_CLAIMS_SERIALIZER), over HTTP on a real database.
 */
describe.each(testDatabases())('extension points on %s', (db) => {
  let app: TestApp
  const register = (body: Record<string, unknown>) => call(`${app.url}/registration/`, 'POST', { body })
  const usersNamed = async (username: string) =>
    (await app.payload.find({ collection: 'users', where: { username: { equals: username } } })).docs as RestAuthUser[]

  beforeAll(async () => {
    app = await startTestApp({
      config: {
        collections: [
          {
            slug: 'profiles',
            fields: [
              { name: 'user', type: 'relationship', relationTo: 'users', required: true },
              { name: 'phone', type: 'text' },
            ],
          },
        ],
      },
      db,
      plugin: {
        jwtClaims: ({ user }) => ({ roles: user.is_staff ? ['staff'] : ['member'], user_id: 'forged', username: user.username }),
        registrationFields: [phoneField, firstNameField],
        settings: { accountEmailVerification: 'none' },
      },
    })
    await createUser(app.payload, { email: 'root@example.com', is_staff: true, username: 'root' })
  })
  afterAll(async () => app?.close())

  describe('registrationFields', () => {
    it('a required extra field is asked for, and checked, with the other fields', async () => {
      const missing = await register({ email: 'pat@example.com', password1: PASSWORD, password2: PASSWORD, username: 'pat' })
      expect(missing.status).toBe(400)
      expect(missing.body).toEqual({ phone: ['This field is required.'] })
      const bad = await register({ email: 'bad', password1: PASSWORD, password2: PASSWORD, phone: '12', username: 'pat' })
      expect(bad.body).toEqual({ email: ['Enter a valid email address.'], phone: ['Enter a phone number like +4915112345678.'] })
      expect(await usersNamed('pat')).toEqual([])
    })

    it('saves the extra fields with the new user, in one transaction', async () => {
      const res = await register({
        email: 'pat@example.com',
        first_name: 'Pat',
        password1: PASSWORD,
        password2: PASSWORD,
        phone: '+4915112345678',
        username: 'pat',
      })
      // 204 with a session (SESSION_LOGIN), as dj-rest-auth answers without a token in the body.
      expect(res.status, res.text).toBe(204)
      const [user] = await usersNamed('pat')
      expect(user!.first_name).toBe('Pat')
      const profiles = await app.payload.find({ collection: 'profiles' as never, where: { user: { equals: user!.id } } })
      expect(profiles.docs.map((doc) => (doc as unknown as { phone: string }).phone)).toEqual(['+4915112345678'])
    })

    it('a refusal while saving undoes the whole sign-up', async () => {
      const res = await register({ email: 'blocked@example.com', password1: PASSWORD, password2: PASSWORD, phone: '+10000000000', username: 'blocked' })
      expect(res.status).toBe(400)
      expect(res.body).toEqual({ phone: ['This number is blocked.'] })
      expect(await usersNamed('blocked')).toEqual([])
      const addresses = await app.payload.find({ collection: 'email-addresses' as never, where: { email: { equals: 'blocked@example.com' } } })
      expect(addresses.docs).toEqual([])
    })

    it('a field named like one of registration’s own is a configuration error', () => {
      expect(() => restAuthPlugin({ registrationFields: [{ name: 'email', save: () => undefined }] })({ collections: [] } as never)).toThrow(
        /registrationFields: "email" is one of registration's own fields/,
      )
    })
  })

  describe('jwtClaims', () => {
    it('adds the claims to the refresh token and every access token made from it; simplejwt’s stay', async () => {
      const user = await createUser(app.payload, { email: 'jo@example.com', username: 'jo' })
      await app.payload.updateGlobal({ data: { useJwt: true } as never, slug: 'rest-auth-settings' as never })
      try {
        const login = await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'jo' }, headers: { 'x-rest-auth-cookieless': '1' } })
        expect(login.status, login.text).toBe(200)
        for (const token of [login.body.access, login.body.refresh]) {
          const claims = jwt.decode(token) as Record<string, unknown>
          expect(claims).toMatchObject({ roles: ['member'], user_id: user.id, username: 'jo' })
        }
        const refreshed = await call(`${app.url}/token/refresh/`, 'POST', { body: { refresh: login.body.refresh } })
        expect(refreshed.status, refreshed.text).toBe(200)
        expect(jwt.decode(refreshed.body.access)).toMatchObject({ roles: ['member'], token_type: 'access', user_id: user.id, username: 'jo' })
        const me = await call(`${app.url}/user/`, 'GET', { headers: { authorization: `Bearer ${refreshed.body.access}` } })
        expect(me.body.username).toBe('jo')
      } finally {
        await app.payload.updateGlobal({ data: { useJwt: false } as never, slug: 'rest-auth-settings' as never })
      }
    })
  })
})
