import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { MockMicrosoft } from '../helpers/mockOpenIdProviders.js'
import type { SocialTestApp } from '../helpers/socialApp.js'

import { testDatabases } from '../helpers/database.js'
import { CONSUMERS_TENANT, startMockMicrosoft } from '../helpers/mockOpenIdProviders.js'
import { startSocialApp } from '../helpers/socialApp.js'

type Row = Record<string, any>

const CONTOSO = randomUUID()
const FABRIKAM = randomUUID()

/**
 * Microsoft Entra ID against a stand-in on loopback: the tenant setting (common, organizations,
 * consumers, one tenant) and the issuer each allows, Graph access tokens and whose app they are,
 * and the same account (the `oid`) whether the user comes with an id_token, a code or a Graph token.
 */
describe.each(testDatabases())('Microsoft on %s', (db) => {
  let microsoft: MockMicrosoft
  let t: SocialTestApp

  const refusedIssuer = { non_field_errors: ['The id_token was not issued by Microsoft.'] }
  const login = (body: unknown) => t.post('microsoft/', body)
  const useTenant = (tenant: string) => t.saveSettings({ microsoftTenant: tenant })

  beforeAll(async () => {
    microsoft = await startMockMicrosoft()
    t = await startSocialApp({ db, settings: microsoft.settings('common') })
    microsoft.profiles.set('work', { email: 'dana@contoso.example', givenName: 'Dana', oid: randomUUID(), surname: 'Reyes', tid: CONTOSO, upn: 'dana@contoso.example' })
    microsoft.profiles.set('other', { email: 'eli@fabrikam.example', givenName: 'Eli', oid: randomUUID(), surname: 'Park', tid: FABRIKAM, upn: 'eli@fabrikam.example' })
    microsoft.profiles.set('home', { givenName: 'Flo', oid: randomUUID(), surname: 'Berg', tid: CONSUMERS_TENANT, upn: 'flo@outlook.example' })
  })
  afterAll(async () => {
    await t?.app.close()
    await microsoft?.close()
  })

  it('common: any tenant’s user, each token checked against its own tenant’s issuer', async () => {
    const work = await login({ id_token: microsoft.idToken('work') })
    expect(work.status, work.text).toBe(200)
    expect((await t.api('user/', 'GET', { token: work.body.key })).body).toMatchObject({ email: 'dana@contoso.example', first_name: 'Dana', username: 'dana' })
    expect((await login({ id_token: microsoft.idToken('home') })).status).toBe(200)
    // A token whose issuer names another tenant than its tid.
    expect((await login({ id_token: microsoft.idToken('work', { iss: `${microsoft.baseUrl}/${FABRIKAM}/v2.0` }) })).body).toEqual(refusedIssuer)
    expect((await login({ id_token: microsoft.idToken('work', { claims: { tid: undefined } }) })).body).toEqual(refusedIssuer)
    // Entra ID does not verify addresses.
    const address = (await t.app.payload.find({ collection: 'email-addresses' as never, where: { email: { equals: 'dana@contoso.example' } } })).docs[0] as Row
    expect(address).toMatchObject({ verified: false })
  })

  it('organizations: no personal accounts; consumers: only personal ones', async () => {
    await useTenant('organizations')
    expect((await login({ id_token: microsoft.idToken('work') })).status).toBe(200)
    expect((await login({ id_token: microsoft.idToken('home') })).body).toEqual(refusedIssuer)
    await useTenant('consumers')
    expect((await login({ id_token: microsoft.idToken('home') })).status).toBe(200)
    expect((await login({ id_token: microsoft.idToken('work') })).body).toEqual(refusedIssuer)
    await useTenant('common')
  })

  it('one tenant: its users only', async () => {
    await useTenant(CONTOSO)
    try {
      expect((await login({ id_token: microsoft.idToken('work') })).status).toBe(200)
      expect((await login({ id_token: microsoft.idToken('other') })).body).toEqual(refusedIssuer)
    } finally {
      await useTenant('common')
    }
    expect((await t.saveSettings({ microsoftTenant: 'contoso/../x' }, 400)).text).toContain('A tenant is common, organizations, consumers, or a tenant ID or domain.')
  })

  it('the code flow exchanges at the tenant’s token endpoint; uid is the oid in every flow', async () => {
    const code = await login({ code: microsoft.issueCode('other') })
    expect(code.status, code.text).toBe(200)
    expect(microsoft.received.filter((request) => request.path === '/common/oauth2/v2.0/token').at(-1)!.params.get('client_secret')).toBe(microsoft.secret)
    const graph = await login({ access_token: microsoft.graphToken('other') })
    expect(graph.status, graph.text).toBe(200)
    const idToken = await login({ id_token: microsoft.idToken('other') })
    const pks = await Promise.all([code, graph, idToken].map(async (res) => (await t.api('user/', 'GET', { token: res.body.key })).body.pk))
    expect(new Set(pks).size).toBe(1)
    const accounts = (await t.app.payload.find({ collection: 'social-accounts' as never, where: { provider: { equals: 'microsoft' } } })).docs as Row[]
    expect(accounts.find((account) => account.uid === microsoft.profiles.get('other')!.oid)).toBeTruthy()
  })

  it('Graph access tokens: only our app’s; opaque ones cannot be checked', async () => {
    expect((await login({ access_token: microsoft.graphToken('work', { appid: randomUUID() }) })).body).toEqual({
      non_field_errors: ['Incorrect value', 'The Microsoft access token was not issued to this application.'],
    })
    expect((await login({ access_token: microsoft.graphToken('home', { opaque: true }) })).body).toEqual({
      non_field_errors: ['Incorrect value', 'Microsoft cannot tell which application an access token belongs to; send an id_token or a code.'],
    })
    // A token Graph refuses is refused, whatever it claims.
    const forged = microsoft.graphToken('work').split('.')
    expect((await login({ access_token: `${forged[0]}.${forged[1]}.c2lnbmF0dXJl` })).body).toEqual({
      non_field_errors: ['Incorrect value', 'InvalidAuthenticationToken: Access token validation failure.'],
    })
    await t.saveSettings({ socialCheckTokenAudience: false })
    try {
      expect((await login({ access_token: microsoft.graphToken('home', { opaque: true }) })).status).toBe(200)
    } finally {
      await t.saveSettings({ socialCheckTokenAudience: true })
    }
  })
})
