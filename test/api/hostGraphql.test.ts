import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { HostApp, HostUser } from '../helpers/hostApp.js'

import { call } from '../helpers/client.js'
import { testDatabases } from '../helpers/database.js'
import { gqlId, jwtHeader, startHostApp } from '../helpers/hostApp.js'

type Row = Record<string, any>

const messagesOf = (body: { errors?: { message: string }[] }) => (body.errors ?? []).map((error) => error.message)

/**
 * Payload's GraphQL (`POST /api/graphql`, served as the Next.js route serves it) with the plugin
 * installed: the schema builds, and queries and mutations obey the same rules as REST.
 */
describe.each(testDatabases())('Payload GraphQL in a host app on %s', (db) => {
  let app: HostApp
  let alice: HostUser
  let bob: HostUser
  let aliceKey: string
  let bobKey: string

  const asAlice = () => ({ headers: { authorization: `Token ${aliceKey}` } })

  beforeAll(async () => {
    app = await startHostApp({ db })
    alice = await app.seedUser({ email: 'alice@host.example', username: 'alice' })
    bob = await app.seedUser({ email: 'bob@host.example', username: 'bob' })
    aliceKey = await app.pluginKey('alice')
    bobKey = await app.pluginKey('bob')
    for (const [user, email] of [
      [alice, 'alice@host.example'],
      [bob, 'bob@host.example'],
    ] as const) {
      await app.payload.create({ collection: 'email-addresses' as never, data: { email, primary: true, user: user.id } as never })
    }
  })
  afterAll(async () => app?.close())

  it('the schema builds: { __typename } answers 200, the plugin’s types have their own names', async () => {
    const res = await app.gql('{ __typename }')
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ data: { __typename: 'Query' } })
    const types = await app.gql('{ __schema { types { name } } }')
    const names = (types.body.data.__schema.types as { name: string }[]).map((type) => type.name)
    expect(names).toEqual(expect.arrayContaining(['EmailAddress', 'RestAuthEmailAddress', 'RestAuthToken', 'RestAuthSocialAccount', 'RestAuthSettings', 'User']))
  })

  it('a user reads its own document, not another user’s', async () => {
    const own = await app.gql(`{ User(id: ${gqlId(alice.id)}) { username email } }`, asAlice())
    expect(own.body.data.User).toEqual({ email: 'alice@host.example', username: 'alice' })
    const other = await app.gql(`{ User(id: ${gqlId(bob.id)}) { username email } }`, asAlice())
    expect(other.body.data?.User ?? null).toBeNull()
    expect(messagesOf(other.body)).toEqual(['Not Found'])
    const list = await app.gql('{ Users { docs { username } } }', asAlice())
    expect(list.body.data.Users.docs).toEqual([{ username: 'alice' }])
    const customer = await app.gql(`{ User(id: ${gqlId(app.admin.id)}) { username } Users { docs { username } } }`, { headers: jwtHeader(app.customer.jwt) })
    expect(customer.body.data?.User ?? null).toBeNull()
    expect(messagesOf(customer.body)).toContain('You are not allowed to perform this action.')
  })

  it('a user cannot query another user’s tokens or addresses, nor the settings', async () => {
    const tokens = await app.gql('{ RestAuthTokens(limit: 100) { docs { id prefix digest user { id } } } }', asAlice())
    const rows = tokens.body.data.RestAuthTokens.docs as Row[]
    expect(rows.length).toBeGreaterThan(0)
    expect(rows.every((row) => row.user.id === alice.id && row.digest === null)).toBe(true)
    const bobRow = (await app.payload.find({ collection: 'auth-tokens' as never, where: { user: { equals: bob.id } } })).docs[0]!
    const direct = await app.gql(`{ RestAuthToken(id: ${gqlId(bobRow.id)}) { id prefix } }`, asAlice())
    expect(direct.body.data?.RestAuthToken ?? null).toBeNull()
    const addresses = await app.gql('{ RestAuthEmailAddresses { docs { email } } }', asAlice())
    expect(addresses.body.data.RestAuthEmailAddresses.docs).toEqual([{ email: 'alice@host.example' }])
    const settings = await app.gql('{ RestAuthSettings { useJwt jwtSigningKey } }', asAlice())
    expect(settings.body.data?.RestAuthSettings ?? null).toBeNull()
    expect(messagesOf(settings.body)).toEqual(['You are not allowed to perform this action.'])
    const asCustomer = await app.gql('{ RestAuthTokens { docs { id } } RestAuthEmailAddresses { docs { email } } }', { headers: jwtHeader(app.customer.jwt) })
    expect(asCustomer.body.data?.RestAuthTokens ?? null).toBeNull()
    expect(asCustomer.body.data?.RestAuthEmailAddresses ?? null).toBeNull()
    const asAdmin = await app.gql('{ RestAuthSettings { useJwt jwtSigningKey } }', { headers: jwtHeader(app.adminJwt) })
    expect(asAdmin.body.data.RestAuthSettings).toEqual({ jwtSigningKey: null, useJwt: false })
  })

  it('mutations: no password, e-mail or staff flag of one’s own, nothing of another’s, no settings', async () => {
    const password = await app.gql(`mutation { updateUser(id: ${gqlId(alice.id)}, data: { password: "123" }) { id } }`, asAlice())
    expect(messagesOf(password.body)[0]).toMatch(/^Only an admin may change password here/)
    const staff = await app.gql(`mutation { updateUser(id: ${gqlId(alice.id)}, data: { is_staff: true, email: "boss@host.example" }) { id } }`, asAlice())
    expect(messagesOf(staff.body)[0]).toMatch(/^Only an admin may change email, is_staff here/)
    const takeover = await app.gql(`mutation { updateUser(id: ${gqlId(app.admin.id)}, data: { password: "Takeover-2026!" }) { id } }`, {
      headers: jwtHeader(app.customer.jwt),
    })
    expect(messagesOf(takeover.body)).toEqual(['You are not allowed to perform this action.'])
    const settings = await app.gql('mutation { updateRestAuthSettings(data: { registrationOpen: false }) { registrationOpen } }', asAlice())
    expect(messagesOf(settings.body)).toEqual(['You are not allowed to perform this action.'])
    const stored = (await app.payload.findByID({ collection: 'users', id: alice.id })) as Row
    expect(stored).toMatchObject({ email: 'alice@host.example', is_staff: false })
    expect((await call(`${app.url}/login/`, 'POST', { body: { password: 'Takeover-2026!', username: 'admin' } })).status).toBe(400)
    const own = await app.gql(`mutation { updateUser(id: ${gqlId(alice.id)}, data: { nickname: "Al" }) { nickname } }`, asAlice())
    expect(own.body.data.updateUser).toEqual({ nickname: 'Al' })
  })

  it('a token deleted through GraphQL by its owner stops working at the next request', async () => {
    expect((await call(`${app.url}/user/`, 'GET', { token: bobKey })).status).toBe(200)
    const row = (await app.payload.find({ collection: 'auth-tokens' as never, where: { user: { equals: bob.id } } })).docs[0]!
    const foreign = await app.gql(`mutation { deleteRestAuthToken(id: ${gqlId(row.id)}) { id } }`, asAlice())
    expect(foreign.body.data?.deleteRestAuthToken ?? null).toBeNull()
    expect((await call(`${app.url}/user/`, 'GET', { token: bobKey })).status).toBe(200)
    const own = await app.gql(`mutation { deleteRestAuthToken(id: ${gqlId(row.id)}) { id } }`, { headers: { authorization: `Token ${bobKey}` } })
    expect(own.body.data.deleteRestAuthToken).toEqual({ id: row.id })
    expect(await call(`${app.url}/user/`, 'GET', { token: bobKey })).toMatchObject({ body: { detail: 'Invalid token.' }, status: 403 })
  })
})
