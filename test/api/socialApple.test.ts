import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'

import type { MockApple } from '../helpers/mockOpenIdProviders.js'
import type { SocialTestApp } from '../helpers/socialApp.js'

import { call } from '../helpers/client.js'
import { formOf, submitConsent } from '../helpers/consent.js'
import { testDatabases } from '../helpers/database.js'
import { startMockApple } from '../helpers/mockOpenIdProviders.js'
import { CALLBACK_URL } from '../helpers/mockProviders.js'
import { startSocialApp } from '../helpers/socialApp.js'

type Row = Record<string, any>

const BUNDLE_ID = 'com.example.ios'

/** What Apple's consent page posts to the callback (form_post): the action and hidden fields of its self-submitting form. */
const formPost = async (pageUrl: string, user: string): Promise<{ action: string; fields: Record<string, string> }> => {
  const answer = await submitConsent(pageUrl, { user })
  expect(answer.status, answer.text).toBe(200)
  const { action, fields } = formOf(answer.text)
  return { action, fields: Object.fromEntries(fields) }
}

/**
 * Sign in with Apple against a stand-in on loopback: the ES256 client secret made from the team
 * ID, key ID and private key (write-only), the consent page's form_post with the name on the first
 * authorization only, private relay addresses, and id_tokens from iOS apps (bundle IDs).
 */
