import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { Mailbox } from '../helpers/smtp.js'
import type { TestApp } from '../helpers/server.js'

import { loadUserAccount } from '../../src/admin/account.js'
import { builtinProviderCards } from '../../src/admin/socialProviders.js'
import { loadDashboardStats } from '../../src/admin/stats.js'
import { sanitizeOptions } from '../../src/defaults.js'
import { settingKeys } from '../../src/settings/definitions.js'
import { call } from '../helpers/client.js'
import { testDatabases } from '../helpers/database.js'
import { startTestApp } from '../helpers/server.js'
import { startMailbox } from '../helpers/smtp.js'
import { createUser, PASSWORD } from '../helpers/users.js'

const invalidToken = { detail: 'Invalid token.' }
const permissionDenied = { detail: 'You do not have permission to perform this action.' }

/** The admin-only routes behind the admin screens, over HTTP, and the data the screens load. */
describe.each(testDatabases())('admin routes on %s', (db) => {
  let app: TestApp
  let mailbox: Mailbox
  let adminKey: string
  let ann: { id: number | string }
  let bob: { id: number | string }
  const admin = (path: string) => `${app.url}/admin/${path}`
  const login = async (username: string) =>
    (await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username } })).body.key as string
  /** The admin screens' own credential: Payload's login (its JWT), whatever the plugin's mode. */
  const payloadAdmin = async () => ({
    authorization: `JWT ${(await call(`${app.apiUrl}/users/login`, 'POST', { body: { password: PASSWORD, username: 'root' } })).body.token}`,
  })

  beforeAll(async () => {
    mailbox = await startMailbox()
    app = await startTestApp({ config: { email: mailbox.adapter }, db })
    await createUser(app.payload, { email: 'root@example.com', is_staff: true, username: 'root' })
    ann = await createUser(app.payload, { email: 'ann@example.com', username: 'ann' })
    bob = await createUser(app.payload, { email: 'bob@example.com', username: 'bob' })
    for (const [user, email, verified] of [
      [ann, 'ann@example.com', false],
      [bob, 'bob@example.com', true],
    ] as const) {
      await app.payload.create({ collection: 'email-addresses' as never, data: { email, primary: true, user: user.id, verified } as never })
    }
    await app.payload.create({ collection: 'social-accounts' as never, data: { provider: 'github', uid: '1', user: ann.id } as never })
    await app.payload.create({ collection: 'social-accounts' as never, data: { provider: 'github', uid: '2', user: bob.id } as never })
    await app.payload.create({ collection: 'social-accounts' as never, data: { provider: 'google', uid: '3', user: bob.id } as never })
    adminKey = await login('root')
  })
  afterAll(async () => {
    await app?.close()
    await mailbox?.close()
  })

  it('refuses anonymous callers, users who are not admins and cross-site browsers', async () => {
    const annKey = await login('ann')
    expect(await call(admin(`users/${ann.id}/account/`), 'GET')).toMatchObject({
      body: { detail: 'Authentication credentials were not provided.' },
      status: 403,
    })
    expect(await call(admin(`users/${ann.id}/account/`), 'GET', { token: annKey })).toMatchObject({ body: permissionDenied, status: 403 })
    expect(await call(admin(`users/${bob.id}/revoke-tokens/`), 'POST', { body: {}, token: annKey })).toMatchObject({ status: 403 })
    expect(
      await call(admin(`users/${ann.id}/revoke-tokens/`), 'POST', { body: {}, headers: { 'sec-fetch-site': 'cross-site' }, token: adminKey }),
    ).toMatchObject({ body: permissionDenied, status: 403 })
    expect((await call(`${app.url}/user/`, 'GET', { token: annKey })).status).toBe(200)
    expect(await call(admin('users/999999/account/'), 'GET', { token: adminKey })).toMatchObject({ body: { detail: 'Not found.' }, status: 404 })
    expect((await call(admin(`users/${ann.id}/account/`), 'DELETE', { token: adminKey })).status).toBe(405)
  })

  it('lists a user’s addresses, social accounts and active tokens', async () => {
    await login('ann')
    const res = await call(admin(`users/${ann.id}/account/`), 'GET', { token: adminKey })
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('no-store')
    const { account } = res.body
    expect(account.emails).toEqual([{ email: 'ann@example.com', id: expect.anything(), isPrimary: true, isVerified: false }])
    expect(account.socialAccounts).toMatchObject([{ provider: 'github', uid: '1' }])
    // Each login gave a token and (SESSION_LOGIN) a session; the digest never leaves the server.
    expect(account.tokens.map((token: { kind: string }) => token.kind).sort()).toEqual(['session', 'session', 'token', 'token'])
    expect(JSON.stringify(account)).not.toContain('digest')
    expect(account.totalTokens).toBe(4)
  })

  it('revokes one token: the same key is then refused by the API', async () => {
    const key = await login('ann')
    const { account } = (await call(admin(`users/${ann.id}/account/`), 'GET', { token: adminKey })).body
    const token = account.tokens.find((row: { key: string }) => row.key === key.slice(0, 8))
    expect((await call(`${app.url}/user/`, 'GET', { token: key })).status).toBe(200)
    const res = await call(admin(`users/${ann.id}/revoke-tokens/`), 'POST', { body: { token: token.id }, token: adminKey })
    expect(res.status).toBe(200)
    expect(res.body.account.tokens.some((row: { id: unknown }) => row.id === token.id)).toBe(false)
    expect(await call(`${app.url}/user/`, 'GET', { token: key })).toMatchObject({ body: invalidToken, status: 403 })
  })

  it('does not touch another user’s token through a user’s route', async () => {
    const bobKey = await login('bob')
    const { account } = (await call(admin(`users/${bob.id}/account/`), 'GET', { token: adminKey })).body
    const bobToken = account.tokens.find((row: { key: string }) => row.key === bobKey.slice(0, 8))
    const res = await call(admin(`users/${ann.id}/revoke-tokens/`), 'POST', { body: { token: bobToken.id }, token: adminKey })
    expect(res).toMatchObject({ body: { detail: 'Not found.' }, status: 404 })
    expect((await call(`${app.url}/user/`, 'GET', { token: bobKey })).status).toBe(200)
    expect((await call(admin(`users/${ann.id}/revoke-tokens/`), 'POST', { body: { token: 'x' }, token: adminKey })).status).toBe(400)
  })

  it('lists credentials with their session and ends one session with all its credentials', async () => {
    const res = await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'ann' }, headers: { 'user-agent': 'curl/8.5.0' } })
    const key = res.body.key as string
    const { account } = (await call(admin(`users/${ann.id}/account/`), 'GET', { token: adminKey })).body
    const token = account.tokens.find((row: { key: string }) => row.key === key.slice(0, 8))
    const session = account.sessions.find((row: { id: string }) => row.id === token.session)
    expect(session).toMatchObject({ device: 'curl', methods: ['password'] })
    // The cookie session of the same login hangs on the same session.
    expect(account.tokens.filter((row: { session: string }) => row.session === session.id).map((row: { kind: string }) => row.kind).sort()).toEqual([
      'session',
      'token',
    ])
    const bobKey = await login('bob')
    const bobAccount = (await call(admin(`users/${bob.id}/account/`), 'GET', { token: adminKey })).body.account
    const wrongUser = await call(admin(`users/${ann.id}/revoke-tokens/`), 'POST', { body: { session: bobAccount.sessions[0].id }, token: adminKey })
    expect(wrongUser).toMatchObject({ body: { detail: 'Not found.' }, status: 404 })
    expect((await call(`${app.url}/user/`, 'GET', { token: bobKey })).status).toBe(200)
    const revoked = await call(admin(`users/${ann.id}/revoke-tokens/`), 'POST', { body: { session: session.id }, token: adminKey })
    expect(revoked.status).toBe(200)
    expect(revoked.body.account.sessions.some((row: { id: string }) => row.id === session.id)).toBe(false)
    expect(revoked.body.account.tokens.some((row: { session: string }) => row.session === session.id)).toBe(false)
    expect(await call(`${app.url}/user/`, 'GET', { token: key })).toMatchObject({ body: invalidToken, status: 403 })
    const again = await call(admin(`users/${ann.id}/revoke-tokens/`), 'POST', { body: { session: session.id }, token: adminKey })
    expect(again.status).toBe(404)
  })

  it('revokes every token and session at once', async () => {
    const keys = [await login('ann'), await login('ann')]
    const res = await call(admin(`users/${ann.id}/revoke-tokens/`), 'POST', { body: {}, token: adminKey })
    expect(res.status).toBe(200)
    expect(res.body.account.tokens).toEqual([])
    expect(res.body.account.sessions).toEqual([])
    for (const key of keys) {
      expect(await call(`${app.url}/user/`, 'GET', { token: key })).toMatchObject({ body: invalidToken, status: 403 })
    }
    expect((await call(`${app.url}/user/`, 'GET', { token: adminKey })).status).toBe(200)
  })

  it('resends the confirmation mail and marks an address verified', async () => {
    const { account } = (await call(admin(`users/${ann.id}/account/`), 'GET', { token: adminKey })).body
    const addressId = account.emails[0].id
    const since = mailbox.messages.length
    const resent = await call(admin(`users/${ann.id}/email-addresses/${addressId}/resend-confirmation/`), 'POST', { body: {}, token: adminKey })
    expect(resent.status).toBe(200)
    const mail = await mailbox.waitFor('ann@example.com', { since })
    expect(mail.text).toContain('/account-confirm-email/')

    // An address of another user is not reachable through ann's route.
    const bobAddress = (await call(admin(`users/${bob.id}/account/`), 'GET', { token: adminKey })).body.account.emails[0].id
    expect((await call(admin(`users/${ann.id}/email-addresses/${bobAddress}/verify/`), 'POST', { body: {}, token: adminKey })).status).toBe(404)

    const verified = await call(admin(`users/${ann.id}/email-addresses/${addressId}/verify/`), 'POST', { body: {}, token: adminKey })
    expect(verified.status).toBe(200)
    expect(verified.body.account.emails[0]).toMatchObject({ isVerified: true })
  })

  it('disconnects a social account', async () => {
    const { account } = (await call(admin(`users/${ann.id}/account/`), 'GET', { token: adminKey })).body
    const res = await call(admin(`users/${ann.id}/social-accounts/${account.socialAccounts[0].id}/disconnect/`), 'POST', {
      body: {},
      token: adminKey,
    })
    expect(res.status).toBe(200)
    expect(res.body.account.socialAccounts).toEqual([])
    const { totalDocs } = await app.payload.count({ collection: 'social-accounts' as never, where: { user: { equals: ann.id } } })
    expect(totalDocs).toBe(0)
  })

  it('lists the endpoints the saved settings enable, with full URLs', async () => {
    const res = await call(admin('endpoints/'), 'GET', { token: adminKey })
    expect(res.status).toBe(200)
    const byPath = Object.fromEntries(res.body.endpoints.map((e: { path: string }) => [e.path, e]))
    expect(byPath['/login/']).toEqual({ isEnabled: true, methods: ['POST'], path: '/login/', url: `${app.url}/login/` })
    expect(byPath['/user/'].methods).toEqual(['GET', 'PUT', 'PATCH'])
    expect(byPath['/token/refresh/'].isEnabled).toBe(false)
    await app.payload.updateGlobal({ slug: 'rest-auth-settings' as never, data: { useJwt: true } as never })
    // With USE_JWT only access tokens authenticate (authenticationClasses' default); the admin's own session still does.
    const after = await call(admin('endpoints/'), 'GET', { headers: await payloadAdmin() })
    expect(after.body.endpoints.find((e: { path: string }) => e.path === '/token/refresh/').isEnabled).toBe(true)
    await app.payload.updateGlobal({ slug: 'rest-auth-settings' as never, data: { useJwt: false } as never })
  })

  it('blacklists one JWT refresh token of the user', async () => {
    await app.payload.updateGlobal({ slug: 'rest-auth-settings' as never, data: { useJwt: true } as never })
    try {
      const jwtLogin = await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'bob' }, headers: { 'x-rest-auth-cookieless': '1' } })
      expect(jwtLogin.body.refresh).toEqual(expect.any(String))
      const headers = await payloadAdmin()
      const { account } = (await call(admin(`users/${bob.id}/account/`), 'GET', { headers })).body
      const refreshRows = account.tokens.filter((row: { kind: string }) => row.kind === 'refresh')
      expect(refreshRows).toHaveLength(1)
      const res = await call(admin(`users/${bob.id}/revoke-tokens/`), 'POST', { body: { refresh: refreshRows[0].id }, headers })
      expect(res.body.account.tokens.filter((row: { kind: string }) => row.kind === 'refresh')).toEqual([])
      const refreshed = await call(`${app.url}/token/refresh/`, 'POST', { body: { refresh: jwtLogin.body.refresh } })
      expect(refreshed.status).toBe(401)
    } finally {
      await app.payload.updateGlobal({ slug: 'rest-auth-settings' as never, data: { useJwt: false } as never })
    }
  })

  it('sets and clears a write-only setting, which the settings API never returns', async () => {
    const annKey = await login('ann')
    const url = admin('settings/secret/')
    expect((await call(url, 'POST', { body: { key: 'jwtSigningKey', value: 'x' }, token: annKey })).status).toBe(403)
    expect(await call(url, 'POST', { body: { key: 'useJwt', value: 'x' }, token: adminKey })).toMatchObject({
      body: { key: ['Invalid value'] },
      status: 400,
    })
    const key = 'k'.repeat(48)
    expect(await call(url, 'POST', { body: { key: 'jwtSigningKey', value: key }, token: adminKey })).toMatchObject({
      body: { detail: 'ok', isSet: true },
      status: 200,
    })
    const saved = (await app.payload.findGlobal({ slug: 'rest-auth-settings' as never, overrideAccess: true })) as Record<string, unknown>
    expect(saved.jwtSigningKey).toBe(key)
    const overApi = await call(`${app.apiUrl}/globals/rest-auth-settings`, 'GET', { token: adminKey })
    expect(overApi.status).toBe(200)
    expect(overApi.text).not.toContain(key)
    expect((await call(url, 'POST', { body: { key: 'jwtSigningKey', value: '' }, token: adminKey })).body.isSet).toBe(false)
  })

  it('counts what the dashboard shows', async () => {
    // A verified secondary address does not make root a verified user (login and the users list look at the primary one).
    const root = (await app.payload.find({ collection: 'users', where: { username: { equals: 'root' } } })).docs[0]!
    await app.payload.create({ collection: 'email-addresses' as never, data: { email: 'root-old@example.com', primary: false, user: root.id, verified: true } as never })
    const stats = await loadDashboardStats({ options: sanitizeOptions(), payload: app.payload })
    expect(stats).toMatchObject({
      activeRefreshTokens: 0,
      signUpsLastWeek: 3,
      socialAccountsByProvider: [
        { count: 1, provider: 'github' },
        { count: 1, provider: 'google' },
      ],
      users: 3,
      verifiedUsers: 2,
    })
    expect(stats.activeTokens).toBeGreaterThan(0)
    const account = await loadUserAccount({ options: sanitizeOptions(), payload: app.payload, userId: bob.id })
    expect(account.socialAccounts.map((row) => row.provider)).toEqual(['github', 'google'])
  })
})

