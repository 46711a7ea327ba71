import { configToSchema } from '@payloadcms/graphql'
import { sqliteAdapter } from '@payloadcms/db-sqlite'
import { buildConfig } from 'payload'
import { createHash, randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { MockOpenIdProvider } from '../helpers/mockOpenIdProviders.js'
import type { SocialTestApp } from '../helpers/socialApp.js'

import { adminEndpoints } from '../../src/admin/endpoints.js'
import { restAuthEndpoints } from '../../src/endpoints/index.js'
import { restAuthPlugin } from '../../src/index.js'
import { builtinProviderList } from '../../src/providers/index.js'
import { mergeProviderRows } from '../../src/settings/settingsStore.js'
import { ROUTE_SEGMENTS } from '../../src/providers/settingsProblems.js'
import { call } from '../helpers/client.js'
import { consent } from '../helpers/consent.js'
import { testDatabases } from '../helpers/database.js'
import { startMockOpenId } from '../helpers/mockOpenIdProviders.js'
import { CALLBACK_URL, refusedUrl } from '../helpers/mockProviders.js'
import { startSocialApp } from '../helpers/socialApp.js'

type Row = Record<string, any>

/**
 * Generic OpenID Connect providers an admin adds in the settings global (rows of `oidcProviders`),
 * each served under its own slug: discovery, the code flow with HTTP Basic client authentication,
 * userinfo and introspection for access tokens, the rows' validation and write-only secrets, and
 * 404 for a slug that is unknown or disabled.
 */
describe.each(testDatabases())('OpenID Connect providers of the settings on %s', (db) => {
  let keycloak: MockOpenIdProvider
  let okta: MockOpenIdProvider
  let t: SocialTestApp
  let adminHeaders: Record<string, string>

  const savedRows = async () =>
    ((await t.app.payload.findGlobal({ slug: 'rest-auth-settings' as never, overrideAccess: true })) as Row).oidcProviders as Row[]

  beforeAll(async () => {
    ;[keycloak, okta] = await Promise.all([startMockOpenId({ name: 'Keycloak' }), startMockOpenId({ alg: 'ES256', hasIntrospection: false, name: 'Okta' })])
    t = await startSocialApp({ db, settings: {} })
    adminHeaders = { authorization: `JWT ${(await call(`${t.app.apiUrl}/users/login`, 'POST', { body: { password: 'Xk9!pq2mZz', username: 'root' } })).body.token}` }
    keycloak.profiles.set('kim', { email: 'kim@example.com', email_verified: true, family_name: 'Ko', given_name: 'Kim', preferred_username: 'kimko', sub: 'kc-0001' })
    okta.profiles.set('kim', { email: 'kim@example.com', email_verified: false, name: 'Kim Ko', sub: '00u1abcd' })
  })
  afterAll(async () => {
    await t?.app.close()
    await Promise.all([keycloak?.close(), okta?.close()])
  })

  it('before any is added, a slug is an unmounted URL', async () => {
    for (const path of ['keycloak/', 'keycloak/connect/', 'nothing-here/']) {
      const res = await t.post(path, { code: 'x' })
      expect(res.status, path).toBe(404)
      expect(res.body).toEqual({ detail: 'Not found.' })
    }
    // OAuth 1.0a's request_token/ is no route of an OpenID Connect provider at all.
    expect((await t.post('keycloak/request_token/', {})).status).toBe(404)
    expect((await t.api('keycloak/', 'GET')).status).toBe(404)
  })

  it('refuses rows that could not work, each error at its field', async () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [keycloak.row('Key Cloak'), 'oidcProviders.0.slug', 'Lower-case letters, digits, - and _ (at most 50), starting with a letter or digit.'],
      [keycloak.row('login'), 'oidcProviders.0.slug', '"login" is taken by a built-in provider or another route of the API.'],
      [keycloak.row('google'), 'oidcProviders.0.slug', '"google" is taken by a built-in provider or another route of the API.'],
      [keycloak.row('kc', { issuer: '' }), 'oidcProviders.0.issuer', 'An enabled provider needs its issuer URL.'],
      [keycloak.row('kc', { issuer: 'keycloak.example/realms/a' }), 'oidcProviders.0.issuer', 'Must be an absolute http(s) URL.'],
      [keycloak.row('kc', { clientId: '' }), 'oidcProviders.0.clientId', 'An enabled provider needs its client ID.'],
    ]
    for (const [row, path, message] of cases) {
      const res = await t.saveSettings({ oidcProviders: [row] }, 400)
      expect(res.body.errors[0].data.errors).toEqual(expect.arrayContaining([expect.objectContaining({ message, path })]))
    }
    const twice = await t.saveSettings({ oidcProviders: [keycloak.row('kc'), okta.row('kc')] }, 400)
    expect(twice.body.errors[0].data.errors).toEqual([expect.objectContaining({ message: 'Another provider already uses "kc".', path: 'oidcProviders.1.slug' })])
    expect(await savedRows()).toEqual([])
  })

  it('an admin adds two providers; the secrets never come back', async () => {
    await t.saveSettings({ oidcProviders: [keycloak.row('keycloak'), okta.row('okta')] })
    const read = await t.api(`${t.app.apiUrl}/globals/rest-auth-settings`, 'GET', { headers: adminHeaders })
    expect(read.body.oidcProviders.map((row: Row) => row.slug)).toEqual(['keycloak', 'okta'])
    expect(read.text).not.toContain(keycloak.secret)
    expect(read.text).not.toContain(okta.secret)
    expect(read.body.oidcProviders[0]).not.toHaveProperty('secret')
    // OPTIONS describes the view a row's routes are (SocialLoginView: a row has no class of its own).
    const options = await t.api('keycloak/', 'OPTIONS')
    expect(options.body.name).toBe('Social Login')
    expect(Object.keys(options.body.actions.POST)).toEqual(['access_token', 'code', 'id_token', 'code_verifier', 'nonce'])
  })

  it('social/providers/ lists them after the built-in ones, consent page from discovery', async () => {
    const list = (await t.api('social/providers/', 'GET')).body as Row[]
    expect(list.map((entry) => [entry.provider, entry.name])).toEqual([
      ['keycloak', 'Keycloak'],
      ['okta', 'Okta'],
    ])
    const url = new URL(list[0]!.authorization_url)
    expect(`${url.origin}${url.pathname}`).toBe(`${keycloak.issuer}/authorize`)
    expect(Object.fromEntries(url.searchParams)).toEqual({ client_id: keycloak.clientId, redirect_uri: CALLBACK_URL, response_type: 'code', scope: 'openid email profile' })
    expect(JSON.stringify(list)).not.toContain(keycloak.secret)
  })

  it('the code flow: consent → code → exchanged with HTTP Basic → the id_token names the user', async () => {
    const [entry] = (await t.api('social/providers/', 'GET')).body as Row[]
    const verifier = randomBytes(32).toString('base64url')
    const start = new URL(entry!.authorization_url)
    start.searchParams.set('state', 's1')
    start.searchParams.set('nonce', 'n-kc-1')
    start.searchParams.set('code_challenge', createHash('sha256').update(verifier).digest('base64url'))
    start.searchParams.set('code_challenge_method', 'S256')
    const back = await consent(start.toString(), { user: 'kim' })
    const res = await t.post('keycloak/', { code: back.searchParams.get('code'), code_verifier: verifier, nonce: 'n-kc-1' })
    expect(res.status, res.text).toBe(200)
    expect(await t.usernameOf(res.body.key)).toBe('kimko')
    const exchange = keycloak.received.filter((request) => request.path === '/token').at(-1)!
    expect(String(exchange.headers.authorization)).toMatch(/^Basic /)
    expect(exchange.params.has('client_secret')).toBe(false)
    const [account] = (await t.app.payload.find({ collection: 'social-accounts' as never, where: { provider: { equals: 'keycloak' } } })).docs as Row[]
    expect(account).toMatchObject({ uid: 'kc-0001' })
  })

  it('each provider is its own: the same person at two providers is two social accounts', async () => {
    // Okta's address is unverified and already Keycloak-Kim's: refused as for any provider.
    const refused = await t.post('okta/', { id_token: okta.idToken('kim') })
    expect(refused.body).toEqual({ non_field_errors: ['User is already registered with this e-mail address.'] })
    const key = (await t.post('keycloak/', { id_token: keycloak.idToken('kim') })).body.key
    const connected = await t.post('okta/connect/', { id_token: okta.idToken('kim') }, key)
    expect(connected.status, connected.text).toBe(200)
    const accounts = (await t.api('socialaccounts/', 'GET', { token: key })).body as Row[]
    expect(accounts.map((account) => [account.provider, account.uid])).toEqual([
      ['keycloak', 'kc-0001'],
      ['okta', '00u1abcd'],
    ])
  })

  it('access tokens: introspection says whose they are; without it they cannot be checked', async () => {
    const ok = await t.post('keycloak/', { access_token: keycloak.issueAccessToken('kim') })
    expect(ok.status, ok.text).toBe(200)
    expect(keycloak.received.some((request) => request.path === '/userinfo')).toBe(true)
    expect((await t.post('keycloak/', { access_token: keycloak.issueAccessToken('kim', { clientId: 'another-app' }) })).body).toEqual({
      non_field_errors: ['Incorrect value', 'The Keycloak access token was not issued to this application.'],
    })
    expect((await t.post('keycloak/', { access_token: 'never-issued' })).body).toEqual({ non_field_errors: ['Incorrect value', 'The access token is not active.'] })
    expect((await t.post('okta/', { access_token: okta.issueAccessToken('kim') })).body).toEqual({
      non_field_errors: ['Incorrect value', 'Okta cannot tell which application an access token belongs to; send an id_token or a code.'],
    })
    await t.saveSettings({ socialCheckTokenAudience: false })
    try {
      expect((await t.post('okta/', { access_token: okta.issueAccessToken('kim') })).status).toBe(200)
    } finally {
      await t.saveSettings({ socialCheckTokenAudience: true })
    }
  })

  it('a row saved without its secret (as the admin form does) keeps it; the admin route sets it', async () => {
    const rows = await savedRows()
    // The form never has the secret: it saves the rows without it.
    await t.saveSettings({ oidcProviders: rows.map(({ secret: _secret, ...row }) => ({ ...row, label: row.slug === 'keycloak' ? 'Keycloak SSO' : row.label })) })
    expect((await savedRows()).map((row) => row.secret)).toEqual([keycloak.secret, okta.secret])
    expect((await t.post('keycloak/', { code: keycloak.issueCode('kim') })).status).toBe(200)

    const secretRoute = `${t.app.url}/admin/settings/secret/`
    const adminKey = (await t.post('login/', { password: 'Xk9!pq2mZz', username: 'root' })).body.key
    const setTo = (key: string, value: string) => call(secretRoute, 'POST', { body: { key, value }, token: adminKey })
    const keycloakRow = rows.find((row) => row.slug === 'keycloak')!
    expect((await setTo(`oidcProviders.${keycloakRow.id}.secret`, 'wrong-secret')).body).toEqual({ detail: 'ok', isSet: true })
    expect((await t.post('keycloak/', { code: keycloak.issueCode('kim') })).body).toEqual({
      non_field_errors: ['unauthorized_client: Invalid client or Invalid client credentials'],
    })
    expect((await setTo(`oidcProviders.${keycloakRow.id}.secret`, keycloak.secret)).status).toBe(200)
    expect((await t.post('keycloak/', { code: keycloak.issueCode('kim') })).status).toBe(200)
    expect((await setTo('oidcProviders.not-a-row.secret', 'x')).body).toEqual({ key: ['Save the provider first, then set its secret.'] })
    expect((await setTo(`oidcProviders.${keycloakRow.id}.clientId`, 'x')).body).toEqual({ key: ['Invalid value'] })
  })

  it('the endpoint list names each provider’s routes; a disabled one answers 404', async () => {
    const adminKey = (await t.post('login/', { password: 'Xk9!pq2mZz', username: 'root' })).body.key
    const listed = async () =>
      Object.fromEntries(((await call(`${t.app.url}/admin/endpoints/`, 'GET', { token: adminKey })).body.endpoints as Row[]).map((e) => [e.path, e.isEnabled]))
    expect(await listed()).toMatchObject({ '/keycloak/': true, '/keycloak/connect/': true, '/okta/': true, '/google/': false, '/twitter/request_token/': false })
    expect(await listed()).not.toHaveProperty('/keycloak/request_token/')
    const rows = await savedRows()
    await t.saveSettings({ oidcProviders: rows.map(({ secret: _secret, ...row }) => ({ ...row, enabled: row.slug !== 'okta' })) })
    expect(await listed()).toMatchObject({ '/okta/': false, '/keycloak/': true })
    const res = await t.post('okta/', { id_token: okta.idToken('kim') })
    expect(res.status).toBe(404)
    expect((await t.api('social/providers/', 'GET')).body.map((entry: Row) => entry.provider)).toEqual(['keycloak'])
  })

  it('an issuer that cannot be reached: its login answers 400, social/providers/ leaves it out', async () => {
    const rows = await savedRows()
    const down = await refusedUrl('/realms/x')
    await t.saveSettings({ oidcProviders: [...rows.map(({ secret: _secret, ...row }) => row), { ...keycloak.row('down'), issuer: down }] })
    expect((await t.post('down/', { code: 'x' })).body).toEqual({ non_field_errors: ['Could not connect to Keycloak (ECONNREFUSED). Try again later.'] })
    expect((await t.api('social/providers/', 'GET')).body.map((entry: Row) => entry.provider)).toEqual(['keycloak'])
  })

  it('no answer carried a secret', () => {
    const everything = t.answers.map((answer) => answer.text).join('\n')
    expect(everything).not.toContain(keycloak.secret)
    expect(everything).not.toContain(okta.secret)
  })
})

