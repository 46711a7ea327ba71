import { createHash } from 'node:crypto'
import jwt from 'jsonwebtoken'
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from 'vitest'

import type { MockOpenIdProvider } from '../helpers/mockOpenIdProviders.js'
import type { MockProviders } from '../helpers/mockProviders.js'
import type { SocialTestApp } from '../helpers/socialApp.js'

import { clearKeySets, JWKS_MAX_AGE_MS, JWKS_REFETCH_FLOOR_MS } from '../../src/social/jwks.js'
import { setClock } from '../../src/utilities/clock.js'
import { testDatabases } from '../helpers/database.js'
import { startMockOpenId } from '../helpers/mockOpenIdProviders.js'
import { startMockProviders } from '../helpers/mockProviders.js'
import { startSocialApp } from '../helpers/socialApp.js'

const IOS_CLIENT = 'ios-app.apps.googleusercontent.com'

type Row = Record<string, any>

/**
 * id_token login and connect, as native apps do it (dj-rest-auth's `id_token`, allauth's
 * `{"provider", "token": {...}}`): the signature against the provider's published keys (cached,
 * refetched on rotation, at most once a minute), the issuer, the audience (the web client and the
 * native clients), expiry, and the nonce, which makes a token single-use. Google and a generic
 * OpenID Connect provider (discovered from its issuer) on loopback.
 */
