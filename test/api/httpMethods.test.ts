import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { TestApp } from '../helpers/server.js'

import { call, cookieJar } from '../helpers/client.js'
import { testDatabases } from '../helpers/database.js'
import { startTestApp } from '../helpers/server.js'
import { createUser, PASSWORD } from '../helpers/users.js'

const RENDERS = ['application/json']
const PARSES = ['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data']
const field = (type: string, label: string, extra: Record<string, unknown> = {}) => ({ type, required: false, read_only: false, label, ...extra })
const required = (type: string, label: string, extra: Record<string, unknown> = {}) => ({ ...field(type, label, extra), required: true })

/**
 * OPTIONS (Django REST framework's SimpleMetadata), HEAD wherever GET is, and the `Allow` header DRF
 * puts on every answer of a view, in token, session and JWT mode.
 */
describe.each(testDatabases())('OPTIONS, HEAD and Allow on %s', (db) => {
  let app: TestApp
  let key: string
  const browser = cookieJar()
  const saveSettings = (data: Record<string, unknown>) => app.payload.updateGlobal({ data: data as never, slug: 'rest-auth-settings' as never })
  const options = (path: string, init: Parameters<typeof call>[2] = {}) => call(`${app.url}/${path}`, 'OPTIONS', init)

  beforeAll(async () => {
    app = await startTestApp({ db })
    await createUser(app.payload, { email: 'bob@example.com', username: 'bob' })
    const login = await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'bob' } })
    key = login.body.key
    browser.store(login.cookies)
  })
  afterAll(async () => app?.close())

  it('login/: the view’s name, its docstring, the parsers and LoginSerializer’s fields', async () => {
    const res = await options('login/')
    expect(res.status).toBe(200)
    expect(res.headers.get('allow')).toBe('POST, OPTIONS')
    expect(res.text).toBe(
      JSON.stringify({
        name: 'Login',
        description:
          "Check the credentials and return the REST Token\nif the credentials are valid and authenticated.\nCalls Django Auth login method to register User ID\nin Django session framework\n\nAccept the following POST parameters: username, password\nReturn the REST Framework Token Object's key.",
        renders: RENDERS,
        parses: PARSES,
        actions: {
          POST: { username: field('string', 'Username'), email: field('email', 'Email'), password: required('string', 'Password') },
        },
      }),
    )
  })

  it('user/: authenticated only (IsAuthenticated applies to OPTIONS too); PUT shows UserDetailsSerializer', async () => {
    const anonymous = await options('user/')
    expect(anonymous.status).toBe(403)
    expect(anonymous.body).toEqual({ detail: 'Authentication credentials were not provided.' })
    expect(anonymous.headers.get('allow')).toBe('GET, PUT, PATCH, HEAD, OPTIONS')
    for (const credentials of [{ token: key }, { headers: { cookie: browser.header() } }]) {
      const res = await options('user/', credentials)
      expect(res.status).toBe(200)
      expect(res.headers.get('allow')).toBe('GET, PUT, PATCH, HEAD, OPTIONS')
      expect(res.body.name).toBe('User Details')
      expect(res.body.description).toMatch(/^Reads and updates UserModel fields\nAccepts GET, PUT, PATCH methods\.\n\n/)
      expect(res.body.actions).toEqual({
        PUT: {
          pk: { type: 'integer', required: false, read_only: true, label: 'ID' },
          username: required('string', 'Username', {
            help_text: 'Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only.',
            max_length: 150,
          }),
          email: { type: 'email', required: false, read_only: true, label: 'Email address' },
          first_name: field('string', 'First name', { max_length: 150 }),
          last_name: field('string', 'Last name', { max_length: 150 }),
        },
      })
      expect(Object.keys(res.body.actions.PUT)).toEqual(['pk', 'username', 'email', 'first_name', 'last_name'])
    }
  })

  it('the serializers follow the settings: password/change/ with OLD_PASSWORD_FIELD_ENABLED, registration/ with allauth’s', async () => {
    const change = await options('password/change/', { token: key })
    expect(change.body.name).toBe('Password Change')
    expect(Object.keys(change.body.actions.POST)).toEqual(['new_password1', 'new_password2'])
    expect(change.body.actions.POST.new_password1).toEqual(required('string', 'New password1', { max_length: 128 }))
    const register = await options('registration/')
    expect(register.body).toMatchObject({ name: 'Register', description: '' })
    expect(register.body.actions.POST).toEqual({
      username: required('string', 'Username', { min_length: 1, max_length: 150 }),
      email: field('email', 'Email'),
      password1: required('string', 'Password1'),
      password2: required('string', 'Password2'),
    })
    await saveSettings({ accountEmailRequired: true, oldPasswordFieldEnabled: true })
    try {
      expect(Object.keys((await options('password/change/', { token: key })).body.actions.POST)).toEqual([
        'old_password',
        'new_password1',
        'new_password2',
      ])
      expect((await options('registration/')).body.actions.POST.email).toEqual(required('email', 'Email'))
    } finally {
      await saveSettings({ accountEmailRequired: false, oldPasswordFieldEnabled: false })
    }
  })

  it('every route answers OPTIONS with its view', async () => {
    const expected: [string, string, string, string[] | null][] = [
      ['password/reset/', 'Password Reset', 'POST, OPTIONS', ['email']],
      ['password/reset/confirm/', 'Password Reset Confirm', 'POST, OPTIONS', ['new_password1', 'new_password2', 'uid', 'token']],
      ['logout/', 'Logout', 'POST, OPTIONS', null],
      ['registration/verify-email/', 'Verify Email', 'POST, OPTIONS', ['key']],
      ['account-confirm-email/', 'Verify Email', 'POST, OPTIONS', ['key']],
      ['registration/resend-email/', 'Resend Email Verification', 'POST, OPTIONS', ['email']],
      ['social/providers/', 'Social Providers', 'GET, HEAD, OPTIONS', null],
    ]
    for (const [path, name, allow, fields] of expected) {
      const res = await options(path)
      expect(res.status, path).toBe(200)
      expect(res.headers.get('allow'), path).toBe(allow)
      expect(res.body.name, path).toBe(name)
      expect(res.body.actions ? Object.keys(res.body.actions.POST) : null, path).toEqual(fields)
    }
    const list = await options('socialaccounts/', { token: key })
    expect(list.body).toEqual({
      name: 'Social Account List',
      description: 'List SocialAccounts for the currently logged in user',
      renders: RENDERS,
      parses: PARSES,
    })
    const disconnect = await options('socialaccounts/1/disconnect/', { token: key })
    expect(disconnect.body.name).toBe('Social Account Disconnect')
    expect(Object.keys(disconnect.body.actions.POST)).toEqual(['access_token', 'code', 'id_token'])
    expect((await options('token/verify/')).status).toBe(404)
  })

  it('social routes carry the names of the views dj-rest-auth’s documentation has projects write', async () => {
    await saveSettings({ githubClientId: 'gh-id', githubEnabled: true, twitterClientId: 'tw-id', twitterEnabled: true })
    try {
      const github = await options('github/')
      expect(github.body.name).toBe('Git Hub Login')
      expect(Object.keys(github.body.actions.POST)).toEqual(['access_token', 'code', 'id_token', 'code_verifier'])
      expect((await options('github/connect/')).status).toBe(403)
      expect((await options('github/connect/', { token: key })).body.name).toBe('Github Connect')
      const twitter = await options('twitter/')
      expect(twitter.body.name).toBe('Twitter Login')
      expect(twitter.body.actions.POST.access_token).toEqual(required('string', 'Access token'))
      expect(twitter.body.actions.POST.oauth_verifier).toEqual(field('string', 'Oauth verifier'))
      expect((await options('twitter/request_token/')).body.name).toBe('Twitter Request Token')
    } finally {
      await saveSettings({ githubEnabled: false, twitterEnabled: false })
    }
  })

  it('JWT mode: the token views answer OPTIONS whatever the credentials (they have no authentication classes)', async () => {
    await saveSettings({ useJwt: true })
    try {
      const verify = await options('token/verify/', { headers: { authorization: 'Bearer garbage' } })
      expect(verify.status).toBe(200)
      expect(verify.body).toEqual({
        name: 'Token Verify',
        description: "Takes a token and indicates if it is valid.  This view provides no\ninformation about a token's fitness for a particular use.",
        renders: RENDERS,
        parses: PARSES,
        actions: { POST: { token: required('string', 'Token') } },
      })
      const refresh = await options('token/refresh/')
      expect(refresh.body.name).toBe('Refresh View With Cookie Support')
      expect(refresh.body.actions.POST).toEqual({
        refresh: field('string', 'Refresh', { help_text: 'WIll override cookie.' }),
        access: { type: 'string', required: false, read_only: true, label: 'Access' },
      })
      const user = await options('user/', { headers: { authorization: 'Bearer garbage' } })
      expect(user.status).toBe(401)
      expect(user.headers.get('www-authenticate')).toBe('Bearer realm="api"')
    } finally {
      await saveSettings({ useJwt: false })
    }
  })

  it('a CORS preflight is answered before any check: browsers send it without credentials', async () => {
    const res = await options('user/', { headers: { 'access-control-request-method': 'GET', origin: 'http://localhost:3000' } })
    expect(res.status).toBe(200)
    expect(res.text).toBe('')
    expect(res.headers.get('allow')).toBe('GET, PUT, PATCH, HEAD, OPTIONS')
  })

  it('the e-mail link route is a plain Django view: an empty OPTIONS answer', async () => {
    const res = await options('registration/account-confirm-email/abc/', { token: 'garbage' })
    expect(res.status).toBe(200)
    expect(res.text).toBe('')
    expect(res.headers.get('allow')).toBe('GET, HEAD, OPTIONS')
  })

  it('HEAD answers wherever GET does, with the GET’s status and headers and no body', async () => {
    const get = await call(`${app.url}/user/`, 'GET', { token: key })
    const head = await call(`${app.url}/user/`, 'HEAD', { token: key })
    expect(head.status).toBe(200)
    expect(head.text).toBe('')
    expect(head.headers.get('content-type')).toBe(get.headers.get('content-type'))
    expect(head.headers.get('allow')).toBe('GET, PUT, PATCH, HEAD, OPTIONS')
    expect((await call(`${app.url}/user/`, 'HEAD')).status).toBe(403)
    expect((await call(`${app.url}/social/providers/`, 'HEAD')).status).toBe(200)
    const notGet = await call(`${app.url}/login/`, 'HEAD')
    expect(notGet.status).toBe(405)
    expect(notGet.headers.get('allow')).toBe('POST, OPTIONS')
  })

  it('logout/ follows ACCOUNT_LOGOUT_ON_GET: GET and HEAD are listed and answered only with it', async () => {
    expect((await call(`${app.url}/logout/`, 'POST', { body: {} })).headers.get('allow')).toBe('POST, OPTIONS')
    await saveSettings({ logoutOnGet: true })
    try {
      const other = await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'bob' } })
      const res = await call(`${app.url}/logout/`, 'HEAD', { token: other.body.key })
      expect(res.status).toBe(200)
      expect(res.headers.get('allow')).toBe('GET, POST, HEAD, OPTIONS')
      // Django answers HEAD with the GET handler: the token is gone.
      expect((await call(`${app.url}/user/`, 'GET', { token: other.body.key })).status).toBe(403)
    } finally {
      await saveSettings({ logoutOnGet: false })
    }
  })

  it('Allow rides on every answer of a route, errors included; a disabled route is a bare 404', async () => {
    const bad = await call(`${app.url}/login/`, 'POST', { body: {} })
    expect(bad.status).toBe(400)
    expect(bad.headers.get('allow')).toBe('POST, OPTIONS')
    const disabled = await call(`${app.url}/token/refresh/`, 'POST', { body: {} })
    expect(disabled.status).toBe(404)
    expect(disabled.headers.get('allow')).toBeNull()
  })
})