describe('the settings list in GraphQL', () => {
  it('the schema /api/graphql serves builds with it; the nonces of id_tokens stay out', async () => {
    const config = await buildConfig({
      collections: [],
      db: sqliteAdapter({ client: { url: 'file::memory:' } }),
      plugins: [restAuthPlugin()],
      secret: 'graphql-check',
    })
    const types = Object.keys(configToSchema(config).schema.getTypeMap())
    expect(types.filter((name) => /OidcProviders$/.test(name))).not.toEqual([])
    expect(types.filter((name) => /nonce/i.test(name))).toEqual([])
  })
})

describe('OpenID Connect slugs', () => {
  it('may not be the first segment of any other route of the API (nor a built-in provider’s id)', () => {
    const providerIds = new Set(builtinProviderList.map((provider) => provider.id))
    const segments = new Set(
      [...restAuthEndpoints, ...adminEndpoints]
        .map((endpoint) => endpoint.path.split('/')[1]!)
        .filter((segment) => !segment.startsWith(':') && !providerIds.has(segment)),
    )
    expect([...segments].sort()).toEqual([...ROUTE_SEGMENTS].sort())
  })
})

describe('OpenID Connect providers of the plugin options and of the global', () => {
  it('a saved row overrides the option of its slug, taking its secret when it has none; the others follow', () => {
    const base = [
      { clientId: 'a', enabled: true, issuer: 'https://a.example', secret: 'sa', slug: 'a' },
      { clientId: 'b', enabled: true, issuer: 'https://b.example', secret: 'sb', slug: 'b' },
    ]
    expect(mergeProviderRows(undefined, base)).toEqual(base)
    expect(mergeProviderRows([{ clientId: 'a2', enabled: false, id: 'r1', issuer: 'https://a2.example', slug: 'a' }], base)).toEqual([
      { clientId: 'a2', enabled: false, id: 'r1', issuer: 'https://a2.example', secret: 'sa', slug: 'a' },
      base[1],
    ])
  })
})