describe('admin configuration', () => {
  it('merges the plugin’s translations and keeps the app’s own', async () => {
    const { restAuthPlugin } = await import('../../src/index.js')
    const config = restAuthPlugin()({
      collections: [],
      i18n: { translations: { en: { 'plugin-rest-auth': { 'tab-endpoints': 'Routes' } } as never, de: { general: { cancel: 'Nein' } } as never } },
    } as never)
    const en = (config.i18n?.translations as Record<string, Record<string, Record<string, string>>>).en!['plugin-rest-auth']!
    expect(en['tab-endpoints']).toBe('Routes')
    expect(en['stat-users']).toBe('Users')
    expect(en['setting-useJwt-description']).toContain('JSON Web Tokens')
    expect((config.i18n?.translations as Record<string, unknown>).de).toEqual({ general: { cancel: 'Nein' } })
    expect(config.admin?.components?.beforeDashboard).toEqual([expect.objectContaining({ path: 'payload-rest-auth/rsc#DashboardStats' })])
  })

  it('draws the admin’s login screen (with its second-factor step) unless the app has its own or logs in elsewhere', async () => {
    const { restAuthPlugin } = await import('../../src/index.js')
    const loginView = (config: Record<string, unknown>) =>
      restAuthPlugin()({ collections: [], ...config } as never).admin?.components?.views?.login
    expect(loginView({})).toEqual({ Component: 'payload-rest-auth/rsc#AdminLoginView' })
    expect(loginView({ admin: { user: 'users' } })).toEqual({ Component: 'payload-rest-auth/rsc#AdminLoginView' })
    // The app's own login screen stays; so does Payload's for an admin of another collection.
    const own = { Component: './MyLogin#MyLogin' }
    expect(loginView({ admin: { components: { views: { login: own } } } })).toBe(own)
    expect(loginView({ admin: { user: 'staff' }, collections: [{ auth: true, fields: [], slug: 'staff' }] })).toBeUndefined()
    // Other custom views are kept beside it.
    const custom = { Component: './Report#Report', path: '/report' as const }
    const views = restAuthPlugin()({ admin: { components: { views: { report: custom } } }, collections: [] } as never).admin?.components?.views
    expect(views).toEqual({ login: { Component: 'payload-rest-auth/rsc#AdminLoginView' }, report: custom })
  })

  it('lists every admin component in the dev app’s import map (npm run generate:importmap)', async () => {
    const { readFileSync } = await import('node:fs')
    const { componentPaths } = await import('../../src/admin/components.js')
    const importMap = readFileSync(new URL('../../dev/app/(payload)/admin/importMap.js', import.meta.url), 'utf8')
    for (const path of Object.values(componentPaths)) {
      expect(importMap).toContain(`"${path}"`)
    }
  })

  it('adds no components and no admin routes when disabled', async () => {
    const { restAuthPlugin } = await import('../../src/index.js')
    const config = restAuthPlugin({ enabled: false })({ collections: [] } as never)
    expect(config.admin?.components?.beforeDashboard).toBeUndefined()
    expect(config.endpoints ?? []).toEqual([])
    const users = config.collections!.find((c) => c.slug === 'users')!
    expect(users.fields.some((field) => 'name' in field && field.name === 'restAuthAccount')).toBe(false)
  })

  it('makes one provider card per built-in provider from what it declares, every key a setting', () => {
    const cards = builtinProviderCards()
    expect(cards.map((card) => card.id)).toEqual(['facebook', 'google', 'github', 'twitter', 'apple', 'microsoft'])
    for (const card of cards) {
      for (const key of [card.clientIdKey, card.enabledKey, card.callbackUrlKey, card.secretKey]) {
        expect(settingKeys).toContain(key)
      }
    }
    expect(cards.find((card) => card.id === 'apple')).toMatchObject({ label: 'Apple', secretKey: 'applePrivateKey' })
  })
})
