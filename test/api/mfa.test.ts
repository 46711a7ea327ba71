import jwt from 'jsonwebtoken'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'

import type { TotpParameters } from '../../src/mfa/totp.js'
import type { ApiResponse, CallOptions } from '../helpers/client.js'
import type { Mailbox } from '../helpers/smtp.js'
import type { MockProviders } from '../helpers/mockProviders.js'
import type { TestApp } from '../helpers/server.js'

import { createLocalReq } from 'payload'

import { useRecoveryCode, useTotpCode } from '../../src/mfa/authenticators.js'
import { totpCode } from '../../src/mfa/totp.js'
import { setClock } from '../../src/utilities/clock.js'
import { pluginOptionsOf } from '../../src/utilities/pluginOptions.js'
import { findAuthEvents } from '../helpers/authEvents.js'
import { call, cookieJar } from '../helpers/client.js'
import { codeIn } from '../helpers/codes.js'
import { testDatabases } from '../helpers/database.js'
import { startMockProviders } from '../helpers/mockProviders.js'
import { startTestApp } from '../helpers/server.js'
import { startMailbox } from '../helpers/smtp.js'
import { createUser, PASSWORD, verifyEmailOf } from '../helpers/users.js'

type Enrolled = { key: string; parameters: TotpParameters; recoveryCodes: string[]; secret: string; userId: number | string; username: string }

/**
 * Two-factor authentication over HTTP: enrolment, the two-step login on every first-factor route
 * (password, social, Payload's own login) in token, JWT and session modes, wrong, replayed and
 * raced codes, a burned or expired mfa_token, throttles, the admin's reset, and that the secrets
 * never leave the server.
 */
