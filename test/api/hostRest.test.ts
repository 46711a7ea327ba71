import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { HostApp, HostUser } from '../helpers/hostApp.js'
import type { TestApp } from '../helpers/server.js'

import { call } from '../helpers/client.js'
import { testDatabases } from '../helpers/database.js'
import { jwtHeader, startHostApp } from '../helpers/hostApp.js'
import { startTestApp } from '../helpers/server.js'
import { createUser, NEW_PASSWORD, PASSWORD } from '../helpers/users.js'

type Row = Record<string, any>

/**
 * Payload's own REST API over the plugin's users and credentials, attacked as in issue 13 in an app
 * that had its own users, a second auth collection and posts before the plugin came: every attack is
 * refused, and what an admin does there goes through the plugin's rules.
 */
describe.each(testDatabases())('Payload REST in a host app on %s', (db) => {
  let app: HostApp
  let alice: HostUser
  let bob: HostUser

  const users = (path = '') => `${app.apiUrl}/users${path}`
  const stored = async (id: number | string) =>
    (await app.payload.findByID({ collection: 'users', depth: 0, id, showHiddenFields: true })) as unknown as Row
  const canLogIn = async (username: string, password: string) =>
    (await call(`${app.url}/login/`, 'POST', { body: { password, username } })).status === 200
  const addressesOf = async (userId: number | string) =>
    (await app.payload.find({ collection: 'email-addresses' as never, depth: 0, sort: 'email', where: { user: { equals: userId } } })).docs as Row[]

  beforeAll(async () => {
    app = await startHostApp({ db })
    alice = await app.seedUser({ email: 'alice@host.example', nickname: 'Al', username: 'alice' })
    bob = await app.seedUser({ email: 'bob@host.example', username: 'bob' })
  })
  afterAll(async () => app?.close())

  describe('a user of another auth collection with the same id', () => {
    it('cannot read, change or delete user 1, nor use the plugin as that user', async () => {
      const auth = { headers: jwtHeader(app.customer.jwt) }
      expect((await call(users(`/${app.admin.id}`), 'GET', auth)).status).toBe(403)
      const list = await call(users(), 'GET', auth)
      expect(list.status).toBe(403)
      const patch = await call(users(`/${app.admin.id}`), 'PATCH', { ...auth, body: { password: 'Takeover-2026!' } })
      expect(patch.status).toBe(403)
      expect((await call(users(`/${app.admin.id}`), 'DELETE', auth)).status).toBe(403)
      expect(await canLogIn('admin', PASSWORD)).toBe(true)
      expect(await canLogIn('admin', 'Takeover-2026!')).toBe(false)
      expect((await call(`${app.url}/user/`, 'GET', auth)).status).toBe(403)
      expect((await call(`${app.apiUrl}/globals/rest-auth-settings`, 'GET', auth)).status).toBe(403)
      for (const collection of ['auth-tokens', 'email-addresses', 'social-accounts', 'outstanding-tokens', 'login-failures']) {
        const res = await call(`${app.apiUrl}/${collection}`, 'GET', auth)
        expect(res.status, collection).toBe(403)
      }
    })

    it('the Local API with overrideAccess: false refuses the same', async () => {
      const customer = { ...(await app.payload.findByID({ collection: 'customers' as never, id: app.customer.id })), collection: 'customers' }
      await expect(
        app.payload.update({ collection: 'users', data: { nickname: 'pwned' } as never, id: app.admin.id, overrideAccess: false, user: customer }),
      ).rejects.toThrow()
      await expect(app.payload.find({ collection: 'users', overrideAccess: false, user: customer })).rejects.toThrow('You are not allowed')
      expect((await stored(app.admin.id)).nickname ?? null).toBeNull()
    })
  })

  describe('a user on its own record, with a plugin token or Payload JWT', () => {
    it('changes its own fields of the host app and its names', async () => {
      const key = await app.pluginKey('alice')
      const res = await call(users(`/${alice.id}`), 'PATCH', { body: { first_name: 'Alice', nickname: 'Ally', theme: 'dark' }, token: key })
      expect(res.status, res.text).toBe(200)
      expect(res.body.doc).toMatchObject({ first_name: 'Alice', nickname: 'Ally', theme: 'dark' })
      // A client that sends its whole record back unchanged is not changing its e-mail or username.
      const me = (await call(users(`/${alice.id}`), 'GET', { token: key })).body
      const whole = await call(users(`/${alice.id}`), 'PATCH', { body: { ...me, nickname: 'Alicia' }, token: key })
      expect(whole.status, whole.text).toBe(200)
      expect(whole.body.doc.nickname).toBe('Alicia')
    })

    it('cannot set its password, e-mail, username, staff or active flags or last login', async () => {
      const jwt = await app.payloadJwt('alice')
      const key = await app.pluginKey('alice')
      const before = await stored(alice.id)
      const attempts: Row[] = [
        { password: '123' },
        { password: NEW_PASSWORD },
        { email: 'bob@host.example' },
        { email: 'alice-new@host.example' },
        { username: 'alice smith!' },
        { username: 'alice2' },
        { is_staff: true },
        { is_active: false },
        { last_login: '2020-01-01T00:00:00.000Z' },
      ]
      for (const body of attempts) {
        for (const auth of [{ token: key }, { headers: jwtHeader(jwt) }]) {
          const res = await call(users(`/${alice.id}`), 'PATCH', { ...auth, body })
          expect(res.status, JSON.stringify(body)).toBe(403)
          expect(res.body.errors[0].message).toMatch(/^Only an admin may change /)
        }
      }
      const after = await stored(alice.id)
      for (const field of ['email', 'username', 'is_staff', 'is_active', 'last_login', 'hash', 'salt']) {
        expect(after[field], field).toEqual(before[field])
      }
      expect(await canLogIn('alice', PASSWORD)).toBe(true)
      expect(await addressesOf(alice.id)).toEqual([])
    })

    it("cannot read or change another user, create users or make itself staff", async () => {
      const key = await app.pluginKey('alice')
      // Payload answers a row outside the user's access as one that does not exist.
      expect((await call(users(`/${bob.id}`), 'GET', { token: key })).status).toBe(404)
      const list = await call(users(), 'GET', { token: key })
      expect(list.status).toBe(200)
      expect(list.body.docs.map((doc: Row) => doc.username)).toEqual(['alice'])
      expect((await call(users(`/${bob.id}`), 'PATCH', { body: { nickname: 'x' }, token: key })).status).toBe(403)
      const bulk = await call(users('?where[id][exists]=true'), 'PATCH', { body: { nickname: 'everyone' }, token: key })
      expect(bulk.body.docs?.map((doc: Row) => doc.id) ?? []).toEqual([alice.id])
      expect((await stored(bob.id)).nickname ?? null).toBeNull()
      const created = await call(users(), 'POST', { body: { email: 'mallory@host.example', is_staff: true, password: 'Mallory-2026!', username: 'mallory' }, token: key })
      expect(created.status).toBe(403)
      expect((await app.payload.count({ collection: 'users', where: { username: { equals: 'mallory' } } })).totalDocs).toBe(0)
      expect((await call(`${app.apiUrl}/users/unlock`, 'POST', { body: { username: 'bob' }, token: key })).status).toBe(403)
      expect((await call(`${app.apiUrl}/globals/rest-auth-settings`, 'POST', { body: { jwtSigningKey: 'mine' }, token: key })).status).toBe(403)
    })

    it('a post names its author without showing the author to others', async () => {
      const key = await app.pluginKey('alice')
      const post = await call(`${app.apiUrl}/posts`, 'POST', { body: { author: bob.id, title: 'Hello' }, token: key })
      expect(post.status, post.text).toBe(201)
      for (const auth of [{}, { token: key }, { headers: jwtHeader(app.customer.jwt) }]) {
        const res = await call(`${app.apiUrl}/posts/${post.body.doc.id}?depth=1`, 'GET', auth)
        expect(res.status).toBe(200)
        expect(res.body.author).toBe(bob.id)
        expect(res.text).not.toContain('bob@host.example')
      }
      const asAdmin = await call(`${app.apiUrl}/posts/${post.body.doc.id}?depth=1`, 'GET', { headers: jwtHeader(app.adminJwt) })
      expect(asAdmin.body.author.email).toBe('bob@host.example')
      expect(asAdmin.text).not.toMatch(/"hash"|"salt"/)
    })
  })

  describe('credential rows', () => {
    it('a token row its owner deletes through Payload stops working at the next request', async () => {
      const key = await app.pluginKey('alice')
      const other = await app.pluginKey('alice')
      // Warm the token cache: the lookup is cached for tokenCacheTtl.
      expect((await call(`${app.url}/user/`, 'GET', { token: key })).status).toBe(200)
      const rows = (await call(`${app.apiUrl}/auth-tokens?depth=0&limit=100`, 'GET', { token: other })).body.docs as Row[]
      expect(rows.every((row) => row.digest === undefined)).toBe(true)
      const row = rows.find((candidate) => key.startsWith(candidate.prefix))!
      expect((await call(`${app.apiUrl}/auth-tokens/${row.id}`, 'DELETE', { token: other })).status).toBe(200)
      expect(await call(`${app.url}/user/`, 'GET', { token: key })).toMatchObject({ body: { detail: 'Invalid token.' }, status: 403 })
      expect((await call(`${app.url}/user/`, 'GET', { token: other })).status).toBe(200)
    })

    it("nobody but an admin deletes another's token, and social accounts go only through disconnect", async () => {
      const bobKey = await app.pluginKey('bob')
      const aliceKey = await app.pluginKey('alice')
      const bobRows = (await app.payload.find({ collection: 'auth-tokens' as never, depth: 0, where: { user: { equals: bob.id } } })).docs as Row[]
      expect((await call(`${app.apiUrl}/auth-tokens/${bobRows[0]!.id}`, 'DELETE', { token: aliceKey })).status).toBe(403)
      expect((await call(`${app.apiUrl}/auth-tokens/${bobRows[0]!.id}`, 'DELETE', { headers: jwtHeader(app.customer.jwt) })).status).toBe(403)
      expect((await call(`${app.url}/user/`, 'GET', { token: bobKey })).status).toBe(200)
      const social = await app.payload.create({ collection: 'social-accounts' as never, data: { provider: 'github', uid: '42', user: alice.id } as never })
      expect((await call(`${app.apiUrl}/social-accounts/${social.id}`, 'DELETE', { token: aliceKey })).status).toBe(403)
      expect((await call(`${app.apiUrl}/social-accounts/${social.id}`, 'GET', { token: aliceKey })).status).toBe(200)
      // The plugin's disconnect keeps the last way in of an account without a usable password; with one, it goes.
      const disconnect = await call(`${app.url}/socialaccounts/${social.id}/disconnect/`, 'POST', { token: aliceKey })
      expect(disconnect.status, disconnect.text).toBe(200)
    })
  })

  describe('an admin in the dashboard', () => {
    it("sets a password only through the validators, and every credential of that user ends", async () => {
      const admin = { headers: jwtHeader(app.adminJwt) }
      const creds = await app.credentialsOf('bob')
      expect(await app.liveCredentials(creds)).toEqual({ key: true, refresh: true, session: true })
      const weak = await call(users(`/${bob.id}`), 'PATCH', { ...admin, body: { password: 'bob' } })
      expect(weak.status).toBe(400)
      expect(weak.body.errors[0].data.errors.map(({ message, path }: Row) => ({ message, path }))).toEqual([
        { message: 'The password is too similar to the username.', path: 'password' },
        { message: 'This password is too short. It must contain at least 8 characters.', path: 'password' },
        { message: 'This password is too common.', path: 'password' },
      ])
      expect(await canLogIn('bob', PASSWORD)).toBe(true)
      expect(await app.liveCredentials(creds)).toEqual({ key: true, refresh: true, session: true })
      const ok = await call(users(`/${bob.id}`), 'PATCH', { ...admin, body: { password: NEW_PASSWORD } })
      expect(ok.status, ok.text).toBe(200)
      expect(await app.liveCredentials(creds)).toEqual({ key: false, refresh: false, session: false })
      expect(await canLogIn('bob', NEW_PASSWORD)).toBe(true)
      // Payload's own JWT of bob, issued before, ends with the sessions Payload keeps.
      await app.payload.update({ collection: 'users', data: { password: PASSWORD } as never, id: bob.id })
    })

    it('sets usernames by Django’s rule and e-mails that stay consistent with the EmailAddresses rows', async () => {
      const admin = { headers: jwtHeader(app.adminJwt) }
      const badName = await call(users(`/${bob.id}`), 'PATCH', { ...admin, body: { username: 'bob smith!' } })
      expect(badName.status).toBe(400)
      expect(badName.body.errors[0].data.errors[0]).toMatchObject({ path: 'username' })
      await app.payload.create({ collection: 'email-addresses' as never, data: { email: 'shared@host.example', user: alice.id } as never })
      const taken = await call(users(`/${bob.id}`), 'PATCH', { ...admin, body: { email: 'shared@host.example' } })
      expect(taken.status).toBe(400)
      expect(taken.body.errors[0].data.errors[0]).toMatchObject({ message: 'A user is already registered with this e-mail address.', path: 'email' })
      expect((await stored(bob.id)).email).toBe('bob@host.example')

      const first = await call(users(`/${bob.id}`), 'PATCH', { ...admin, body: { email: 'Bob.New@host.example' } })
      expect(first.status, first.text).toBe(200)
      expect((await addressesOf(bob.id)).map(({ email, primary, verified }) => ({ email, primary, verified }))).toEqual([
        { email: 'bob.new@host.example', primary: true, verified: false },
      ])
      await app.payload.update({ collection: 'email-addresses' as never, data: { verified: true } as never, where: { email: { equals: 'bob.new@host.example' } } })
      const second = await call(users(`/${bob.id}`), 'PATCH', { ...admin, body: { email: 'bob@host.example' } })
      expect(second.status, second.text).toBe(200)
      expect((await addressesOf(bob.id)).map(({ email, primary, verified }) => ({ email, primary, verified }))).toEqual([
        { email: 'bob.new@host.example', primary: false, verified: true },
        { email: 'bob@host.example', primary: true, verified: false },
      ])
      const created = await call(users(), 'POST', { ...admin, body: { email: 'carol@host.example', password: NEW_PASSWORD, username: 'carol' } })
      expect(created.status, created.text).toBe(201)
      expect(created.body.doc.is_staff).toBe(false)
      expect((await addressesOf(created.body.doc.id)).map(({ email, primary }) => ({ email, primary }))).toEqual([
        { email: 'carol@host.example', primary: true },
      ])
    })

    it('deactivating a user ends its tokens, sessions, refresh tokens and Payload JWTs at once', async () => {
      const carol = (await app.payload.find({ collection: 'users', where: { username: { equals: 'carol' } } })).docs[0]!
      const creds = await app.credentialsOf('carol', NEW_PASSWORD)
      const carolJwt = await app.payloadJwt('carol', NEW_PASSWORD)
      expect((await call(users('/me'), 'GET', { headers: jwtHeader(carolJwt) })).body.user?.username).toBe('carol')
      const res = await call(users(`/${carol.id}`), 'PATCH', { body: { is_active: false }, headers: jwtHeader(app.adminJwt) })
      expect(res.status, res.text).toBe(200)
      expect(await app.liveCredentials(creds)).toEqual({ key: false, refresh: false, session: false })
      expect((await call(users('/me'), 'GET', { headers: jwtHeader(carolJwt) })).body.user).toBeNull()
      expect((await call(`${app.url}/user/`, 'GET', { headers: jwtHeader(carolJwt) })).status).toBe(403)
      expect((await call(users(`/${carol.id}`), 'GET', { headers: jwtHeader(carolJwt) })).status).toBe(403)
      // Reactivated, the old credentials stay dead.
      await call(users(`/${carol.id}`), 'PATCH', { body: { is_active: true }, headers: jwtHeader(app.adminJwt) })
      expect(await app.liveCredentials(creds)).toEqual({ key: false, refresh: false, session: false })
    })

    it('deleting a user ends everything at once', async () => {
      const dave = await app.seedUser({ email: 'dave@host.example', username: 'dave' })
      const creds = await app.credentialsOf('dave')
      const res = await call(users(`/${dave.id}`), 'DELETE', { headers: jwtHeader(app.adminJwt) })
      expect(res.status, res.text).toBe(200)
      expect(await app.liveCredentials(creds)).toEqual({ key: false, refresh: false, session: false })
    })
  })

  describe('Payload’s own session routes with a plugin credential', () => {
    it('refresh-token does not turn a plugin token into a Payload JWT; logout ends the token', async () => {
      const key = await app.pluginKey('alice')
      const refresh = await call(users('/refresh-token'), 'POST', { token: key })
      expect(refresh.status).toBe(403)
      expect(refresh.body.refreshedToken).toBeUndefined()
      const out = await call(users('/logout'), 'POST', { token: key })
      expect(out.status, out.text).toBe(200)
      expect(await call(`${app.url}/user/`, 'GET', { token: key })).toMatchObject({ status: 403 })
    })

    it('logout with allSessions ends every plugin credential of the user', async () => {
      const creds = await app.credentialsOf('alice')
      const key = await app.pluginKey('alice')
      expect((await call(users('/logout?allSessions=true'), 'POST', { token: key })).status).toBe(200)
      expect(await app.liveCredentials(creds)).toEqual({ key: false, refresh: false, session: false })
    })
  })
})

