import type { AddressInfo, Socket } from 'node:net'

import { createHash } from 'node:crypto'
import { createServer } from 'node:net'
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest'

import type { ApiResponse, CallOptions } from '../helpers/client.js'
import type { MockProviders } from '../helpers/mockProviders.js'
import type { TestApp } from '../helpers/server.js'

import { setProviderTimeout } from '../../src/social/providerCalls.js'
import { call } from '../helpers/client.js'
import { testDatabases } from '../helpers/database.js'
import { CALLBACK_URL, refusedUrl, startMockProviders } from '../helpers/mockProviders.js'
import { startTestApp } from '../helpers/server.js'
import { createUser, PASSWORD } from '../helpers/users.js'

type Row = Record<string, any>

/** DRF's DateTimeField: microseconds (or none) and Z. */
const DRF_DATETIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?Z$/

/**
 * Social login and connect over HTTP against local stand-ins for Google, Facebook, GitHub and
 * Twitter: both OAuth 2 flows, OAuth 1.0a, sign-up and repeat login, connect, list, disconnect, the
 * providers' refusals, and that no client secret ever leaves the server.
 */
describe.each(testDatabases())('social login on %s', (db) => {
  let app: TestApp
  let mocks: MockProviders
  let adminToken: string
  const answers: ApiResponse[] = []
  const logged: unknown[][] = []

  const api = async (path: string, method: string, options: CallOptions = {}): Promise<ApiResponse> => {
    const res = await call(path.startsWith('http') ? path : `${app.url}/${path}`, method, options)
    answers.push(res)
    return res
  }
  const post = (path: string, body: unknown, token?: string) => api(path, 'POST', { body, token })
  const saveSettings = async (data: Record<string, unknown>) => {
    const res = await api(`${app.apiUrl}/globals/rest-auth-settings`, 'POST', { body: data, headers: { authorization: `JWT ${adminToken}` } })
    expect(res.status).toBe(200)
    return res
  }
  const socialRows = async (where: Row = {}) =>
    (await app.payload.find({ collection: 'social-accounts' as never, depth: 0, pagination: false, where })).docs as Row[]
  const userById = async (id: number | string) =>
    (await app.payload.findByID({ collection: 'users', depth: 0, id, showHiddenFields: true })) as Row
  const pkOf = async (key: string) => (await api('user/', 'GET', { token: key })).body.pk as number | string
  const addressOf = async (email: string) =>
    ((await app.payload.find({ collection: 'email-addresses' as never, depth: 0, where: { email: { equals: email } } })).docs as Row[])[0]

  beforeAll(async () => {
    mocks = await startMockProviders()
    app = await startTestApp({ db, plugin: { settings: { ...mocks.settings(), throttleEnabled: false } as never } })
    for (const level of ['debug', 'error', 'fatal', 'info', 'trace', 'warn'] as const) {
      const original = app.payload.logger[level].bind(app.payload.logger)
      vi.spyOn(app.payload.logger, level).mockImplementation(((...args: unknown[]) => {
        logged.push(args)
        return (original as (...a: unknown[]) => void)(...args)
      }) as never)
    }
    await createUser(app.payload, { email: 'root@example.com', is_staff: true, username: 'root' })
    const adminLogin = await call(`${app.apiUrl}/users/login`, 'POST', { body: { password: PASSWORD, username: 'root' } })
    adminToken = adminLogin.body.token

    mocks.google.profiles.set('ann', {
      email: 'Ann.Lee@example.com',
      email_verified: true,
      family_name: 'Lee',
      given_name: 'Ann',
      name: 'Ann Lee',
      picture: 'https://example.com/ann.png',
      sub: '108000000000000000001',
    })
    mocks.facebook.profiles.set('fred', { email: 'fred@example.com', first_name: 'Fred', id: '10160000000000001', last_name: 'Fox', name: 'Fred Fox' })
    mocks.github.profiles.set('gus', { email: null, id: 5550001, login: 'gus-hub', name: 'Gus Grey' })
    mocks.github.emails.set('gus', [
      { email: 'gus-old@example.com', primary: false, verified: false, visibility: null },
      { email: 'gus@example.com', primary: true, verified: true, visibility: 'private' },
    ])
    mocks.twitter.profiles.set('tia', { email: 'tia@example.com', id: 1234567890123456789, id_str: '1234567890123456789', name: 'Tia Tan', screen_name: 'tia_t' })
  })
  afterAll(async () => {
    await app?.close()
    await mocks?.close()
  })
  afterEach(() => setProviderTimeout(null))

  describe('access tokens of other apps (socialCheckTokenAudience)', () => {
    it('Google: a token issued to another client is refused; one of googleAcceptedClientIds is accepted', async () => {
      const foreign = mocks.google.issueToken('ann', { clientId: 'someone-elses-app.apps.googleusercontent.com' })
      const refused = await post('google/', { access_token: foreign })
      expect(refused.status).toBe(400)
      expect(refused.body).toEqual({ non_field_errors: ['Incorrect value', 'The Google access token was not issued to this application.'] })
      expect(mocks.google.received.filter((r) => r.path === '/oauth2/v3/userinfo' && r.headers.authorization === `Bearer ${foreign}`)).toEqual([])

      const android = mocks.google.issueToken('ann', { clientId: 'our-android-app.apps.googleusercontent.com' })
      await saveSettings({ googleAcceptedClientIds: 'our-ios-app.apps.googleusercontent.com, our-android-app.apps.googleusercontent.com' })
      try {
        const accepted = await post('google/', { access_token: android })
        expect(accepted.status, accepted.text).toBe(200)
      } finally {
        await saveSettings({ googleAcceptedClientIds: '' })
      }
    })

    it('GitHub: a token of another OAuth app is refused; the check authenticates with our ID and secret', async () => {
      const foreign = mocks.github.issueToken('gus', { clientId: 'Iv1.someoneelse' })
      const refused = await post('github/', { access_token: foreign })
      expect(refused.status).toBe(400)
      expect(refused.body).toEqual({ non_field_errors: ['Incorrect value', 'The GitHub access token was not issued to this application.'] })
      const ours = await post('github/', { access_token: mocks.github.issueToken('gus') })
      expect(ours.status, ours.text).toBe(200)
      const check = mocks.github.received.filter((r) => r.path === `/applications/${mocks.github.clientId}/token`).at(-1)!
      expect(check.json).toEqual({ access_token: expect.stringMatching(/^github-token-/) })
    })

    it('off: any token the provider honours logs in, as with dj-rest-auth; codes never need the check', async () => {
      await saveSettings({ socialCheckTokenAudience: false })
      try {
        const foreign = mocks.google.issueToken('ann', { clientId: 'someone-elses-app.apps.googleusercontent.com' })
        expect((await post('google/', { access_token: foreign })).status).toBe(200)
      } finally {
        await saveSettings({ socialCheckTokenAudience: true })
      }
      const before = mocks.google.received.filter((r) => r.path === '/tokeninfo').length
      expect((await post('google/', { code: mocks.google.issueCode('ann') })).status).toBe(200)
      expect(mocks.google.received.filter((r) => r.path === '/tokeninfo')).toHaveLength(before)
    })

    it('an unreachable check answers 400, never logs anyone in', async () => {
      await saveSettings({ googleTokenInfoUrl: await refusedUrl('/tokeninfo') })
      try {
        const res = await post('google/', { access_token: mocks.google.issueToken('ann') })
        expect(res.status).toBe(400)
        expect(res.body).toEqual({ non_field_errors: ['Could not connect to Google (ECONNREFUSED). Try again later.'] })
      } finally {
        await saveSettings({ googleTokenInfoUrl: mocks.google.settings.googleTokenInfoUrl })
      }
    })
  })

  describe('sign-up and repeat login with an access token', () => {
    it('Google: a new user, its social account with the raw profile, a verified address, no usable password', async () => {
      const res = await post('google/', { access_token: mocks.google.issueToken('ann') })
      expect(res.status).toBe(200)
      expect(Object.keys(res.body)).toEqual(['key'])
      expect(res.cookies.some((c) => c.startsWith('sessionid='))).toBe(true)
      const me = await api('user/', 'GET', { token: res.body.key })
      expect(me.body).toEqual({ email: 'ann.lee@example.com', first_name: 'Ann', last_name: 'Lee', pk: me.body.pk, username: 'ann.lee' })

      const [row] = await socialRows({ provider: { equals: 'google' } })
      expect(row).toMatchObject({ provider: 'google', uid: '108000000000000000001' })
      expect(row!.extra_data).toEqual(mocks.google.profiles.get('ann'))
      expect(JSON.stringify(row!.extra_data)).not.toContain('token')
      expect(row!.lastLogin).toBeTruthy()
      expect(await addressOf('ann.lee@example.com')).toMatchObject({ primary: true, verified: true })

      const user = await userById(me.body.pk)
      expect(user.hash ?? null).toBeNull()
      expect(user.salt ?? null).toBeNull()
    })

    it('Google: the same account logs in as the same user; extra_data and last login follow', async () => {
      const [before] = await socialRows({ provider: { equals: 'google' } })
      mocks.google.profiles.set('ann', { ...mocks.google.profiles.get('ann'), name: 'Ann Lee-Smith' })
      await new Promise((resolve) => setTimeout(resolve, 5))
      const res = await post('google/', { access_token: mocks.google.issueToken('ann') })
      expect(res.status).toBe(200)
      const rows = await socialRows({ provider: { equals: 'google' } })
      expect(rows).toHaveLength(1)
      expect(rows[0]!.extra_data.name).toBe('Ann Lee-Smith')
      expect(new Date(rows[0]!.lastLogin).getTime()).toBeGreaterThan(new Date(before!.lastLogin).getTime())
      expect(await pkOf(res.body.key)).toBe(rows[0]!.user)
    })

    it('Facebook: appsecret_proof is sent; the address is recorded unverified', async () => {
      const res = await post('facebook/', { access_token: mocks.facebook.issueToken('fred') })
      expect(res.status).toBe(200)
      const me = (await api('user/', 'GET', { token: res.body.key })).body
      expect(me).toMatchObject({ email: 'fred@example.com', first_name: 'Fred', last_name: 'Fox', username: 'fred' })
      expect(await addressOf('fred@example.com')).toMatchObject({ verified: false })
      const profileCall = mocks.facebook.received.find((r) => r.path === '/v21.0/me')!
      expect(profileCall.params.get('appsecret_proof')).toMatch(/^[0-9a-f]{64}$/)
      expect(profileCall.params.get('fields')).toContain('email')
    })

    it('GitHub: the login becomes the username; the primary verified address comes from /user/emails', async () => {
      const res = await post('github/', { access_token: mocks.github.issueToken('gus') })
      expect(res.status).toBe(200)
      const me = (await api('user/', 'GET', { token: res.body.key })).body
      expect(me).toMatchObject({ email: 'gus@example.com', first_name: 'Gus', last_name: 'Grey', username: 'gus-hub' })
      expect(await addressOf('gus@example.com')).toMatchObject({ verified: true })
      expect(mocks.github.received.find((r) => r.path === '/user')!.headers['user-agent']).toBe('payload-rest-auth')
    })

    it('Twitter: OAuth 1.0a signed with the consumer and token secrets; screen name as username', async () => {
      const { token, tokenSecret } = mocks.twitter.issueTokenPair('tia')
      const res = await post('twitter/', { access_token: token, token_secret: tokenSecret })
      expect(res.status).toBe(200)
      const me = (await api('user/', 'GET', { token: res.body.key })).body
      expect(me).toMatchObject({ email: 'tia@example.com', first_name: 'Tia', last_name: 'Tan', username: 'tia_t' })
      const [row] = await socialRows({ provider: { equals: 'twitter' } })
      expect(row!.uid).toBe('1234567890123456789')
      expect(await addressOf('tia@example.com')).toMatchObject({ verified: false })
      const again = await post('twitter/', { access_token: token, token_secret: tokenSecret })
      expect(await pkOf(again.body.key)).toBe(me.pk)
    })

    it('parallel first logins with one account create one user', async () => {
      mocks.google.profiles.set('racer', { email: 'racer@example.com', email_verified: true, name: 'Ray Sir', sub: '108000000000000000555' })
      const results = await Promise.all(Array.from({ length: 6 }, () => post('google/', { access_token: mocks.google.issueToken('racer') })))
      expect(results.map((res) => res.status)).toEqual(Array(6).fill(200))
      const pks = new Set(await Promise.all(results.map((res) => pkOf(res.body.key))))
      expect(pks.size).toBe(1)
      expect(await socialRows({ uid: { equals: '108000000000000000555' } })).toHaveLength(1)
      expect((await app.payload.count({ collection: 'users', where: { email: { equals: 'racer@example.com' } } })).totalDocs).toBe(1)
    })

    it('JWT mode: social login answers like login/ (access, refresh, user)', async () => {
      await saveSettings({ useJwt: true })
      try {
        const res = await post('google/', { access_token: mocks.google.issueToken('ann') })
        expect(res.status).toBe(200)
        expect(typeof res.body.access).toBe('string')
        expect(res.body).toHaveProperty('refresh')
        expect(res.body.user).toMatchObject({ email: 'ann.lee@example.com', username: 'ann.lee' })
      } finally {
        await saveSettings({ useJwt: false })
      }
    })
  })

  describe('the code flow', () => {
    it('Google, Facebook and GitHub exchange a code with the secret and the configured callback URL', async () => {
      for (const [id, user] of [
        ['google', 'ann'],
        ['facebook', 'fred'],
        ['github', 'gus'],
      ] as const) {
        const provider = mocks[id]
        const res = await post(`${id}/`, { code: provider.issueCode(user) })
        expect(res.status, `${id}: ${res.text}`).toBe(200)
        const exchange = provider.tokenRequests().at(-1)!
        expect(exchange.params.get('grant_type')).toBe('authorization_code')
        expect(exchange.params.get('redirect_uri')).toBe(CALLBACK_URL)
        expect(exchange.params.get('client_id')).toBe(provider.clientId)
        expect(exchange.params.has('code_verifier')).toBe(false)
      }
    })

    it('a URL-encoded code is decoded before the exchange', async () => {
      const code = mocks.google.issueCode('ann')
      expect(code).toContain('/')
      const res = await post('google/', { code: encodeURIComponent(code) })
      expect(res.status).toBe(200)
      expect(mocks.google.tokenRequests().at(-1)!.params.get('code')).toBe(code)
    })

    it('PKCE: code_verifier reaches the token endpoint; a wrong one is refused in the provider’s words', async () => {
      const verifier = 'v'.repeat(43)
      const challenge = createHash('sha256').update(verifier).digest('base64url')
      const ok = await post('google/', { code: mocks.google.issueCode('ann', { codeChallenge: challenge }), code_verifier: verifier })
      expect(ok.status).toBe(200)
      expect(mocks.google.tokenRequests().at(-1)!.params.get('code_verifier')).toBe(verifier)

      const wrong = await post('google/', { code: mocks.google.issueCode('ann', { codeChallenge: challenge }), code_verifier: 'w'.repeat(43) })
      expect(wrong.status).toBe(400)
      expect(wrong.body).toEqual({ non_field_errors: ['invalid_grant: Invalid code verifier.'] })
    })

    it('a bad code answers 400 with each provider’s own error and description', async () => {
      const google = await post('google/', { code: '4/not-a-code' })
      expect(google.status).toBe(400)
      expect(google.body).toEqual({ non_field_errors: ['invalid_grant: Bad Request'] })
      const facebook = await post('facebook/', { code: 'nope' })
      expect(facebook.body).toEqual({ non_field_errors: ['OAuthException: Invalid verification code format.'] })
      // GitHub refuses with HTTP 200 and a form-encoded error.
      const github = await post('github/', { code: 'nope' })
      expect(github.status).toBe(400)
      expect(github.body).toEqual({ non_field_errors: ['bad_verification_code: The code passed is incorrect or expired.'] })
    })

    it('a code issued for another redirect_uri: redirect_uri_mismatch', async () => {
      const res = await post('google/', { code: mocks.google.issueCode('ann', { redirectUri: 'https://elsewhere.example.com/cb' }) })
      expect(res.status).toBe(400)
      expect(res.body).toEqual({ non_field_errors: ['redirect_uri_mismatch: Bad Request'] })
      const github = await post('github/', { code: mocks.github.issueCode('gus', { redirectUri: 'https://elsewhere.example.com/cb' }) })
      expect(github.body).toEqual({
        non_field_errors: ['redirect_uri_mismatch: The redirect_uri MUST match the registered callback URL for this application.'],
      })
    })
  })

  describe('refusals and failures', () => {
    it('field errors as SocialLoginSerializer and TwitterLoginSerializer', async () => {
      const none = await post('google/', {})
      expect(none.status).toBe(400)
      expect(none.body).toEqual({ non_field_errors: ['Incorrect input. access_token or code is required.'] })
      expect((await post('google/', { access_token: '', code: '' })).body).toEqual(none.body)
      expect((await post('github/', { code: null })).body).toEqual({ code: ['This field may not be null.'] })
      expect((await post('twitter/', {})).body).toEqual({ access_token: ['This field is required.'], token_secret: ['This field is required.'] })
      expect((await post('twitter/', { access_token: 'x', token_secret: '' })).body).toEqual({ token_secret: ['This field may not be blank.'] })
    })

    it('a revoked token answers 400 with dj-rest-auth’s message and the provider’s reason', async () => {
      // Refused when its audience is checked…
      const revoked = mocks.google.issueToken('ann')
      mocks.google.revoke(revoked)
      const checked = await post('google/', { access_token: revoked })
      expect(checked.status).toBe(400)
      expect(checked.body).toEqual({ non_field_errors: ['Incorrect value', 'invalid_token: Invalid Value'] })
      const unknown = await post('github/', { access_token: 'never-issued' })
      expect(unknown.body).toEqual({ non_field_errors: ['Incorrect value', 'The GitHub access token was not issued to this application.'] })

      // …and by the profile endpoints, as with dj-rest-auth, when it is not.
      await saveSettings({ socialCheckTokenAudience: false })
      onTestFinished(async () => {
        await saveSettings({ socialCheckTokenAudience: true })
      })
      const google = mocks.google.issueToken('ann')
      mocks.google.revoke(google)
      const g = await post('google/', { access_token: google })
      expect(g.status).toBe(400)
      expect(g.body).toEqual({ non_field_errors: ['Incorrect value', 'invalid_request: Invalid Credentials'] })

      const facebook = mocks.facebook.issueToken('fred')
      mocks.facebook.revoke(facebook)
      const f = await post('facebook/', { access_token: facebook })
      expect(f.body.non_field_errors[0]).toBe('Incorrect value')
      expect(f.body.non_field_errors[1]).toMatch(/^OAuthException: Error validating access token/)

      const g2 = await post('github/', { access_token: 'never-issued' })
      expect(g2.body).toEqual({ non_field_errors: ['Incorrect value', 'Bad credentials'] })

      const pair = mocks.twitter.issueTokenPair('tia')
      mocks.twitter.revoke(pair.token)
      const host = new URL(mocks.twitter.baseUrl).host
      const t = await post('twitter/', { access_token: pair.token, token_secret: pair.tokenSecret })
      expect(t.status).toBe(400)
      expect(t.body).toEqual({ non_field_errors: [`No access to private resources at "${host}".`, 'Invalid or expired token.'] })
    })

    it('Twitter: a wrong token secret fails the signature check', async () => {
      const pair = mocks.twitter.issueTokenPair('tia')
      const res = await post('twitter/', { access_token: pair.token, token_secret: 'wrong' })
      expect(res.status).toBe(400)
      expect(res.body.non_field_errors[1]).toBe('Could not authenticate you.')
    })

    it('GitHub: an /emails answer that is not JSON is a 400, not a crash', async () => {
      mocks.github.profiles.set('odd', { email: null, id: 5550099, login: 'odd', name: 'Odd' })
      mocks.github.emails.set('odd', '<html>oops</html>')
      const res = await post('github/', { access_token: mocks.github.issueToken('odd') })
      expect(res.status).toBe(400)
      expect(res.body.non_field_errors[0]).toBe('Incorrect value')
    })

    it('a provider that is down answers 400 with a clear message, never 500', async () => {
      await saveSettings({ googleProfileUrl: await refusedUrl('/userinfo'), googleTokenUrl: await refusedUrl('/token') })
      try {
        const code = await post('google/', { code: mocks.google.issueCode('ann') })
        expect(code.status).toBe(400)
        expect(code.body).toEqual({ non_field_errors: ['Could not connect to Google (ECONNREFUSED). Try again later.'] })
        const token = await post('google/', { access_token: mocks.google.issueToken('ann') })
        expect(token.status).toBe(400)
        expect(token.body).toEqual(code.body)
      } finally {
        await saveSettings({ googleProfileUrl: mocks.google.settings.googleProfileUrl, googleTokenUrl: mocks.google.settings.googleTokenUrl })
      }
    })

    it('a provider that accepts the connection but never answers: 400 after the deadline', async () => {
      const sockets = new Set<Socket>()
      const silent = createServer((socket) => sockets.add(socket))
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
      const { port } = silent.address() as AddressInfo
      await saveSettings({ twitterProfileUrl: `http://127.0.0.1:${port}/profile` })
      setProviderTimeout(300)
      try {
        const pair = mocks.twitter.issueTokenPair('tia')
        const res = await post('twitter/', { access_token: pair.token, token_secret: pair.tokenSecret })
        expect(res.status).toBe(400)
        expect(res.body).toEqual({ non_field_errors: ['Twitter did not answer in time. Try again later.'] })
      } finally {
        sockets.forEach((socket) => socket.destroy())
        silent.close()
        await saveSettings({ twitterProfileUrl: mocks.twitter.settings.twitterProfileUrl })
      }
    })

    it('a disabled provider’s routes answer 404', async () => {
      await saveSettings({ facebookEnabled: false })
      try {
        for (const path of ['facebook/', 'facebook/connect/', 'facebook', 'facebook/connect']) {
          const res = await post(path, { access_token: mocks.facebook.issueToken('fred') })
          expect(res.status, path).toBe(404)
          expect(res.body).toEqual({ detail: 'Not found.' })
        }
      } finally {
        await saveSettings({ facebookEnabled: true })
      }
      expect((await post('facebook/', { access_token: mocks.facebook.issueToken('fred') })).status).toBe(200)
    })

    it('an enabled provider needs a client ID', async () => {
      const res = await api(`${app.apiUrl}/globals/rest-auth-settings`, 'POST', {
        body: { googleClientId: '' },
        headers: { authorization: `JWT ${adminToken}` },
      })
      expect(res.status).toBe(400)
      expect(JSON.stringify(res.body)).toContain('An enabled provider needs its client ID.')
    })
  })

  describe('existing accounts and e-mail addresses', () => {
    let victimKey: string

    beforeAll(async () => {
      await createUser(app.payload, { email: 'victim@example.com', username: 'victim' })
      victimKey = (await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'victim' } })).body.key
    })

    it('an unverified provider address never takes over an existing account', async () => {
      mocks.facebook.profiles.set('mallory', { email: 'VICTIM@example.com', id: '10160000000000666', name: 'Mallory' })
      const res = await post('facebook/', { access_token: mocks.facebook.issueToken('mallory') })
      expect(res.status).toBe(400)
      expect(res.body).toEqual({ non_field_errors: ['User is already registered with this e-mail address.'] })
      expect(await socialRows({ uid: { equals: '10160000000000666' } })).toHaveLength(0)
      expect((await app.payload.count({ collection: 'users', where: { email: { equals: 'victim@example.com' } } })).totalDocs).toBe(1)
    })

    it('a verified provider address is not connected automatically either (allauth’s default)', async () => {
      mocks.google.profiles.set('victim', { email: 'victim@example.com', email_verified: true, name: 'Vic Tim', sub: '108000000000000000777' })
      const res = await post('google/', { access_token: mocks.google.issueToken('victim') })
      expect(res.status).toBe(400)
      expect(res.body).toEqual({ non_field_errors: ['User is already registered with this e-mail address.'] })
    })

    it('connect links the provider to the current user, who can then log in with it', async () => {
      const unauthenticated = await post('google/connect/', { access_token: mocks.google.issueToken('victim') })
      expect(unauthenticated.status).toBe(403)
      expect(unauthenticated.body).toEqual({ detail: 'Authentication credentials were not provided.' })

      const victimPk = await pkOf(victimKey)
      const res = await post('google/connect/', { access_token: mocks.google.issueToken('victim') }, victimKey)
      expect(res.status).toBe(200)
      expect(await pkOf(res.body.key)).toBe(victimPk)
      const again = await post('google/connect/', { code: mocks.google.issueCode('victim') }, victimKey)
      expect(again.status).toBe(200)
      expect(await socialRows({ uid: { equals: '108000000000000000777' } })).toHaveLength(1)

      const login = await post('google/', { access_token: mocks.google.issueToken('victim') })
      expect(login.status).toBe(200)
      expect(await pkOf(login.body.key)).toBe(victimPk)
    })

    it('an account connected to someone else cannot be connected again', async () => {
      const annKey = (await post('google/', { access_token: mocks.google.issueToken('ann') })).body.key
      const res = await post('google/connect/', { access_token: mocks.google.issueToken('victim') }, annKey)
      expect(res.status).toBe(400)
      expect(res.body).toEqual({ non_field_errors: ['The social account is already connected to a different account.'] })
      const [row] = await socialRows({ uid: { equals: '108000000000000000777' } })
      expect(row!.user).toBe(await pkOf(victimKey))
    })

    it('socialaccounts/ lists the current user’s accounts as SocialAccountSerializer', async () => {
      expect((await api('socialaccounts/', 'GET')).status).toBe(403)
      mocks.twitter.profiles.set('victim', { id_str: '777', name: 'Vic', screen_name: 'vic' })
      const victimTwitter = mocks.twitter.issueTokenPair('victim')
      expect((await post('twitter/connect/', { access_token: victimTwitter.token, token_secret: victimTwitter.tokenSecret }, victimKey)).status).toBe(200)

      const res = await api('socialaccounts/', 'GET', { token: victimKey })
      expect(res.status).toBe(200)
      expect(res.body.map((a: Row) => [a.provider, a.uid])).toEqual([
        ['google', '108000000000000000777'],
        ['twitter', '777'],
      ])
      for (const account of res.body as Row[]) {
        expect(Object.keys(account)).toEqual(['id', 'provider', 'uid', 'last_login', 'date_joined'])
        expect(account.last_login).toMatch(DRF_DATETIME)
        expect(account.date_joined).toMatch(DRF_DATETIME)
      }
    })

    it('disconnect: refused for the last account without a password, allowed otherwise; 404 for others’ ids', async () => {
      // Ann signed up with Google only: no password, one account.
      const annKey = (await post('google/', { access_token: mocks.google.issueToken('ann') })).body.key
      const [annGoogle] = (await api('socialaccounts/', 'GET', { token: annKey })).body as Row[]
      const refused = await post(`socialaccounts/${annGoogle!.id}/disconnect/`, {}, annKey)
      expect(refused.status).toBe(400)
      expect(refused.body).toEqual({ non_field_errors: ['Your account has no password set up.'] })

      // With a second account linked, the first may go; the second is then the last.
      mocks.github.profiles.set('ann', { email: 'ann-gh@example.com', id: 5550002, login: 'annl', name: 'Ann Lee' })
      mocks.github.emails.set('ann', [{ email: 'ann-gh@example.com', primary: true, verified: true, visibility: 'public' }])
      expect((await post('github/connect/', { access_token: mocks.github.issueToken('ann') }, annKey)).status).toBe(200)
      const ok = await post(`socialaccounts/${annGoogle!.id}/disconnect`, {}, annKey)
      expect(ok.status).toBe(200)
      expect(ok.body).toEqual({})
      const remaining = (await api('socialaccounts/', 'GET', { token: annKey })).body as Row[]
      expect(remaining.map((a) => a.provider)).toEqual(['github'])
      expect((await post(`socialaccounts/${remaining[0]!.id}/disconnect/`, {}, annKey)).body).toEqual({
        non_field_errors: ['Your account has no password set up.'],
      })
      // The unlinked Google account is a stranger now: logging in with it would sign up a second
      // user with Ann's address, which is refused.
      expect((await post('google/', { access_token: mocks.google.issueToken('ann') })).body).toEqual({
        non_field_errors: ['User is already registered with this e-mail address.'],
      })

      // Someone else's account, an unknown id and a malformed id all look the same.
      for (const id of [remaining[0]!.id, 99999999, 'abc']) {
        const res = await post(`socialaccounts/${id}/disconnect/`, {}, victimKey)
        expect(res.status, String(id)).toBe(404)
        expect(res.body).toEqual({ detail: 'Not found.' })
      }
      expect((await post(`socialaccounts/${remaining[0]!.id}/disconnect/`, {})).status).toBe(403)

      // The victim has a password: even the last account may go.
      const victimAccounts = (await api('socialaccounts/', 'GET', { token: victimKey })).body as Row[]
      for (const account of victimAccounts) {
        expect((await post(`socialaccounts/${account.id}/disconnect/`, {}, victimKey)).status).toBe(200)
      }
      expect((await api('socialaccounts/', 'GET', { token: victimKey })).body).toEqual([])
    })

    it('with mandatory verification the last account also needs a verified address', async () => {
      mocks.google.profiles.set('victim', { email: 'victim@example.com', email_verified: true, name: 'Vic Tim', sub: '108000000000000000777' })
      expect((await post('google/connect/', { access_token: mocks.google.issueToken('victim') }, victimKey)).status).toBe(200)
      const [account] = (await api('socialaccounts/', 'GET', { token: victimKey })).body as Row[]
      await saveSettings({ accountEmailRequired: true, accountEmailVerification: 'mandatory' })
      try {
        const res = await post(`socialaccounts/${account!.id}/disconnect/`, {}, victimKey)
        expect(res.status).toBe(400)
        expect(res.body).toEqual({ non_field_errors: ['Your account has no verified e-mail address.'] })
        // Social login itself follows mandatory verification like login/.
        expect((await post('facebook/', { access_token: mocks.facebook.issueToken('fred') })).body).toEqual({
          non_field_errors: ['E-mail is not verified.'],
        })
        // Ann's address was verified by Google at sign-up.
        expect((await post('github/', { access_token: mocks.github.issueToken('ann') })).status).toBe(200)
      } finally {
        await saveSettings({ accountEmailRequired: false, accountEmailVerification: 'optional' })
      }
    })

    it('closed registration: no new users through social login; existing ones still log in', async () => {
      await saveSettings({ registrationOpen: false })
      try {
        mocks.google.profiles.set('newbie', { email: 'newbie@example.com', email_verified: true, sub: '108000000000000000999' })
        const res = await post('google/', { access_token: mocks.google.issueToken('newbie') })
        expect(res.status).toBe(403)
        expect(res.body).toEqual({ detail: 'You do not have permission to perform this action.' })
        expect((await post('github/', { access_token: mocks.github.issueToken('ann') })).status).toBe(200)
      } finally {
        await saveSettings({ registrationOpen: true })
      }
    })

    it('an inactive user cannot log in through a provider', async () => {
      const [row] = await socialRows({ provider: { equals: 'twitter' }, uid: { equals: '1234567890123456789' } })
      await app.payload.update({ collection: 'users', data: { is_active: false } as never, id: row!.user })
      const pair = mocks.twitter.issueTokenPair('tia')
      const res = await post('twitter/', { access_token: pair.token, token_secret: pair.tokenSecret })
      expect(res.status).toBe(400)
      expect(res.body).toEqual({ non_field_errors: ['User account is disabled.'] })
    })
  })

  describe('secrets', () => {
    it('are write-only in the settings global and still used', async () => {
      const read = await api(`${app.apiUrl}/globals/rest-auth-settings`, 'GET', { headers: { authorization: `JWT ${adminToken}` } })
      expect(read.status).toBe(200)
      expect(read.body.googleClientId).toBe(mocks.google.clientId)
      for (const key of ['googleSecret', 'facebookSecret', 'githubSecret', 'twitterSecret']) {
        expect(read.body).not.toHaveProperty(key)
      }
      // An admin saves the secret through the REST API: the answer does not echo it, and the code
      // exchange uses it (the mock refuses any other).
      const saved = await saveSettings({ googleSecret: mocks.google.secret })
      expect(saved.text).not.toContain(mocks.google.secret)
      expect((await post('google/', { code: mocks.google.issueCode('victim') })).status).toBe(200)
      await saveSettings({ googleSecret: 'wrong-secret' })
      const refused = await post('google/', { code: mocks.google.issueCode('victim') })
      expect(refused.body).toEqual({ non_field_errors: ['invalid_client: Unauthorized'] })
      await saveSettings({ googleSecret: mocks.google.secret })
      // A later save of other settings keeps the stored secret although it was never read back.
      await saveSettings({ siteName: 'Social test' })
      expect((await post('google/', { code: mocks.google.issueCode('victim') })).status).toBe(200)
    })

    it('never appear in an answer or a log line', async () => {
      expect(answers.length).toBeGreaterThan(50)
      for (const secret of [...mocks.secrets(), 'wrong-secret']) {
        for (const res of answers) {
          expect(res.text).not.toContain(secret)
          expect(JSON.stringify([...res.headers])).not.toContain(secret)
        }
        for (const args of logged) {
          expect(JSON.stringify(args, (_key, value) => (value instanceof Error ? { message: value.message, stack: value.stack } : value))).not.toContain(
            secret,
          )
        }
      }
    })
  })
})