describe.each(testDatabases())('id_token sign-in on %s', (db) => {
  let mocks: MockProviders
  let keycloak: MockOpenIdProvider
  let t: SocialTestApp

  const jwksFetches = () => mocks.google.received.filter((request) => request.path === '/certs').length
  const refused = async (body: unknown, message: string, path = 'google/') => {
    const res = await t.post(path, body)
    expect(res.status, res.text).toBe(400)
    expect(res.body).toEqual({ non_field_errors: [message] })
  }
  const socialRows = async (provider: string) =>
    (await t.app.payload.find({ collection: 'social-accounts' as never, depth: 0, pagination: false, where: { provider: { equals: provider } } })).docs as Row[]

  beforeAll(async () => {
    ;[mocks, keycloak] = await Promise.all([startMockProviders(), startMockOpenId()])
    t = await startSocialApp({
      db,
      settings: { ...mocks.settings(), googleAcceptedClientIds: IOS_CLIENT, oidcProviders: [keycloak.row('keycloak')] },
    })
    mocks.google.profiles.set('ann', { email: 'Ann@example.com', email_verified: true, family_name: 'Lee', given_name: 'Ann', name: 'Ann Lee', sub: '1001' })
    mocks.google.profiles.set('bob', { email: 'bob@example.com', email_verified: true, name: 'Bob Roe', sub: '1002' })
    keycloak.profiles.set('kim', { email: 'kim@example.com', email_verified: true, name: 'Kim Ko', preferred_username: 'kimko', sub: 'f3a1c2d4-0000-4000-8000-000000000001' })
  })
  afterAll(async () => {
    await t?.app.close()
    await Promise.all([mocks?.close(), keycloak?.close()])
  })
  afterEach(() => setClock(null))

  it('an id_token from a mobile SDK signs up, then logs in, the user it names', async () => {
    const first = await t.post('google/', { id_token: mocks.google.idToken('ann') })
    expect(first.status, first.text).toBe(200)
    expect(await t.usernameOf(first.body.key)).toBe('ann')
    const [row] = await socialRows('google')
    expect(row).toMatchObject({ uid: '1001' })
    expect(row!.extra_data).toMatchObject({ email: 'Ann@example.com', iss: mocks.google.issuer, sub: '1001' })
    const address = (await t.app.payload.find({ collection: 'email-addresses' as never, where: { email: { equals: 'ann@example.com' } } })).docs[0] as Row
    expect(address).toMatchObject({ verified: true })
    // Without a nonce a token is not single-use, as Google's own verification guide has it.
    const again = await t.post('google/', { id_token: mocks.google.idToken('ann') })
    expect(again.status).toBe(200)
    // No access token was asked about anywhere.
    expect(mocks.google.received.filter((request) => request.path === '/oauth2/v3/userinfo' || request.path === '/tokeninfo')).toEqual([])
  })

  it('the audience must be the web client or one of the native clients', async () => {
    expect((await t.post('google/', { id_token: mocks.google.idToken('ann', { aud: IOS_CLIENT }) })).status).toBe(200)
    await refused({ id_token: mocks.google.idToken('ann', { aud: 'someone-else.apps.googleusercontent.com' }) }, 'The Google id_token was not issued to this application.')
    // With several audiences, the authorized party must be ours too.
    await refused(
      { id_token: mocks.google.idToken('ann', { aud: [mocks.google.clientId, 'other'], claims: { azp: 'other' } }) },
      'The Google id_token was not issued to this application.',
    )
  })

  it('refuses expired, forged, foreign and unsigned tokens', async () => {
    await refused({ id_token: mocks.google.idToken('ann', { expiresIn: -300 }) }, 'The id_token has expired.')
    await refused({ id_token: mocks.google.idToken('ann', { iss: 'https://accounts.evil.example' }) }, 'The id_token was not issued by Google.')
    // A forger's key under the kid of a published one: the signature does not hold.
    const forgedKey = mocks.google.keys.unpublished()
    const claims = { aud: mocks.google.clientId, email: 'ann@example.com', exp: Math.floor(Date.now() / 1000) + 600, iss: mocks.google.issuer, sub: '1001' }
    const forged = jwt.sign(claims, forgedKey.privateKey, { algorithm: 'RS256', keyid: mocks.google.keys.current(), noTimestamp: true })
    await refused({ id_token: forged }, 'The id_token signature is invalid.')
    // A genuine token whose claims were changed afterwards.
    const [header, , signature] = mocks.google.idToken('bob').split('.')
    const tampered = `${header}.${Buffer.from(JSON.stringify({ ...claims, sub: '1002' })).toString('base64url')}.${signature}`
    await refused({ id_token: tampered }, 'The id_token signature is invalid.')
    await refused({ id_token: mocks.google.keys.sign(claims, { alg: 'none' }) }, 'The id_token is signed with none, which is not accepted.')
    await refused({ id_token: jwt.sign(claims, mocks.google.secret, { algorithm: 'HS256' }) }, 'The id_token is signed with HS256, which is not accepted.')
    await refused({ id_token: 'not-a-jwt' }, 'The id_token is not a well-formed JWT.')
    await refused({ id_token: mocks.google.idToken('ann', { claims: { sub: undefined } }) }, 'The id_token lacks its sub or exp claim.')
  })

  it('a nonce the client sent must be in the token, and a token with a nonce logs in once', async () => {
    const token = mocks.google.idToken('bob', { nonce: 'n-0001' })
    await refused({ id_token: token, nonce: 'n-9999' }, 'The id_token nonce does not match the nonce sent.')
    await refused({ id_token: mocks.google.idToken('bob'), nonce: 'n-0001' }, 'The id_token carries no nonce, but one was sent.')
    const ok = await t.post('google/', { id_token: token, nonce: 'n-0001' })
    expect(ok.status, ok.text).toBe(200)
    // Replayed, with or without its nonce in the body.
    await refused({ id_token: token, nonce: 'n-0001' }, 'This id_token was already used.')
    await refused({ id_token: token }, 'This id_token was already used.')
    // Apple's and Firebase's SDKs put the SHA-256 of the app's raw nonce into the request.
    const hashed = mocks.google.idToken('bob', { nonce: createHash('sha256').update('raw-nonce-1').digest('hex') })
    expect((await t.post('google/', { id_token: hashed, nonce: 'raw-nonce-1' })).status).toBe(200)
  })

  it('parallel replays of one token: exactly one logs in', async () => {
    const token = mocks.google.idToken('bob', { nonce: 'n-race' })
    const results = await Promise.all(Array.from({ length: 6 }, () => t.post('google/', { id_token: token, nonce: 'n-race' })))
    expect(results.map((res) => res.status).sort()).toEqual([200, 400, 400, 400, 400, 400])
    expect(results.filter((res) => res.status === 400).map((res) => res.body)).toEqual(Array(5).fill({ non_field_errors: ['This id_token was already used.'] }))
  })

  it('a code whose exchange answers an id_token: the nonce of the consent request is checked', async () => {
    const code = () => mocks.google.issueCode('ann', { nonce: 'n-web-1' })
    await refused({ code: code(), nonce: 'n-web-2' }, 'The id_token nonce does not match the nonce sent.')
    expect((await t.post('google/', { code: code(), nonce: 'n-web-1' })).status).toBe(200)
  })

  it('keys rotate: an unknown kid refetches the key set, at most once per floor', async () => {
    onTestFinished(() => {
      // The tests after this one sign with a published key, checked against a fresh cache.
      mocks.google.keys.rotate()
      clearKeySets()
    })
    await t.post('google/', { id_token: mocks.google.idToken('ann') })
    const before = jwksFetches()
    const next = mocks.google.keys.rotate()
    const rotated = mocks.google.idToken('ann', { kid: next })
    // Within the floor since the last fetch the key set is not fetched again.
    const start = Date.now()
    setClock(() => start)
    await refused({ id_token: rotated }, 'The id_token is signed with a key that Google does not publish.')
    expect(jwksFetches()).toBe(before)
    // Past it, the unknown kid makes one refetch, which finds the new key.
    setClock(() => start + JWKS_REFETCH_FLOOR_MS + 1000)
    expect((await t.post('google/', { id_token: rotated })).status).toBe(200)
    expect(jwksFetches()).toBe(before + 1)
    // A flood of made-up kids right after costs the provider nothing more.
    const made = await Promise.all(
      Array.from({ length: 5 }, () => t.post('google/', { id_token: mocks.google.idToken('ann', { key: mocks.google.keys.unpublished() }) })),
    )
    expect(made.map((res) => res.status)).toEqual(Array(5).fill(400))
    expect(jwksFetches()).toBe(before + 1)
    // A retired key verifies until the cached set is an hour old; then the set is fetched again.
    mocks.google.keys.retire(next)
    expect((await t.post('google/', { id_token: mocks.google.idToken('ann', { kid: next }) })).status).toBe(200)
    setClock(() => start + JWKS_MAX_AGE_MS + JWKS_REFETCH_FLOOR_MS + 2000)
    await refused({ id_token: mocks.google.idToken('ann', { kid: next }) }, 'The id_token is signed with a key that Google does not publish.')
    expect(jwksFetches()).toBe(before + 2)
  })

  it("allauth's shape: {provider, token: {client_id, id_token}}", async () => {
    const ok = await t.post('google/', { provider: 'google', token: { client_id: IOS_CLIENT, id_token: mocks.google.idToken('ann', { aud: IOS_CLIENT }) } })
    expect(ok.status, ok.text).toBe(200)
    // client_id names the one audience accepted: a token for the web client does not pass as the iOS app's.
    await refused({ token: { client_id: IOS_CLIENT, id_token: mocks.google.idToken('ann') } }, 'The Google id_token was not issued to this application.')
    await refused({ token: { client_id: 'not-ours', id_token: mocks.google.idToken('ann', { aud: 'not-ours' }) } }, 'The Google id_token was not issued to this application.')
    const wrongProvider = await t.post('google/', { provider: 'facebook', token: { client_id: IOS_CLIENT, id_token: 'x' } })
    expect(wrongProvider.body).toEqual({ provider: ['This is not the provider of this URL.'] })
    expect((await t.post('google/', { token: 'abc' })).body).toEqual({ token: ['Must be an object with client_id and an id_token or access_token.'] })
    expect((await t.post('google/', { token: { id_token: 'x' } })).body).toEqual({ token: { client_id: ['This field is required.'] } })
    expect((await t.post('google/', { token: { client_id: IOS_CLIENT } })).body).toEqual({ non_field_errors: ['Incorrect input. id_token or access_token is required.'] })
  })

  it('connect links the id_token’s account to the current user', async () => {
    const key = await t.loginAs('carol')
    mocks.google.profiles.set('carol', { email: 'carol-g@example.com', email_verified: true, name: 'Carol', sub: '1003' })
    const res = await t.post('google/connect/', { id_token: mocks.google.idToken('carol') }, key)
    expect(res.status, res.text).toBe(200)
    expect((await t.api('socialaccounts/', 'GET', { token: key })).body).toEqual([expect.objectContaining({ provider: 'google', uid: '1003' })])
    const login = await t.post('google/', { id_token: mocks.google.idToken('carol') })
    expect(await t.usernameOf(login.body.key)).toBe('carol')
  })

  it('an OpenID Connect provider of the settings: keys and issuer from its discovery document', async () => {
    const res = await t.post('keycloak/', { id_token: keycloak.idToken('kim') })
    expect(res.status, res.text).toBe(200)
    expect(await t.usernameOf(res.body.key)).toBe('kimko')
    expect(keycloak.received.some((request) => request.path === '/.well-known/openid-configuration')).toBe(true)
    await refused({ id_token: keycloak.idToken('kim', { iss: 'https://elsewhere.example' }) }, 'The id_token was not issued by Keycloak.', 'keycloak/')
    // Another provider's token, even a genuine one, is not this provider's.
    await refused({ id_token: mocks.google.idToken('ann') }, 'The id_token is signed with a key that Keycloak does not publish.', 'keycloak/')
  })

  it('providers without id_tokens say so', async () => {
    await refused({ id_token: 'x' }, 'Facebook issues no id_token; send an access_token or a code.', 'facebook/')
  })
})