describe.each(testDatabases())('two-factor authentication on %s', (db) => {
  let app: TestApp
  let mailbox: Mailbox
  let mocks: MockProviders
  let adminToken: string
  const answers: ApiResponse[] = []
  /**
   * The plugin's clock stands still at `base + offsetMs` and moves only when a test moves it: each
   * code gets a time step of its own, and no step boundary passes between making a code and
   * checking it, however slow the machine.
   */
  const base = Date.now()
  let offsetMs = 0
  const freezeClock = () => {
    const at = base + offsetMs
    setClock(() => at)
  }

  const api = async (path: string, method: string, options: CallOptions = {}): Promise<ApiResponse> => {
    const res = await call(path.startsWith('http') ? path : `${app.url}/${path}`, method, options)
    answers.push(res)
    return res
  }
  const post = (path: string, body: unknown, token?: string) => api(path, 'POST', { body, token })
  const setSettings = (data: Record<string, unknown>) =>
    app.payload.updateGlobal({ data: data as never, overrideAccess: true, slug: 'rest-auth-settings' as never })

  /** Moves the plugin's clock to the next time step and answers its code. */
  const nextCode = ({ parameters, secret }: Pick<Enrolled, 'parameters' | 'secret'>): string => {
    offsetMs += parameters.period * 1000
    freezeClock()
    return totpCode({ parameters, secret, timestamp: base + offsetMs })
  }

  const passwordLogin = (username: string) => post('login/', { password: PASSWORD, username })

  /** A user with a verified address and an active authenticator app. */
  const enrol = async (username: string): Promise<Enrolled> => {
    const user = await createUser(app.payload, { email: `${username}@example.com`, username })
    await verifyEmailOf(app.payload, user)
    const key = (await passwordLogin(username)).body.key as string
    const setup = await post('mfa/totp/setup/', {}, key)
    expect(setup.status, setup.text).toBe(200)
    const { algorithm, digits, period, secret } = setup.body
    const parameters = { algorithm, digits, period }
    const since = mailbox.messages.length
    const activated = await post('mfa/totp/activate/', { code: nextCode({ parameters, secret }) }, key)
    expect(activated.status, activated.text).toBe(200)
    // The notice is sent after the answer: wait for it here, so a test's own "next mail" is not it.
    await mailbox.waitFor(`${username}@example.com`, { since, subject: 'Authenticator App Activated' })
    return { key, parameters, recoveryCodes: activated.body.recovery_codes, secret, userId: user.id, username }
  }

  const mfaTokenOf = (res: ApiResponse): string => {
    expect(res.status, res.text).toBe(401)
    return res.body.mfa_token as string
  }

  beforeAll(async () => {
    freezeClock()
    mailbox = await startMailbox()
    mocks = await startMockProviders()
    app = await startTestApp({
      config: { email: mailbox.adapter },
      db,
      plugin: { settings: { ...mocks.settings(), siteName: 'Example' } as never },
    })
    await createUser(app.payload, { email: 'root@example.com', is_staff: true, username: 'root' })
    adminToken = (await call(`${app.apiUrl}/users/login`, 'POST', { body: { password: PASSWORD, username: 'root' } })).body.token
  })
  afterAll(async () => {
    setClock(null)
    await app?.close()
    await mocks?.close()
    await mailbox?.close()
  })
  afterEach(freezeClock)

  describe('enrolment', () => {
    it('sets up with a secret and otpauth URL, activates with a code, shows ten recovery codes once and mails the user', async () => {
      const since = mailbox.messages.length
      const { key, recoveryCodes, secret } = await enrol('erin')
      expect(secret).toMatch(/^[A-Z2-7]{32}$/)
      expect(recoveryCodes).toHaveLength(10)
      expect(new Set(recoveryCodes).size).toBe(10)
      recoveryCodes.forEach((code) => expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/))
      const list = await api('mfa/authenticators/', 'GET', { token: key })
      expect(list.status).toBe(200)
      expect(list.body).toEqual([
        { created_at: expect.any(Number), last_used_at: null, type: 'totp' },
        { created_at: expect.any(Number), last_used_at: null, total_code_count: 10, type: 'recovery_codes', unused_code_count: 10 },
      ])
      expect((await api('mfa/recovery-codes/', 'GET', { token: key })).body).toEqual({ total_code_count: 10, unused_code_count: 10 })
      const mail = await mailbox.waitFor('erin@example.com', { since })
      expect(mail.subject).toBe('[Example] Authenticator App Activated')
      // A second setup is refused while one is active.
      expect((await post('mfa/totp/setup/', {}, key)).body).toEqual({ non_field_errors: ['You already have an authenticator app set up.'] })
    })

    it('the setup URL is one authenticator apps read', async () => {
      const user = await createUser(app.payload, { email: 'ulla@example.com', username: 'ulla' })
      await verifyEmailOf(app.payload, user)
      const key = (await passwordLogin('ulla')).body.key
      const setup = await post('mfa/totp/setup/', {}, key)
      const url = new URL(setup.body.totp_url)
      expect(url.protocol).toBe('otpauth:')
      expect(url.host).toBe('totp')
      expect(decodeURIComponent(url.pathname)).toBe('/Example:ulla@example.com')
      expect(Object.fromEntries(url.searchParams)).toEqual({ algorithm: 'SHA1', digits: '6', issuer: 'Example', period: '30', secret: setup.body.secret })
    })

    it('refuses a wrong code, an unverified address, and an activation without setup', async () => {
      const user = await createUser(app.payload, { email: 'una@example.com', username: 'una' })
      const key = (await passwordLogin('una')).body.key
      expect((await post('mfa/totp/setup/', {}, key)).body).toEqual({
        non_field_errors: ['You cannot activate two-factor authentication until you have verified your e-mail address.'],
      })
      await verifyEmailOf(app.payload, user)
      expect((await post('mfa/totp/activate/', { code: '123456' }, key)).body).toEqual({
        non_field_errors: [expect.stringContaining('Set up the authenticator app first')],
      })
      const setup = await post('mfa/totp/setup/', {}, key)
      const parameters = { algorithm: setup.body.algorithm, digits: setup.body.digits, period: setup.body.period }
      const good = nextCode({ parameters, secret: setup.body.secret })
      const wrong = String((Number(good) + 1) % 1_000_000).padStart(6, '0')
      const refused = await post('mfa/totp/activate/', { code: wrong }, key)
      expect(refused.status).toBe(400)
      expect(refused.body).toEqual({ code: ['Incorrect code.'] })
      expect((await post('mfa/totp/activate/', { code: 'abc' }, key)).status).toBe(400)
      expect((await post('mfa/totp/activate/', {}, key)).body).toEqual({ code: ['This field is required.'] })
      // Without activation, logins ask for nothing.
      expect((await passwordLogin('una')).status).toBe(200)
      // Anonymous: the first authentication class (session) answers 403, as DRF does.
      expect((await api('mfa/totp/setup/', 'POST')).status).toBe(403)
    })
  })

  describe('login in two steps', () => {
    it('token mode: login/ answers 401 with an mfa_token and no credential; the code completes it', async () => {
      const enrolled = await enrol('tom')
      const first = await passwordLogin('tom')
      expect(first.status).toBe(401)
      expect(first.body).toEqual({
        code: 'mfa_required',
        detail: 'Two-factor authentication required.',
        expires_in: 600,
        flows: [{ id: 'mfa_authenticate', is_pending: true, types: ['totp', 'recovery_codes'] }],
        mfa_token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      })
      expect(first.cookies).toEqual([])
      expect(first.headers.get('cache-control')).toBe('no-store')
      const done = await post('mfa/authenticate/', { code: nextCode(enrolled), mfa_token: first.body.mfa_token })
      expect(done.status, done.text).toBe(200)
      expect(done.body).toEqual({ key: expect.stringMatching(/^[0-9a-f]{40}$/) })
      expect((await api('user/', 'GET', { token: done.body.key })).body.username).toBe('tom')
      // The login's session records both factors; the first step made no session at all.
      const sessions = await app.payload.find({ collection: 'auth-sessions' as never, overrideAccess: true, where: { user: { equals: enrolled.userId } } })
      expect(sessions.docs.map((row) => ((row as unknown as { methods: { method: string }[] }).methods ?? []).map((used) => used.method))).toContainEqual(['password', 'totp'])
      expect(sessions.docs.length).toBe(2)
      // The pending login is used up.
      const again = await post('mfa/authenticate/', { code: nextCode(enrolled), mfa_token: first.body.mfa_token })
      expect(again.status).toBe(401)
      expect(again.body).toEqual({ code: 'mfa_login_expired', detail: 'The login has expired or was used up. Log in again.' })
    })

    it('a wrong code is 400; after five the pending login is dead, even for the right code', async () => {
      const enrolled = await enrol('wes')
      const token = mfaTokenOf(await passwordLogin('wes'))
      const good = nextCode(enrolled)
      const wrong = String((Number(good) + 1) % 1_000_000).padStart(6, '0')
      for (let i = 0; i < 5; i += 1) {
        const res = await post('mfa/authenticate/', { code: wrong, mfa_token: token })
        expect(res.status).toBe(400)
        expect(res.body).toEqual({ code: ['Incorrect code.'] })
      }
      const late = await post('mfa/authenticate/', { code: good, mfa_token: token })
      expect(late.status).toBe(401)
      expect(late.body.code).toBe('mfa_login_expired')
      // The code was never checked, so a new login can still use it.
      expect((await post('mfa/authenticate/', { code: good, mfa_token: mfaTokenOf(await passwordLogin('wes')) })).status).toBe(200)
    })

    it('a TOTP code works once: replayed in a later login, or raced in two at once, only one login completes', async () => {
      const enrolled = await enrol('rex')
      const code = nextCode(enrolled)
      expect((await post('mfa/authenticate/', { code, mfa_token: mfaTokenOf(await passwordLogin('rex')) })).status).toBe(200)
      const replay = await post('mfa/authenticate/', { code, mfa_token: mfaTokenOf(await passwordLogin('rex')) })
      expect(replay.status).toBe(400)
      expect(replay.body).toEqual({ code: ['Incorrect code.'] })

      const tokens = [mfaTokenOf(await passwordLogin('rex')), mfaTokenOf(await passwordLogin('rex')), mfaTokenOf(await passwordLogin('rex'))]
      const fresh = nextCode(enrolled)
      const raced = await Promise.all(tokens.map((mfa_token) => post('mfa/authenticate/', { code: fresh, mfa_token })))
      expect(raced.map((res) => res.status).sort()).toEqual([200, 400, 400])
    })

    it('under the endpoint: of twelve checks of one TOTP code or one recovery code at once, exactly one succeeds', async () => {
      const enrolled = await enrol('cas')
      const options = pluginOptionsOf(app.payload)
      const settings = await options.settingsStore.get(app.payload)
      const args = async (code: string) => ({ code, options, req: await createLocalReq({}, app.payload), settings, userId: enrolled.userId })
      const code = nextCode(enrolled)
      const totp = await Promise.all(Array.from({ length: 12 }, async () => useTotpCode(await args(code))))
      expect(totp.filter(Boolean)).toHaveLength(1)
      const recovery = await Promise.all(Array.from({ length: 12 }, async () => useRecoveryCode(await args(enrolled.recoveryCodes[0]!))))
      expect(recovery.filter(Boolean)).toHaveLength(1)
    })

    it('the same mfa_token completed twice at once with two good codes: exactly one login', async () => {
      const enrolled = await enrol('dua')
      const token = mfaTokenOf(await passwordLogin('dua'))
      const [first, second] = enrolled.recoveryCodes
      const results = await Promise.all([first, second].map((code) => post('mfa/authenticate/', { code, mfa_token: token })))
      expect(results.filter((res) => res.status === 200)).toHaveLength(1)
      expect(results.filter((res) => res.status === 200)[0]!.body.key).toMatch(/^[0-9a-f]{40}$/)
    })

    it('a recovery code works once, even sent in parallel; typed in lower case without its dash it is the same code', async () => {
      const enrolled = await enrol('rita')
      const code = enrolled.recoveryCodes[3]!
      const tokens = await Promise.all(Array.from({ length: 4 }, async () => mfaTokenOf(await passwordLogin('rita'))))
      const raced = await Promise.all(tokens.map((mfa_token) => post('mfa/authenticate/', { code, mfa_token })))
      expect(raced.map((res) => res.status).sort()).toEqual([200, 400, 400, 400])
      const typed = enrolled.recoveryCodes[4]!.replace('-', ' ').toLowerCase()
      const loose = await post('mfa/authenticate/', { code: typed, mfa_token: mfaTokenOf(await passwordLogin('rita')) })
      expect(loose.status, loose.text).toBe(200)
      expect((await api('mfa/recovery-codes/', 'GET', { token: loose.body.key })).body).toEqual({ total_code_count: 10, unused_code_count: 8 })
      // When no recovery code is left unused, only the app is offered.
      const codes = enrolled.recoveryCodes.filter((_, index) => index !== 3 && index !== 4)
      for (const spare of codes) {
        expect((await post('mfa/authenticate/', { code: spare, mfa_token: mfaTokenOf(await passwordLogin('rita')) })).status).toBe(200)
      }
      expect((await passwordLogin('rita')).body.flows[0].types).toEqual(['totp'])
    })

    it('an expired mfa_token and an unknown one are refused as a login to start again', async () => {
      const enrolled = await enrol('eve')
      const token = mfaTokenOf(await passwordLogin('eve'))
      offsetMs += 601_000
      const code = nextCode(enrolled)
      const expired = await post('mfa/authenticate/', { code, mfa_token: token })
      expect(expired.status).toBe(401)
      expect(expired.body.code).toBe('mfa_login_expired')
      expect((await post('mfa/authenticate/', { code, mfa_token: 'x'.repeat(43) })).status).toBe(401)
      expect((await post('mfa/authenticate/', { code })).body).toEqual({ mfa_token: ['This field is required.'] })
      expect((await post('mfa/authenticate/', { code: ['1'], mfa_token: token })).status).toBe(400)
    })

    it('JWT mode: the completed login answers the JWT pair and cookies, its claims carry amr and auth_time', async () => {
      const enrolled = await enrol('jay')
      await setSettings({ useJwt: true })
      try {
        const first = await passwordLogin('jay')
        expect(first.status).toBe(401)
        expect(first.cookies).toEqual([])
        const done = await post('mfa/authenticate/', { code: nextCode(enrolled), mfa_token: first.body.mfa_token })
        expect(done.status, done.text).toBe(200)
        expect(done.body).toMatchObject({ access: expect.any(String), refresh: expect.any(String), user: { username: 'jay' } })
        expect((await api('user/', 'GET', { headers: { authorization: `Bearer ${done.body.access}` } })).body.username).toBe('jay')
        const claims = jwt.decode(done.body.access) as Record<string, unknown>
        expect(claims.amr).toEqual(['pwd', 'otp', 'mfa'])
        expect(Math.abs((claims.auth_time as number) - Date.now() / 1000)).toBeLessThan(60)
        // A recovery code is a one-time code too.
        const recovered = await post('mfa/authenticate/', { code: enrolled.recoveryCodes[0], mfa_token: mfaTokenOf(await passwordLogin('jay')) })
        expect((jwt.decode(recovered.body.access) as Record<string, unknown>).amr).toEqual(['pwd', 'otp', 'mfa'])
        // A user without MFA logs in at once, without them.
        await createUser(app.payload, { email: 'joe@example.com', username: 'joe' })
        const plain = await passwordLogin('joe')
        expect(plain.status).toBe(200)
        const plainClaims = jwt.decode(plain.body.access) as Record<string, unknown>
        expect(plainClaims).not.toHaveProperty('amr')
        expect(plainClaims).not.toHaveProperty('auth_time')
      } finally {
        await setSettings({ useJwt: false })
      }
    })

    it('session mode: the completed login starts the session, the first step does not', async () => {
      const enrolled = await enrol('sue')
      await setSettings({ tokenAuthEnabled: false })
      try {
        const first = await passwordLogin('sue')
        expect(first.status).toBe(401)
        expect(first.cookies).toEqual([])
        const done = await post('mfa/authenticate/', { code: nextCode(enrolled), mfa_token: first.body.mfa_token })
        expect(done.status, done.text).toBe(204)
        const browser = cookieJar()
        browser.store(done.cookies)
        expect(browser.get('sessionid')).toBeTruthy()
        const me = await api('user/', 'GET', { headers: { cookie: browser.header() } })
        expect(me.body.username).toBe('sue')
      } finally {
        await setSettings({ tokenAuthEnabled: true })
      }
    })

    it('social login: a user with MFA gets 401 from <provider>/ and completes with a code', async () => {
      mocks.google.profiles.set('gia', { email: 'gia@example.com', email_verified: true, name: 'Gia', sub: '108000000000000000777' })
      const signUp = await post('google/', { access_token: mocks.google.issueToken('gia') })
      expect(signUp.status, signUp.text).toBe(200)
      const setup = await post('mfa/totp/setup/', {}, signUp.body.key)
      expect(setup.status, setup.text).toBe(200)
      const parameters = { algorithm: setup.body.algorithm, digits: setup.body.digits, period: setup.body.period }
      const enrolled = { parameters, secret: setup.body.secret }
      expect((await post('mfa/totp/activate/', { code: nextCode(enrolled) }, signUp.body.key)).status).toBe(200)

      const first = await post('google/', { access_token: mocks.google.issueToken('gia') })
      expect(first.status).toBe(401)
      expect(first.body).toMatchObject({ code: 'mfa_required', flows: [{ id: 'mfa_authenticate', types: ['totp', 'recovery_codes'] }] })
      expect(first.body.key).toBeUndefined()
      const done = await post('mfa/authenticate/', { code: nextCode(enrolled), mfa_token: first.body.mfa_token })
      expect(done.status, done.text).toBe(200)
      expect((await api('user/', 'GET', { token: done.body.key })).body.email).toBe('gia@example.com')
    })

    it('login by code: a user with MFA gets 401 from code/confirm/ (the code is a first factor) and completes with a TOTP code', async () => {
      const enrolled = await enrol('cora')
      await setSettings({ loginByCodeEnabled: true })
      try {
        const since = mailbox.messages.length
        const requested = await post('code/request/', { email: 'cora@example.com' })
        expect(requested.status, requested.text).toBe(202)
        const code = codeIn(await mailbox.waitFor('cora@example.com', { since }))
        const first = await post('code/confirm/', { code, flow_token: requested.body.flow_token })
        expect(first.status, first.text).toBe(401)
        expect(first.body).toMatchObject({ code: 'mfa_required' })
        expect(first.body.key).toBeUndefined()
        const done = await post('mfa/authenticate/', { code: nextCode(enrolled), mfa_token: first.body.mfa_token })
        expect(done.status, done.text).toBe(200)
        expect((await api('user/', 'GET', { token: done.body.key })).body.username).toBe('cora')
      } finally {
        await setSettings({ loginByCodeEnabled: false })
      }
    })

    it("Payload's own login refuses an MFA user without the code, and accepts a current one", async () => {
      const enrolled = await enrol('pam')
      // Refusals the user can mend are not application errors: no stack in the error log.
      const loggedErrors = vi.spyOn(app.payload.logger, 'error')
      const bare = await call(`${app.apiUrl}/users/login`, 'POST', { body: { password: PASSWORD, username: 'pam' } })
      expect(bare.status).toBe(401)
      expect(bare.body.token).toBeUndefined()
      expect(bare.cookies.filter((cookie) => cookie.startsWith('payload-token='))).toEqual([])
      expect(JSON.stringify(bare.body)).toContain('Two-factor authentication required.')
      const wrong = await call(`${app.apiUrl}/users/login`, 'POST', { body: { code: '000000', password: PASSWORD, username: 'pam' } })
      expect(wrong.status).toBe(401)
      expect(wrong.body.token).toBeUndefined()
      expect(loggedErrors).not.toHaveBeenCalled()
      loggedErrors.mockRestore()
      const good = await call(`${app.apiUrl}/users/login`, 'POST', { body: { code: nextCode(enrolled), password: PASSWORD, username: 'pam' } })
      expect(good.status, good.text).toBe(200)
      expect(good.body.token).toEqual(expect.any(String))
    })
  })

  it("Payload's reset-password, which logs the user in, changes nothing for an MFA user without a current code", async () => {
    const enrolled = await enrol('rae')
    const since = mailbox.messages.length
    expect((await call(`${app.apiUrl}/users/forgot-password`, 'POST', { body: { email: 'rae@example.com' } })).status).toBe(200)
    const mail = await mailbox.waitFor('rae@example.com', { since })
    const token = /\/reset\/([0-9a-f]{40})/.exec(String(mail.html))?.[1]
    expect(token, String(mail.html)).toBeTruthy()
    const res = await call(`${app.apiUrl}/users/reset-password`, 'POST', { body: { password: 'Zq8#vb3nMk', token } })
    expect(res.status).toBe(401)
    expect(res.body.token).toBeUndefined()
    expect(res.cookies.filter((cookie) => cookie.startsWith('payload-token='))).toEqual([])
    // The old password still works (with the second factor), the new one does not.
    expect((await post('login/', { password: 'Zq8#vb3nMk', username: 'rae' })).status).toBe(400)
    const pending = mfaTokenOf(await passwordLogin('rae'))
    expect((await post('mfa/authenticate/', { code: nextCode(enrolled), mfa_token: pending })).status).toBe(200)
    // With a current code the reset goes through and logs the user in.
    const withCode = await call(`${app.apiUrl}/users/reset-password`, 'POST', { body: { code: nextCode(enrolled), password: 'Zq8#vb3nMk', token } })
    expect(withCode.status, withCode.text).toBe(200)
    expect(withCode.body.token).toEqual(expect.any(String))
    expect(mfaTokenOf(await post('login/', { password: 'Zq8#vb3nMk', username: 'rae' }))).toBeTruthy()
  })

  describe('management', () => {
    it('regenerating recovery codes replaces the old ones and mails the user', async () => {
      const enrolled = await enrol('reg')
      const since = mailbox.messages.length
      const res = await post('mfa/recovery-codes/', {}, enrolled.key)
      expect(res.status).toBe(200)
      expect(res.body).toEqual({ recovery_codes: expect.any(Array), total_code_count: 10, unused_code_count: 10 })
      expect((await mailbox.waitFor('reg@example.com', { since })).subject).toBe('[Example] New Recovery Codes Generated')
      const old = await post('mfa/authenticate/', { code: enrolled.recoveryCodes[0], mfa_token: mfaTokenOf(await passwordLogin('reg')) })
      expect(old.status).toBe(400)
      const fresh = await post('mfa/authenticate/', { code: res.body.recovery_codes[0], mfa_token: mfaTokenOf(await passwordLogin('reg')) })
      expect(fresh.status).toBe(200)
    })

    it('changes need a recent login: after reauthenticationTimeout, reauthenticate/ takes a TOTP code (or a recovery code)', async () => {
      const enrolled = await enrol('rik')
      offsetMs += 301_000
      freezeClock()
      for (const [path, method] of [['mfa/recovery-codes/', 'POST'], ['mfa/totp/', 'DELETE'], ['mfa/totp/setup/', 'POST']] as const) {
        const stale = await api(path, method, { body: {}, token: enrolled.key })
        expect(stale.status, `${method} ${path}`).toBe(401)
        expect(stale.body).toMatchObject({ code: 'reauthentication_required', methods: ['password', 'totp'] })
      }
      // Reading needs no new proof.
      expect((await api('mfa/recovery-codes/', 'GET', { token: enrolled.key })).status).toBe(200)
      const wrong = await post('reauthenticate/', { code: '000000' }, enrolled.key)
      expect(wrong.status).toBe(400)
      expect(wrong.body).toEqual({ code: ['Incorrect code.'] })
      const code = nextCode(enrolled)
      const fresh = await post('reauthenticate/', { code }, enrolled.key)
      expect(fresh.status, fresh.text).toBe(200)
      expect(fresh.body).toMatchObject({ method: 'totp' })
      // The step is used: the same code cannot reauthenticate twice.
      expect((await post('reauthenticate/', { code }, enrolled.key)).status).toBe(400)
      const regenerated = await post('mfa/recovery-codes/', {}, enrolled.key)
      expect(regenerated.status).toBe(200)
      offsetMs += 301_000
      freezeClock()
      const byRecovery = await post('reauthenticate/', { code: regenerated.body.recovery_codes[9] }, enrolled.key)
      expect(byRecovery.body).toMatchObject({ method: 'recovery_codes' })
    })

    it('deactivating removes the app and the codes; logins ask for nothing again', async () => {
      const enrolled = await enrol('dee')
      const since = mailbox.messages.length
      expect((await api('mfa/totp/', 'DELETE', { token: enrolled.key })).status).toBe(204)
      expect((await mailbox.waitFor('dee@example.com', { since })).subject).toBe('[Example] Authenticator App Deactivated')
      expect((await api('mfa/authenticators/', 'GET', { token: enrolled.key })).body).toEqual([])
      expect((await api('mfa/recovery-codes/', 'GET', { token: enrolled.key })).status).toBe(404)
      expect((await api('mfa/totp/', 'DELETE', { token: enrolled.key })).body).toEqual({ non_field_errors: ['Two-factor authentication is not active.'] })
      expect((await passwordLogin('dee')).status).toBe(200)
    })

    const asAdmin = () => ({ headers: { authorization: `JWT ${adminToken}` } })
    const mfaUsers = async () =>
      ((await call(`${app.apiUrl}/users?where[mfa_enabled][equals]=true&limit=100&depth=0`, 'GET', { headers: { authorization: `JWT ${adminToken}` } })).body
        .docs as { username: string }[]).map((user) => user.username)

    it("staff reset a user's two-factor from the account panel's route; the users list filters on it", async () => {
      const enrolled = await enrol('ros')
      expect(await mfaUsers()).toContain('ros')
      const refused = await call(`${app.url}/admin/users/${enrolled.userId}/reset-mfa/`, 'POST', { token: enrolled.key })
      expect(refused.status).toBe(403)
      expect((await passwordLogin('ros')).status).toBe(401)
      const since = mailbox.messages.length
      const reset = await call(`${app.url}/admin/users/${enrolled.userId}/reset-mfa/`, 'POST', asAdmin())
      expect(reset.status, reset.text).toBe(200)
      expect(reset.body.account.mfa).toEqual({ isActive: false, unusedRecoveryCodes: 0 })
      expect((await mailbox.waitFor('ros@example.com', { since })).subject).toBe('[Example] Authenticator App Deactivated')
      expect((await passwordLogin('ros')).status).toBe(200)
      expect(await mfaUsers()).not.toContain('ros')
      expect((await call(`${app.url}/admin/users/${enrolled.userId}/reset-mfa/`, 'POST', asAdmin())).status).toBe(404)
      // Nobody sets the flag through Payload.
      await call(`${app.apiUrl}/users/${enrolled.userId}`, 'PATCH', { ...asAdmin(), body: { mfa_enabled: true } })
      expect(await mfaUsers()).not.toContain('ros')
    })

    it('the security log has each change and each failed or passed second factor, on both logins', async () => {
      const enrolled = await enrol('sal')
      expect((await post('mfa/authenticate/', { code: '000000', mfa_token: mfaTokenOf(await passwordLogin('sal')) })).status).toBe(400)
      expect((await post('mfa/recovery-codes/', {}, enrolled.key)).status).toBe(200)
      const payloadLogin = (code?: string) => call(`${app.apiUrl}/users/login`, 'POST', { body: { code, password: PASSWORD, username: 'sal' } })
      expect((await payloadLogin('000000')).status).toBe(401)
      expect((await payloadLogin(nextCode(enrolled))).status).toBe(200)
      expect((await call(`${app.url}/admin/users/${enrolled.userId}/reset-mfa/`, 'POST', asAdmin())).status).toBe(200)
      const rows = await findAuthEvents(app.payload, { user: { equals: enrolled.userId } })
      expect(rows.map((row) => [row.type, row.method, row.detail])).toEqual([
        ['login', 'password', expect.anything()],
        ['mfa_enabled', null, { by: 'user' }],
        ['login_failed', 'mfa', null],
        ['mfa_recovery_codes_regenerated', null, { by: 'user' }],
        ['login_failed', 'mfa', { via: 'payload' }],
        ['login', 'password+totp', { via: 'payload' }],
        ['mfa_disabled', null, { by: 'admin' }],
      ])
    })

    it("deleting a user's authenticators through Payload is staff's alone, and keeps the users list's flag right", async () => {
      const enrolled = await enrol('rod')
      const own = await call(`${app.apiUrl}/mfa-authenticators?where[user][equals]=${enrolled.userId}`, 'DELETE', { token: enrolled.key })
      expect(own.status).toBe(403)
      expect((await passwordLogin('rod')).status).toBe(401)
      const reset = await call(`${app.apiUrl}/mfa-authenticators?where[user][equals]=${enrolled.userId}`, 'DELETE', asAdmin())
      expect(reset.status, reset.text).toBe(200)
      expect((await passwordLogin('rod')).status).toBe(200)
      expect(await mfaUsers()).not.toContain('rod')
      // Deleting a user deletes their second factors.
      const gone = await enrol('gon')
      expect((await call(`${app.apiUrl}/users/${gone.userId}`, 'DELETE', asAdmin())).status).toBe(200)
      const left = await app.payload.count({ collection: 'mfa-authenticators' as never, where: { user: { equals: gone.userId } } })
      expect(left.totalDocs).toBe(0)
    })

    it('throttles mfa/authenticate/ per account, whichever pending login the guesses use', async () => {
      const enrolled = await enrol('tim')
      await setSettings({ throttleEnabled: true, throttleMfaAccount: '3/min', throttleMfaIp: '' })
      try {
        const statuses: number[] = []
        for (let i = 0; i < 4; i += 1) {
          const token = mfaTokenOf(await passwordLogin('tim'))
          statuses.push((await post('mfa/authenticate/', { code: '000000', mfa_token: token })).status)
        }
        expect(statuses).toEqual([400, 400, 400, 429])
        const token = mfaTokenOf(await passwordLogin('tim'))
        expect((await post('mfa/authenticate/', { code: nextCode(enrolled), mfa_token: token })).status).toBe(429)
      } finally {
        await setSettings({ throttleEnabled: false })
      }
    })
  })

  describe('secrets', () => {
    it('seeds are stored encrypted, recovery codes as digests, and neither is readable through REST or GraphQL', async () => {
      const enrolled = await enrol('sam')
      const raw = await app.payload.find({
        collection: 'mfa-authenticators' as never,
        overrideAccess: true,
        pagination: false,
        showHiddenFields: true,
        where: { user: { equals: enrolled.userId } },
      })
      const stored = JSON.stringify(raw.docs)
      expect(stored).toContain('"secret":"v1.')
      expect(stored).not.toContain(enrolled.secret)
      for (const code of enrolled.recoveryCodes) {
        expect(stored).not.toContain(code)
        expect(stored).not.toContain(code.replace('-', ''))
      }
      for (const auth of [{ token: enrolled.key }, { headers: { authorization: `JWT ${adminToken}` } }]) {
        const rest = await call(`${app.apiUrl}/mfa-authenticators?depth=0&limit=100`, 'GET', auth)
        expect(rest.status).toBe(200)
        expect(rest.body.docs.length).toBeGreaterThan(0)
        for (const doc of rest.body.docs) {
          for (const field of ['secret', 'parameters', 'lastStep', 'codeDigest', 'salt']) {
            expect(doc).not.toHaveProperty(field)
          }
        }
        const graphql = await call(app.graphqlUrl, 'POST', {
          ...auth,
          body: { query: '{ RestAuthMfaAuthenticators { docs { id secret codeDigest salt lastStep } } }' },
        })
        // Field access answers null for every secret, whoever asks.
        const docs = graphql.body.data.RestAuthMfaAuthenticators.docs as Record<string, unknown>[]
        expect(docs.length).toBeGreaterThan(0)
        for (const doc of docs) {
          expect(doc).toMatchObject({ codeDigest: null, lastStep: null, salt: null, secret: null })
        }
      }
      // Users see only their own rows.
      const mine = await call(`${app.apiUrl}/mfa-authenticators?depth=0&limit=100`, 'GET', { token: enrolled.key })
      expect(new Set(mine.body.docs.map((doc: { user: unknown }) => String(doc.user)))).toEqual(new Set([String(enrolled.userId)]))
      for (const res of answers) {
        expect(res.text).not.toContain('"secret":"v1.')
      }
    })
  })
})