describe.each(testDatabases())('Sign in with Apple on %s', (db) => {
  let apple: MockApple
  let t: SocialTestApp
  const logged: unknown[][] = []

  beforeAll(async () => {
    apple = await startMockApple()
    t = await startSocialApp({ db, settings: { ...apple.settings, appleAcceptedClientIds: BUNDLE_ID } })
    for (const level of ['debug', 'error', 'fatal', 'info', 'trace', 'warn'] as const) {
      const original = t.app.payload.logger[level].bind(t.app.payload.logger)
      vi.spyOn(t.app.payload.logger, level).mockImplementation(((...args: unknown[]) => {
        logged.push(args)
        return (original as (...a: unknown[]) => void)(...args)
      }) as never)
    }
    apple.profiles.set('ava', { email: 'x7k2m9q4dr@privaterelay.appleid.com', email_verified: 'true', is_private_email: 'true', name: { firstName: 'Ava', lastName: 'Stone' }, sub: '001234.abcdef0123456789.0001' })
    apple.profiles.set('max', { email: 'max@example.com', email_verified: true, is_private_email: false, name: { firstName: 'Max', lastName: 'Holt' }, sub: '001234.abcdef0123456789.0002' })
  })
  afterAll(async () => {
    await t?.app.close()
    await apple?.close()
  })

  it('social/providers/ sends the user to Apple with form_post', async () => {
    const entry = ((await t.api('social/providers/', 'GET')).body as Row[]).find((provider) => provider.provider === 'apple')!
    expect(entry).toMatchObject({ callback_url: CALLBACK_URL, client_id: apple.clientId, name: 'Apple', protocol: 'oauth2', scope: ['name', 'email'] })
    expect(Object.fromEntries(new URL(entry.authorization_url).searchParams)).toEqual({
      client_id: apple.clientId,
      redirect_uri: CALLBACK_URL,
      response_mode: 'form_post',
      response_type: 'code',
      scope: 'name email',
    })
  })

  it('first login: the form POST brings the code and the name; the relay address is verified; the client secret is a signed JWT', async () => {
    const entry = ((await t.api('social/providers/', 'GET')).body as Row[]).find((provider) => provider.provider === 'apple')!
    const start = new URL(entry.authorization_url)
    start.searchParams.set('state', 'st-1')
    const { action, fields } = await formPost(start.toString(), 'ava')
    expect(action).toBe(CALLBACK_URL)
    expect(fields.state).toBe('st-1')
    expect(JSON.parse(fields.user!)).toEqual({ email: 'x7k2m9q4dr@privaterelay.appleid.com', name: { firstName: 'Ava', lastName: 'Stone' } })
    // The client forwards what Apple posted.
    const res = await t.post('apple/', { code: fields.code, user: fields.user })
    expect(res.status, res.text).toBe(200)
    const me = (await t.api('user/', 'GET', { token: res.body.key })).body
    // The relay's random local part makes no username; the name does.
    expect(me).toMatchObject({ email: 'x7k2m9q4dr@privaterelay.appleid.com', first_name: 'Ava', last_name: 'Stone', username: 'avastone' })
    const address = (await t.app.payload.find({ collection: 'email-addresses' as never, where: { email: { equals: me.email } } })).docs[0] as Row
    expect(address).toMatchObject({ verified: true })
    const [account] = (await t.app.payload.find({ collection: 'social-accounts' as never, where: { provider: { equals: 'apple' } } })).docs as Row[]
    expect(account).toMatchObject({ uid: '001234.abcdef0123456789.0001' })
    expect(account!.extra_data).toMatchObject({ is_private_email: 'true', name: { firstName: 'Ava', lastName: 'Stone' } })
    const secret = apple.received.filter((request) => request.path === '/auth/token').at(-1)!.params.get('client_secret')!
    expect(secret.split('.')).toHaveLength(3)
    expect(JSON.parse(Buffer.from(secret.split('.')[0]!, 'base64url').toString())).toEqual({ alg: 'ES256', kid: apple.settings.appleKeyId, typ: 'JWT' })
  })

  it('later logins: no name from Apple, the same user, the name kept', async () => {
    const start = new URL(((await t.api('social/providers/', 'GET')).body as Row[]).find((provider) => provider.provider === 'apple')!.authorization_url)
    const { fields } = await formPost(start.toString(), 'ava')
    expect(fields.user).toBeUndefined()
    const res = await t.post('apple/', { code: fields.code })
    expect(res.status, res.text).toBe(200)
    expect((await t.api('user/', 'GET', { token: res.body.key })).body).toMatchObject({ first_name: 'Ava', username: 'avastone' })
  })

  it('an iOS app’s id_token (its bundle ID as audience), with the SHA-256 of its nonce', async () => {
    const raw = 'ios-raw-nonce-1'
    const token = apple.idToken('max', { aud: BUNDLE_ID, nonce: createHash('sha256').update(raw).digest('hex') })
    // dj-rest-auth's clients send Apple's authorization code as access_token next to the id_token.
    const res = await t.post('apple/', { access_token: 'c0ffee', id_token: token, nonce: raw, user: { name: { firstName: 'Max', lastName: 'Holt' } } })
    expect(res.status, res.text).toBe(200)
    expect((await t.api('user/', 'GET', { token: res.body.key })).body).toMatchObject({ email: 'max@example.com', first_name: 'Max', username: 'max' })
    expect((await t.post('apple/', { id_token: token, nonce: raw })).body).toEqual({ non_field_errors: ['This id_token was already used.'] })
    expect((await t.post('apple/', { id_token: apple.idToken('max', { aud: 'com.someone.else' }) })).body).toEqual({
      non_field_errors: ['The Apple id_token was not issued to this application.'],
    })
  })

  it('an access token alone identifies nobody', async () => {
    expect((await t.post('apple/', { access_token: 'x' })).body).toEqual({ non_field_errors: ['Apple sign-in needs an id_token or a code.'] })
  })

  it('the private key is write-only, checked when saved, and accepted without its line breaks', async () => {
    const headers = { authorization: `JWT ${(await call(`${t.app.apiUrl}/users/login`, 'POST', { body: { password: 'Xk9!pq2mZz', username: 'root' } })).body.token}` }
    const read = await t.api(`${t.app.apiUrl}/globals/rest-auth-settings`, 'GET', { headers })
    expect(read.body.appleTeamId).toBe(apple.settings.appleTeamId)
    expect(read.body).not.toHaveProperty('applePrivateKey')
    expect((await t.saveSettings({ applePrivateKey: 'not a key' }, 400)).text).toContain('Must be the ES256 (P-256) private key of a .p8 file.')
    expect((await t.saveSettings({ appleKeyId: '' }, 400)).text).toContain('The team ID, key ID and private key go together')
    // Pasted into a one-line input, the PEM loses its line breaks.
    const oneLine = apple.privateKeyPem.replace(/\n/g, ' ')
    await t.saveSettings({ applePrivateKey: oneLine })
    const start = new URL(((await t.api('social/providers/', 'GET')).body as Row[]).find((provider) => provider.provider === 'apple')!.authorization_url)
    const { fields } = await formPost(start.toString(), 'max')
    expect((await t.post('apple/', { code: fields.code })).status).toBe(200)
    // Without a key no code can be exchanged (an iOS app's id_token still works).
    await t.saveSettings({ appleKeyId: '', applePrivateKey: '', appleTeamId: '' })
    try {
      expect((await t.post('apple/', { code: apple.issueCode('max') })).body).toEqual({
        non_field_errors: ['Apple is not configured to exchange a code (its client secret settings are empty).'],
      })
      expect((await t.post('apple/', { id_token: apple.idToken('max', { aud: BUNDLE_ID }) })).status).toBe(200)
    } finally {
      await t.saveSettings({ appleKeyId: apple.settings.appleKeyId, applePrivateKey: apple.privateKeyPem, appleTeamId: apple.settings.appleTeamId })
    }
  })

  it('a refused exchange answers in Apple’s words', async () => {
    expect((await t.post('apple/', { code: 'expired' })).body).toEqual({ non_field_errors: ['invalid_grant: The code has expired or has been revoked.'] })
  })

  it('the private key and the client secrets made from it never appear in an answer or a log line', () => {
    const body = apple.privateKeyPem.split('\n').slice(1, -2).join('')
    const secrets = apple.received.filter((request) => request.path === '/auth/token').map((request) => request.params.get('client_secret')!)
    expect(secrets.length).toBeGreaterThan(0)
    for (const text of [...t.answers.map((answer) => answer.text), ...logged.map((args) => JSON.stringify(args))]) {
      expect(text).not.toContain(body.slice(0, 40))
      for (const secret of secrets) {
        expect(text).not.toContain(secret)
      }
    }
  })
})