/** The users collection the plugin creates (the dev app's shape) next to another auth collection. */
describe.each(testDatabases())('the plugin’s own users collection beside customers on %s', (db) => {
  let app: TestApp
  let root: { id: number | string }

  beforeAll(async () => {
    app = await startTestApp({
      config: { admin: { user: 'users' }, collections: [{ slug: 'customers', access: { create: () => true }, auth: true, fields: [] }] },
      db,
    })
    root = await createUser(app.payload, { email: 'root@example.com', is_staff: true, username: 'root' })
    await call(`${app.apiUrl}/customers`, 'POST', { body: { email: 'eve@example.com', password: PASSWORD } })
  })
  afterAll(async () => app?.close())

  it('customer 1 cannot read or take over user 1', async () => {
    const jwt = (await call(`${app.apiUrl}/customers/login`, 'POST', { body: { email: 'eve@example.com', password: PASSWORD } })).body.token
    const auth = { headers: jwtHeader(jwt) }
    expect((await call(`${app.apiUrl}/users/${root.id}`, 'GET', auth)).status).toBe(403)
    expect((await call(`${app.apiUrl}/users/${root.id}`, 'PATCH', { ...auth, body: { password: 'Takeover-2026!' } })).status).toBe(403)
    expect((await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'root' } })).status).toBe(200)
    expect((await call(`${app.apiUrl}/users/login`, 'POST', { body: { password: 'Takeover-2026!', username: 'root' } })).status).toBe(401)
  })
})
