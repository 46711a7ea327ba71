import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { MockProviders } from '../helpers/mockProviders.js'
import type { TestApp } from '../helpers/server.js'

import { call } from '../helpers/client.js'
import { testDatabases } from '../helpers/database.js'
import { startMockProviders } from '../helpers/mockProviders.js'
import { startTestApp } from '../helpers/server.js'
import { createUser, PASSWORD } from '../helpers/users.js'

const STRONG = 'Vq8#mLp2zRt'

/**
 * Usernames are NFKC-normalised (Django's AbstractBaseUser.normalize_username) before they are
 * validated and before the unique index sees them, on every path that sets one: `ａｄｍｉｎ`
 * (full-width) cannot register next to `admin`.
 */
describe.each(testDatabases())('usernames on %s', (db) => {
  let app: TestApp
  let mocks: MockProviders
  let adminToken: string

  const usernames = async () =>
    ((await app.payload.find({ collection: 'users', depth: 0, pagination: false, sort: 'id' })).docs as unknown as { username: string }[]).map(
      (user) => user.username,
    )

  beforeAll(async () => {
    mocks = await startMockProviders()
    app = await startTestApp({ db, plugin: { settings: { ...mocks.settings(), accountEmailVerification: 'none' } as never } })
    await createUser(app.payload, { email: 'admin@example.com', is_staff: true, username: 'admin' })
    adminToken = (await call(`${app.apiUrl}/users/login`, 'POST', { body: { password: PASSWORD, username: 'admin' } })).body.token
  })
  afterAll(async () => {
    await app?.close()
    await mocks?.close()
  })

  it('registration: a full-width twin of an existing name is the same name', async () => {
    const twin = await call(`${app.url}/registration/`, 'POST', {
      body: { email: 'mallory@example.com', password1: STRONG, password2: STRONG, username: 'ａｄｍｉｎ' },
    })
    expect(twin.status).toBe(400)
    expect(twin.body).toEqual({ username: ['A user with that username already exists.'] })
    // A ligature and full-width digits register in their normal form.
    const ligature = await call(`${app.url}/registration/`, 'POST', {
      body: { email: 'finn@example.com', password1: STRONG, password2: STRONG, username: 'ﬁｎｎ２' },
    })
    expect(ligature.status, ligature.text).toBe(204)
    expect(await usernames()).toContain('finn2')
    // And logs in under either spelling.
    expect((await call(`${app.url}/login/`, 'POST', { body: { password: STRONG, username: 'ﬁnn２' } })).status).toBe(200)
  })

  it('user/ PATCH: normalised before the format check and the uniqueness check', async () => {
    await createUser(app.payload, { email: 'pat@example.com', username: 'pat' })
    const key = (await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'pat' } })).body.key
    const taken = await call(`${app.url}/user/`, 'PATCH', { body: { username: 'ＡＤＭＩＮ' }, token: key })
    expect(taken.status).toBe(400)
    expect(taken.body).toEqual({ username: ['A user with that username already exists.'] })
    const renamed = await call(`${app.url}/user/`, 'PATCH', { body: { username: 'ｐａｔ＿ｎｅｗ' }, token: key })
    expect(renamed.status, renamed.text).toBe(200)
    expect(renamed.body.username).toBe('pat_new')
  })

  it("Payload's own routes and the Local API share the rule", async () => {
    const overRest = await call(`${app.apiUrl}/users`, 'POST', {
      body: { email: 'eve@example.com', password: STRONG, username: 'ａｄｍｉｎ' },
      headers: { authorization: `JWT ${adminToken}` },
    })
    expect(overRest.status).toBe(400)
    await expect(
      app.payload.create({ collection: 'users', data: { email: 'eve2@example.com', password: STRONG, username: 'Ａｄｍｉｎ' } as never }),
    ).rejects.toThrow()
    const created = await app.payload.create({ collection: 'users', data: { email: 'kai@example.com', password: STRONG, username: 'ｋａｉ' } as never })
    expect((created as unknown as { username: string }).username).toBe('kai')
    expect((await usernames()).filter((name) => name === 'admin')).toHaveLength(1)
  })

  it('social sign-up: the generated username is normalised and made unique against the normal form', async () => {
    mocks.github.profiles.set('twin', { email: null, id: 7770001, login: 'ａｄｍｉｎ', name: 'Not Admin' })
    mocks.github.emails.set('twin', [{ email: 'twin@example.com', primary: true, verified: true, visibility: 'private' }])
    const res = await call(`${app.url}/github/`, 'POST', { body: { access_token: mocks.github.issueToken('twin') } })
    expect(res.status, res.text).toBe(200)
    const me = await call(`${app.url}/user/`, 'GET', { token: res.body.key })
    expect(me.body.username).toMatch(/^admin\d+$/)
  })
})
