import { createHash, randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { ApiResponse, CallOptions } from '../helpers/client.js'
import type { MockProviders } from '../helpers/mockProviders.js'
import type { TestApp } from '../helpers/server.js'

import { call } from '../helpers/client.js'
import { consent } from '../helpers/consent.js'
import { testDatabases } from '../helpers/database.js'
import { CALLBACK_URL, refusedUrl, startMockProviders } from '../helpers/mockProviders.js'
import { startTestApp } from '../helpers/server.js'
import { createUser, PASSWORD, verifyEmailOf } from '../helpers/users.js'

const PUBLIC_KEYS = ['authorization_url', 'callback_url', 'client_id', 'name', 'protocol', 'provider', 'scope']

/**
 * How a client starts a provider's flow (our extension of dj-rest-auth, for login buttons):
 * `social/providers/` lists the enabled providers with what the consent page needs, and
 * `twitter/request_token/` does OAuth 1.0a's first leg; then the whole round trip over HTTP through
 * the mock providers' consent pages, ending in dj-rest-auth's own `<provider>/` and `connect/`.
 */
describe.each(testDatabases())('starting a social login on %s', (db) => {
  let app: TestApp
  let mocks: MockProviders
  let adminToken: string
  const answers: ApiResponse[] = []

  const api = async (path: string, method: string, options: CallOptions = {}): Promise<ApiResponse> => {
    const res = await call(path.startsWith('http') ? path : `${app.url}/${path}`, method, options)
    answers.push(res)
    return res
  }
  const saveSettings = async (data: Record<string, unknown>) =>
    api(`${app.apiUrl}/globals/rest-auth-settings`, 'POST', { body: data, headers: { authorization: `JWT ${adminToken}` } })
  const providers = async () => {
    const res = await api('social/providers/', 'GET')
    expect(res.status, res.text).toBe(200)
    return res.body as Record<string, any>[]
  }
  const usernameOf = async (key: string) => (await api('user/', 'GET', { token: key })).body.username as string

  beforeAll(async () => {
    mocks = await startMockProviders()
    app = await startTestApp({ db, plugin: { settings: { ...mocks.settings(), throttleEnabled: false } as never } })
    await createUser(app.payload, { email: 'root@example.com', is_staff: true, username: 'root' })
    adminToken = (await call(`${app.apiUrl}/users/login`, 'POST', { body: { password: PASSWORD, username: 'root' } })).body.token
    mocks.google.profiles.set('ann', { email: 'ann@example.com', email_verified: true, name: 'Ann Lee', sub: '108000000000000000001' })
    mocks.facebook.profiles.set('fred', { email: 'fred@example.com', id: '10160000000000001', name: 'Fred Fox' })
    mocks.github.profiles.set('gus', { email: null, id: 5550001, login: 'gus-hub', name: 'Gus Grey' })
    mocks.github.emails.set('gus', [{ email: 'gus@example.com', primary: true, verified: true, visibility: 'private' }])
    mocks.twitter.profiles.set('tia', { email: 'tia@example.com', id_str: '1234567890123456789', name: 'Tia Tan', screen_name: 'tia_t' })
  })
  afterAll(async () => {
    await app?.close()
    await mocks?.close()
  })

  describe('social/providers/', () => {
    it('lists the enabled providers in order with their public settings, never a secret, to anyone', async () => {
      const list = await providers()
      expect(list.map((p) => p.provider)).toEqual(['facebook', 'google', 'github', 'twitter'])
      for (const entry of list) {
        expect(Object.keys(entry).sort()).toEqual(PUBLIC_KEYS)
      }
      const google = list.find((p) => p.provider === 'google')!
      expect(google).toMatchObject({ callback_url: CALLBACK_URL, client_id: mocks.google.clientId, name: 'Google', protocol: 'oauth2', scope: ['openid', 'email', 'profile'] })
      const url = new URL(google.authorization_url)
      expect(`${url.origin}${url.pathname}`).toBe(`${mocks.google.baseUrl}/authorize`)
      expect(Object.fromEntries(url.searchParams)).toEqual({
        client_id: mocks.google.clientId,
        redirect_uri: CALLBACK_URL,
        response_type: 'code',
        scope: 'openid email profile',
      })
      // Each strategy joins scopes its provider's way.
      expect(new URL(list.find((p) => p.provider === 'facebook')!.authorization_url).searchParams.get('scope')).toBe('email,public_profile')
      expect(list.find((p) => p.provider === 'twitter')).toMatchObject({
        authorization_url: `${mocks.twitter.baseUrl}/oauth/authenticate`,
        client_id: mocks.twitter.consumerKey,
        protocol: 'oauth1',
        scope: [],
      })
      const text = JSON.stringify(list)
      for (const secret of mocks.secrets()) {
        expect(text).not.toContain(secret)
      }
    })

    it('follows the settings: disabled providers drop out, {origin} fills in, and only GET is allowed', async () => {
      expect((await saveSettings({ facebookEnabled: false, googleCallbackUrl: '{origin}/demo/social/callback/google/' })).status).toBe(200)
      try {
        const list = await providers()
        expect(list.map((p) => p.provider)).toEqual(['google', 'github', 'twitter'])
        const origin = new URL(app.url).origin
        const google = list.find((p) => p.provider === 'google')!
        expect(google.callback_url).toBe(`${origin}/demo/social/callback/google/`)
        expect(new URL(google.authorization_url).searchParams.get('redirect_uri')).toBe(google.callback_url)
        const post = await api('social/providers/', 'POST', { body: {} })
        expect(post.status).toBe(405)
        expect(post.body).toEqual({ detail: 'Method "POST" not allowed.' })
      } finally {
        await saveSettings({ facebookEnabled: true, googleCallbackUrl: CALLBACK_URL })
      }
      await saveSettings({ facebookEnabled: false, githubEnabled: false, googleEnabled: false, twitterEnabled: false })
      try {
        expect(await providers()).toEqual([])
      } finally {
        await saveSettings({ facebookEnabled: true, githubEnabled: true, googleEnabled: true, twitterEnabled: true })
      }
    })

    it('refuses to save a provider URL that is not an absolute http(s) URL', async () => {
      for (const [key, value] of [
        ['googleAuthorizationUrl', 'accounts.google.com/auth'],
        ['githubCallbackUrl', 'javascript:alert(1)'],
        ['twitterRequestTokenUrl', 'ftp://example.com/x'],
      ] as const) {
        const res = await saveSettings({ [key]: value })
        expect(res.status, res.text).toBe(400)
        expect(res.text).toContain('Must be an absolute http(s) URL.')
      }
      expect((await providers()).find((p) => p.provider === 'google')!.authorization_url).toContain(mocks.google.baseUrl)
    })
  })

  describe('the OAuth 2 round trip through the consent page', () => {
    const pkce = () => {
      const verifier = randomBytes(32).toString('base64url')
      return { challenge: createHash('sha256').update(verifier).digest('base64url'), verifier }
    }

    it.each([
      ['google', 'ann', 'ann'],
      ['facebook', 'fred', 'fred'],
      ['github', 'gus', 'gus-hub'],
    ] as const)('%s: authorization_url + state + PKCE → consent → callback → code posted → logged in', async (id, user, username) => {
      const entry = (await providers()).find((p) => p.provider === id)!
      const { challenge, verifier } = pkce()
      const state = randomBytes(16).toString('hex')
      const start = new URL(entry.authorization_url)
      start.searchParams.set('state', state)
      start.searchParams.set('code_challenge', challenge)
      start.searchParams.set('code_challenge_method', 'S256')
      const back = await consent(start.toString(), { user })
      expect(`${back.origin}${back.pathname}`).toBe(CALLBACK_URL)
      expect(back.searchParams.get('state')).toBe(state)
      const code = back.searchParams.get('code')!

      // Without the verifier the provider refuses the code (PKCE is enforced end to end).
      const refused = await api(`${id}/`, 'POST', { body: { code } })
      expect(refused.status).toBe(400)
      expect(Object.keys(refused.body)).toEqual(['non_field_errors'])

      const again = await consent(start.toString(), { user })
      const res = await api(`${id}/`, 'POST', { body: { code: again.searchParams.get('code'), code_verifier: verifier } })
      expect(res.status, res.text).toBe(200)
      expect(await usernameOf(res.body.key)).toBe(username)
    })

    it('the {origin} callback URL is the redirect_uri of the code exchange too', async () => {
      await saveSettings({ googleCallbackUrl: '{origin}/demo/social/callback/google/' })
      try {
        const entry = (await providers()).find((p) => p.provider === 'google')!
        const back = await consent(entry.authorization_url, { user: 'ann' })
        expect(`${back.origin}${back.pathname}`).toBe(entry.callback_url)
        const res = await api('google/', 'POST', { body: { code: back.searchParams.get('code') } })
        expect(res.status, res.text).toBe(200)
        expect(mocks.google.tokenRequests().at(-1)!.params.get('redirect_uri')).toBe(entry.callback_url)
      } finally {
        await saveSettings({ googleCallbackUrl: CALLBACK_URL })
      }
    })
  })

  describe('OAuth 1.0a: twitter/request_token/ and the verifier', () => {
    const requestToken = async () => {
      const res = await api('twitter/request_token/', 'POST', { body: {} })
      expect(res.status, res.text).toBe(200)
      expect(Object.keys(res.body).sort()).toEqual(['authorization_url', 'oauth_token', 'oauth_token_secret'])
      return res.body as { authorization_url: string; oauth_token: string; oauth_token_secret: string }
    }

    it('request token (with the callback) → consent → verifier posted → logged in; the verifier is single-use', async () => {
      const started = await requestToken()
      const sent = mocks.twitter.received.filter((r) => r.path === '/oauth/request_token').at(-1)!
      expect(String(sent.headers.authorization)).toContain(`oauth_callback="${encodeURIComponent(CALLBACK_URL)}"`)
      const page = new URL(started.authorization_url)
      expect(`${page.origin}${page.pathname}`).toBe(`${mocks.twitter.baseUrl}/oauth/authenticate`)
      expect(page.searchParams.get('oauth_token')).toBe(started.oauth_token)

      const back = await consent(started.authorization_url, { user: 'tia' })
      expect(`${back.origin}${back.pathname}`).toBe(CALLBACK_URL)
      expect(back.searchParams.get('oauth_token')).toBe(started.oauth_token)
      const body = { oauth_token: started.oauth_token, oauth_token_secret: started.oauth_token_secret, oauth_verifier: back.searchParams.get('oauth_verifier') }
      const res = await api('twitter/', 'POST', { body })
      expect(res.status, res.text).toBe(200)
      expect(await usernameOf(res.body.key)).toBe('tia_t')

      const replay = await api('twitter/', 'POST', { body })
      expect(replay.status).toBe(400)
      expect(replay.body).toEqual({ non_field_errors: ['Invalid or expired token.'] })
    })

    it('a wrong verifier or a forged request-token secret: 400 in the provider’s words', async () => {
      const started = await requestToken()
      const back = await consent(started.authorization_url, { user: 'tia' })
      const wrong = await api('twitter/', 'POST', {
        body: { oauth_token: started.oauth_token, oauth_token_secret: started.oauth_token_secret, oauth_verifier: 'verifier-0000' },
      })
      expect(wrong.status).toBe(400)
      expect(wrong.body).toEqual({ non_field_errors: ['Error processing your OAuth request: Invalid oauth_verifier parameter'] })
      const forged = await api('twitter/', 'POST', {
        body: { oauth_token: started.oauth_token, oauth_token_secret: 'guessed', oauth_verifier: back.searchParams.get('oauth_verifier') },
      })
      expect(forged.status).toBe(400)
      expect(forged.body).toEqual({ non_field_errors: ['Could not authenticate you.'] })
    })

    it('without a callback URL: the out-of-band flow, the PIN the provider shows is the verifier', async () => {
      await saveSettings({ twitterCallbackUrl: '' })
      try {
        const started = await requestToken()
        const sent = mocks.twitter.received.filter((r) => r.path === '/oauth/request_token').at(-1)!
        expect(String(sent.headers.authorization)).toContain('oauth_callback="oob"')
        const page = await call(started.authorization_url, 'GET')
        const pin = await call(new URL('/oauth/authenticate', started.authorization_url).toString(), 'POST', {
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          rawBody: new URLSearchParams({ oauth_token: started.oauth_token, user: 'tia' }).toString(),
        })
        expect(page.status).toBe(200)
        const verifier = /<code id="pin">([^<]+)<\/code>/.exec(pin.text)![1]!
        const res = await api('twitter/', 'POST', { body: { oauth_token: started.oauth_token, oauth_token_secret: started.oauth_token_secret, oauth_verifier: verifier } })
        expect(res.status, res.text).toBe(200)
        expect(await usernameOf(res.body.key)).toBe('tia_t')
      } finally {
        await saveSettings({ twitterCallbackUrl: CALLBACK_URL })
      }
    })

    it('twitter/connect/ takes the verifier too, for the logged-in user', async () => {
      await verifyEmailOf(app.payload, await createUser(app.payload, { email: 'carl@example.com', username: 'carl' }))
      const key = (await api('login/', 'POST', { body: { password: PASSWORD, username: 'carl' } })).body.key
      mocks.twitter.profiles.set('carl', { id_str: '4242', name: 'Carl', screen_name: 'carl_t' })
      const started = await requestToken()
      const back = await consent(started.authorization_url, { user: 'carl' })
      const res = await api('twitter/connect/', 'POST', {
        body: { oauth_token: started.oauth_token, oauth_token_secret: started.oauth_token_secret, oauth_verifier: back.searchParams.get('oauth_verifier') },
        token: key,
      })
      expect(res.status, res.text).toBe(200)
      const accounts = await api('socialaccounts/', 'GET', { token: key })
      expect(accounts.body).toEqual([expect.objectContaining({ provider: 'twitter', uid: '4242' })])
    })

    it('bad input and unavailable providers', async () => {
      const missing = await api('twitter/', 'POST', { body: { oauth_verifier: 'v' } })
      expect(missing.status).toBe(400)
      expect(missing.body).toEqual({ oauth_token: ['This field is required.'], oauth_token_secret: ['This field is required.'] })
      const blank = await api('twitter/', 'POST', { body: { oauth_token: 't', oauth_token_secret: ['x'], oauth_verifier: '' } })
      expect(blank.status).toBe(400)
      expect(blank.body).toEqual({ oauth_token_secret: ['Not a valid string.'], oauth_verifier: ['This field may not be blank.'] })
      // Without oauth_verifier the contract's fields are asked for, as dj-rest-auth does.
      const contract = await api('twitter/', 'POST', { body: {} })
      expect(contract.body).toEqual({ access_token: ['This field is required.'], token_secret: ['This field is required.'] })

      expect((await api('twitter/request_token/', 'GET')).status).toBe(405)
      expect((await api('google/request_token/', 'POST', { body: {} })).status).toBe(404)

      await saveSettings({ twitterRequestTokenUrl: await refusedUrl('/oauth/request_token') })
      try {
        const down = await api('twitter/request_token/', 'POST', { body: {} })
        expect(down.status).toBe(400)
        expect(down.body).toEqual({ non_field_errors: ['Could not connect to Twitter (ECONNREFUSED). Try again later.'] })
      } finally {
        await saveSettings({ twitterRequestTokenUrl: mocks.twitter.settings.twitterRequestTokenUrl })
      }
      await saveSettings({ twitterEnabled: false })
      try {
        expect((await api('twitter/request_token/', 'POST', { body: {} })).status).toBe(404)
      } finally {
        await saveSettings({ twitterEnabled: true })
      }
    })
  })

  it('no answer carried a client or consumer secret', () => {
    const everything = answers.map((a) => a.text).join('\n')
    for (const secret of mocks.secrets()) {
      expect(everything).not.toContain(secret)
    }
  })
})
