import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'

import type { TotpParameters } from '../../src/mfa/totp.js'
import type { SoftAuthenticator, SoftCredential } from '../helpers/softAuthenticator.js'
import type { TestApp } from '../helpers/server.js'

import { totpCode } from '../../src/mfa/totp.js'
import { setClock } from '../../src/utilities/clock.js'
import { findAuthEvents } from '../helpers/authEvents.js'
import { call, isErrorShape } from '../helpers/client.js'
import { testDatabases } from '../helpers/database.js'
import { startTestApp } from '../helpers/server.js'
import { createSoftAuthenticator } from '../helpers/softAuthenticator.js'
import { createUser, PASSWORD, verifyEmailOf } from '../helpers/users.js'

const ORIGIN = 'http://localhost:3000'
const RP_ID = 'localhost'
const LOGIN_FAILED = { non_field_errors: ['Unable to log in with provided credentials.'] }
const FLOW_INVALID = { flow_token: ['This passkey request has expired or was already used. Start again.'] }
const NOT_VERIFIED = { credential: ['The passkey could not be verified.'] }

/**
 * Passkeys over HTTP with a software authenticator (test/helpers/softAuthenticator.ts): P-256 keys,
 * `none` attestation, real authenticator data and signatures, verified by @simplewebauthn/server.
 * Registration, passwordless login, rename and delete, and every refusal the rules name.
 */
describe.each(testDatabases())('passkeys on %s', (db) => {
  let app: TestApp
  let counter = 0

  beforeAll(async () => {
    app = await startTestApp({
      db,
      plugin: { settings: { webauthnEnabled: true, webauthnLoginEnabled: true, webauthnOrigins: ORIGIN, webauthnRpId: RP_ID } },
    })
  })
  afterAll(async () => app?.close())
  afterEach(() => setClock(null))

  const post = (path: string, body: unknown, token?: string) => call(`${app.url}/${path}`, 'POST', { body, token })

  /** A user with a verified address, logged in with a token key. */
  const newUser = async ({ isVerified = true }: { isVerified?: boolean } = {}) => {
    counter += 1
    const username = `pk${counter}`
    const user = await createUser(app.payload, { email: `${username}@example.com`, username })
    if (isVerified) {
      await verifyEmailOf(app.payload, user)
    }
    const login = await post('login/', { password: PASSWORD, username })
    const token = login.body?.key as string
    return { ...user, token }
  }

  const registerOptions = async (token: string, passwordless = true) => {
    const res = await post('webauthn/register/options/', { passwordless }, token)
    expect(res.status, res.text).toBe(200)
    return res.body as { creation_options: any; flow_token: string }
  }

  /** Registers a passkey of `authenticator` for the user; returns the stored credential and the answer. */
  const register = async (authenticator: SoftAuthenticator, token: string, { passwordless = true, name = 'My key' } = {}) => {
    const options = await registerOptions(token, passwordless)
    const { credential, response } = authenticator.create(options.creation_options)
    const res = await post('webauthn/register/', { credential: response, flow_token: options.flow_token, name }, token)
    expect(res.status, res.text).toBe(201)
    return { credential, res }
  }

  const loginOptions = async () => {
    const res = await post('webauthn/login/options/', {})
    expect(res.status, res.text).toBe(200)
    return res.body as { flow_token: string; request_options: any }
  }

  const loginWith = async (authenticator: SoftAuthenticator, credential: SoftCredential, overrides = {}) => {
    const options = await loginOptions()
    return post('webauthn/login/', { credential: authenticator.get(options.request_options, credential, overrides), flow_token: options.flow_token })
  }

  const storedRow = async (credentialId: string) =>
    (
      await app.payload.find({
        collection: 'webauthn-credentials' as never,
        overrideAccess: true,
        showHiddenFields: true,
        where: { credentialId: { equals: credentialId } },
      })
    ).docs[0] as any

  it('registers a passwordless passkey and logs in with it, answering exactly as login/ does', async () => {
    const user = await newUser()
    const authenticator = createSoftAuthenticator({ origin: ORIGIN })
    const options = await registerOptions(user.token)
    expect(options.flow_token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(options.creation_options).toMatchObject({
      attestation: 'none',
      authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
      rp: { id: RP_ID },
      user: { name: user.username },
    })
    const { credential, response } = authenticator.create(options.creation_options)
    const created = await post('webauthn/register/', { credential: response, flow_token: options.flow_token, name: 'Laptop' }, user.token)
    expect(created.status, created.text).toBe(201)
    expect(created.body).toEqual({
      created_at: expect.any(Number),
      id: expect.anything(),
      is_passwordless: true,
      last_used_at: null,
      name: 'Laptop',
      type: 'webauthn',
    })
    // The user handle is random, not the database id, and stored with the credential.
    const row = await storedRow(credential.id)
    expect(row.userHandle).toBe(credential.userHandle)
    expect(credential.userHandle).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(Buffer.from(credential.userHandle, 'base64url').toString()).not.toBe(String(user.id))

    const login = await loginWith(authenticator, credential)
    expect(login.status, login.text).toBe(200)
    expect(Object.keys(login.body)).toEqual(['key'])
    expect(login.cookies.some((cookie) => cookie.startsWith('sessionid='))).toBe(true)
    const me = await call(`${app.url}/user/`, 'GET', { token: login.body.key })
    expect(me.body).toMatchObject({ pk: user.id, username: user.username })
    const listed = await call(`${app.url}/webauthn/authenticators/`, 'GET', { token: user.token })
    expect(listed.body).toEqual([expect.objectContaining({ last_used_at: expect.any(Number), name: 'Laptop' })])
    expect((await storedRow(credential.id)).counter).toBe(1)

    // A second passkey of the same user carries the same handle.
    const other = createSoftAuthenticator({ origin: ORIGIN })
    const second = await register(other, user.token)
    expect(second.credential.userHandle).toBe(credential.userHandle)
    const secondOptions = await registerOptions(user.token)
    expect(secondOptions.creation_options.excludeCredentials.map((c: { id: string }) => c.id).sort()).toEqual([credential.id, second.credential.id].sort())
  })

  it('records the passkey login on its session, with the method used', async () => {
    const user = await newUser()
    const authenticator = createSoftAuthenticator({ origin: ORIGIN })
    const { credential } = await register(authenticator, user.token)
    const login = await loginWith(authenticator, credential)
    expect(login.status).toBe(200)
    const sessions = await app.payload.find({ collection: 'auth-sessions' as never, overrideAccess: true, sort: '-createdAt', where: { user: { equals: user.id } } })
    expect((sessions.docs[0] as any).methods).toEqual([expect.objectContaining({ method: 'webauthn' })])
  })

  describe('recent authentication', () => {
    const later = () => setClock(() => Date.now() + 301_000)
    const reauthenticateWith = async (authenticator: SoftAuthenticator, credential: SoftCredential, token: string, overrides = {}) => {
      const options = await call(`${app.url}/webauthn/reauthenticate/options/`, 'POST', { body: {}, token })
      expect(options.status, options.text).toBe(200)
      const body = { credential: authenticator.get(options.body.request_options, credential, overrides), flow_token: options.body.flow_token }
      return { body, res: await call(`${app.url}/reauthenticate/`, 'POST', { body, token }) }
    }

    it('registering and deleting a passkey need a recent login; a passkey assertion reauthenticates', async () => {
      const user = await newUser()
      const authenticator = createSoftAuthenticator({ origin: ORIGIN })
      later()
      const stale = await post('webauthn/register/options/', { passwordless: true }, user.token)
      expect(stale.status).toBe(401)
      expect(stale.body).toEqual({ code: 'reauthentication_required', detail: 'Recent authentication required.', methods: ['password'] })
      expect((await post('reauthenticate/', { password: PASSWORD }, user.token)).status).toBe(200)
      const { credential, res } = await register(authenticator, user.token)
      // A flow started while recent does not outlive the window either.
      const options = await registerOptions(user.token)
      setClock(() => Date.now() + 602_000)
      const made = authenticator.create(options.creation_options)
      const late = await post('webauthn/register/', { credential: made.response, flow_token: options.flow_token }, user.token)
      expect(late.status).toBe(401)
      const deletion = await call(`${app.url}/webauthn/authenticators/${res.body.id}/`, 'DELETE', { token: user.token })
      expect(deletion.status).toBe(401)
      expect(deletion.body.methods).toEqual(['password', 'webauthn'])

      const { body, res: reauthenticated } = await reauthenticateWith(authenticator, credential, user.token)
      expect(reauthenticated.status, reauthenticated.text).toBe(200)
      expect(reauthenticated.body).toMatchObject({ detail: 'Reauthenticated.', method: 'webauthn' })
      expect((await call(`${app.url}/reauthenticate/`, 'POST', { body, token: user.token })).body).toEqual(FLOW_INVALID)
      expect((await call(`${app.url}/webauthn/authenticators/${res.body.id}/`, 'DELETE', { token: user.token })).status).toBe(204)
    })

    it('refuses another user’s passkey, another user’s flow, and an assertion without user verification', async () => {
      const user = await newUser()
      const authenticator = createSoftAuthenticator({ origin: ORIGIN })
      const { credential } = await register(authenticator, user.token)
      const mallory = await newUser()
      const malloryKey = createSoftAuthenticator({ origin: ORIGIN })
      const mallorys = (await register(malloryKey, mallory.token)).credential
      later()
      // Mallory's own passkey cannot reauthenticate the victim's login.
      const options = await call(`${app.url}/webauthn/reauthenticate/options/`, 'POST', { body: {}, token: user.token })
      expect(options.body.request_options.allowCredentials.map((c: { id: string }) => c.id)).toEqual([credential.id])
      const foreign = { credential: malloryKey.get(options.body.request_options, mallorys), flow_token: options.body.flow_token }
      expect((await call(`${app.url}/reauthenticate/`, 'POST', { body: foreign, token: user.token })).body).toEqual(NOT_VERIFIED)
      // The victim's flow cannot serve Mallory's login.
      const victimFlow = await call(`${app.url}/webauthn/reauthenticate/options/`, 'POST', { body: {}, token: user.token })
      const crossed = { credential: malloryKey.get(victimFlow.body.request_options, mallorys), flow_token: victimFlow.body.flow_token }
      expect((await call(`${app.url}/reauthenticate/`, 'POST', { body: crossed, token: mallory.token })).body).toEqual(FLOW_INVALID)
      const { res } = await reauthenticateWith(authenticator, credential, user.token, { userVerified: false })
      expect(res.body).toEqual(NOT_VERIFIED)
      expect((await post('webauthn/register/options/', {}, user.token)).status).toBe(401)
    })
  })

  describe('as a second factor', () => {
    /** The plugin's clock stands still while a TOTP code is made and checked (no step boundary between). */
    let at = Date.now()
    const nextCode = ({ parameters, secret }: { parameters: TotpParameters; secret: string }) => {
      at += parameters.period * 1000
      setClock(() => at)
      return totpCode({ parameters, secret, timestamp: at })
    }
    /** A user with a passkey (a second factor only) and an active authenticator app. */
    const withTotp = async () => {
      const user = await newUser()
      const authenticator = createSoftAuthenticator({ origin: ORIGIN })
      const { credential } = await register(authenticator, user.token, { passwordless: false })
      const setup = await post('mfa/totp/setup/', {}, user.token)
      expect(setup.status, setup.text).toBe(200)
      const { algorithm, digits, period, secret } = setup.body
      const activated = await post('mfa/totp/activate/', { code: nextCode({ parameters: { algorithm, digits, period }, secret }) }, user.token)
      expect(activated.status, activated.text).toBe(200)
      return { authenticator, credential, user }
    }
    const mfaTokenOf = async (username: string) => {
      const res = await post('login/', { password: PASSWORD, username })
      expect(res.status, res.text).toBe(401)
      return res.body as { flows: { types: string[] }[]; mfa_token: string }
    }
    const passkeyOptions = async (mfaToken: string) => {
      const res = await post('mfa/webauthn/options/', { mfa_token: mfaToken })
      expect(res.status, res.text).toBe(200)
      return res.body as { flow_token: string; request_options: any }
    }
    const secondFactor = async (authenticator: SoftAuthenticator, credential: SoftCredential, mfaToken: string, overrides = {}) => {
      const options = await passkeyOptions(mfaToken)
      const body = { credential: authenticator.get(options.request_options, credential, overrides), flow_token: options.flow_token, mfa_token: mfaToken }
      return { body, res: await post('mfa/webauthn/authenticate/', body) }
    }

    it('completes a password login of a user with an authenticator app, answering as login/ would have', async () => {
      const { authenticator, credential, user } = await withTotp()
      const pending = await mfaTokenOf(user.username)
      expect(pending.flows[0]!.types).toContain('webauthn')
      const options = await passkeyOptions(pending.mfa_token)
      expect(options.request_options.allowCredentials.map((c: { id: string }) => c.id)).toEqual([credential.id])
      expect(options.request_options.userVerification).toBe('preferred')
      // A security key without a PIN is a second factor: presence is enough after the password.
      const body = { credential: authenticator.get(options.request_options, credential, { userVerified: false }), flow_token: options.flow_token, mfa_token: pending.mfa_token }
      const done = await post('mfa/webauthn/authenticate/', body)
      expect(done.status, done.text).toBe(200)
      expect(Object.keys(done.body)).toEqual(['key'])
      expect((await call(`${app.url}/user/`, 'GET', { token: done.body.key })).body.pk).toBe(user.id)
      const sessions = await app.payload.find({ collection: 'auth-sessions' as never, overrideAccess: true, sort: '-createdAt', where: { user: { equals: user.id } } })
      expect((sessions.docs[0] as any).methods.map((m: { method: string }) => m.method)).toEqual(['password', 'webauthn'])
      const replay = await post('mfa/webauthn/authenticate/', body)
      expect(replay.status).toBe(401)
      expect(replay.body).toEqual({ code: 'mfa_login_expired', detail: expect.any(String) })
    })

    it('refuses a wrong origin (the pending login stays open), another user’s passkey, another login’s challenge, and a race', async () => {
      const { authenticator, credential, user } = await withTotp()
      const other = await withTotp()
      const pending = await mfaTokenOf(user.username)
      const wrong = await secondFactor(authenticator, credential, pending.mfa_token, { origin: 'https://evil.example' })
      expect(wrong.res.status).toBe(400)
      expect(wrong.res.body).toEqual(NOT_VERIFIED)
      // The other user's own passkey, for this user's pending login.
      const foreign = await secondFactor(other.authenticator, other.credential, pending.mfa_token)
      expect(foreign.res.body).toEqual(NOT_VERIFIED)
      // A challenge made for the other user's pending login.
      const theirs = await mfaTokenOf(other.user.username)
      const theirOptions = await passkeyOptions(theirs.mfa_token)
      const crossed = { credential: authenticator.get(theirOptions.request_options, credential), flow_token: theirOptions.flow_token, mfa_token: pending.mfa_token }
      expect((await post('mfa/webauthn/authenticate/', crossed)).body).toEqual(FLOW_INVALID)
      // Two completions of one pending login at once: one login.
      const fresh = await mfaTokenOf(user.username)
      const options = await passkeyOptions(fresh.mfa_token)
      const body = { credential: authenticator.get(options.request_options, credential), flow_token: options.flow_token, mfa_token: fresh.mfa_token }
      const results = await Promise.all([post('mfa/webauthn/authenticate/', body), post('mfa/webauthn/authenticate/', body)])
      expect(results.map((r) => r.status).sort()).toEqual([200, 400])
    })

    it('a passwordless passkey login passes the gate; a passkey alone does not turn the second factor on', async () => {
      const { user } = await withTotp()
      const authenticator = createSoftAuthenticator({ origin: ORIGIN })
      // Registering needs a recent login, which the user has only through the second factor now: the TOTP code.
      const passwordless = (await register(authenticator, user.token)).credential
      const login = await loginWith(authenticator, passwordless)
      expect(login.status, login.text).toBe(200)
      expect(Object.keys(login.body)).toEqual(['key'])
      const plain = await newUser()
      await register(createSoftAuthenticator({ origin: ORIGIN }), plain.token)
      expect((await post('login/', { password: PASSWORD, username: plain.username })).status).toBe(200)
      expect((await post('mfa/webauthn/options/', { mfa_token: 'x'.repeat(43) })).status).toBe(401)
    })
  })

  it('answers login/’s JWT body in JWT mode', async () => {
    const user = await newUser()
    const authenticator = createSoftAuthenticator({ origin: ORIGIN })
    const { credential } = await register(authenticator, user.token)
    await app.payload.updateGlobal({ data: { useJwt: true } as never, slug: 'rest-auth-settings' as never })
    try {
      const login = await loginWith(authenticator, credential)
      expect(login.status, login.text).toBe(200)
      expect(login.body).toMatchObject({ access: expect.any(String), refresh: expect.any(String), user: { pk: user.id, username: user.username } })
    } finally {
      await app.payload.updateGlobal({ data: { useJwt: false } as never, slug: 'rest-auth-settings' as never })
    }
  })

  describe('registration refuses', () => {
    it('anonymous requests, unverified addresses and bad bodies', async () => {
      const anonymous = await post('webauthn/register/options/', {})
      expect(anonymous.status).toBe(403)
      expect(anonymous.body).toEqual({ detail: 'Authentication credentials were not provided.' })
      const unverified = await newUser({ isVerified: false })
      const refused = await post('webauthn/register/options/', {}, unverified.token)
      expect(refused.status).toBe(400)
      expect(refused.body).toEqual({ non_field_errors: ['You cannot add a passkey until you have verified your email address.'] })
      const user = await newUser()
      const bad = await post('webauthn/register/options/', { passwordless: 'maybe' }, user.token)
      expect(bad.status).toBe(400)
      expect(bad.body).toEqual({ passwordless: ['Must be a valid boolean.'] })
      for (const body of [{}, { credential: 'not json', flow_token: 'x' }, { credential: { id: 1 }, flow_token: 'x' }, { credential: [], flow_token: null }]) {
        const res = await post('webauthn/register/', body, user.token)
        expect(res.status, res.text).toBe(400)
        expect(isErrorShape(res.body)).toBe(true)
      }
      // A well-shaped credential whose parts are garbage: verification fails, 400 not 500.
      const options = await registerOptions(user.token)
      const garbage = { id: 'AAAA', rawId: 'AAAA', response: { attestationObject: '!!!', clientDataJSON: '%%%' }, type: 'public-key' }
      const res = await post('webauthn/register/', { credential: garbage, flow_token: options.flow_token }, user.token)
      expect(res.status, res.text).toBe(400)
      expect(res.body).toEqual(NOT_VERIFIED)
    })

    it('a replayed flow, another user’s flow, and two parallel completions of one flow (exactly one wins)', async () => {
      const user = await newUser()
      const authenticator = createSoftAuthenticator({ origin: ORIGIN })
      const options = await registerOptions(user.token)
      const { response } = authenticator.create(options.creation_options)
      const body = { credential: response, flow_token: options.flow_token }
      const results = await Promise.all([post('webauthn/register/', body, user.token), post('webauthn/register/', body, user.token)])
      expect(results.map((r) => r.status).sort()).toEqual([201, 400])
      expect(results.find((r) => r.status === 400)!.body).toEqual(FLOW_INVALID)
      const replay = await post('webauthn/register/', body, user.token)
      expect(replay.body).toEqual(FLOW_INVALID)
      // Another user cannot complete this user's ceremony.
      const mallory = await newUser()
      const fresh = await registerOptions(user.token)
      const stolen = authenticator.create(fresh.creation_options)
      const theft = await post('webauthn/register/', { credential: stolen.response, flow_token: fresh.flow_token }, mallory.token)
      expect(theft.status).toBe(400)
      expect(theft.body).toEqual(FLOW_INVALID)
      expect((await call(`${app.url}/webauthn/authenticators/`, 'GET', { token: mallory.token })).body).toEqual([])
    })

    it('a wrong origin, a wrong RP ID, a wrong challenge, and no user verification for a passwordless passkey', async () => {
      const user = await newUser()
      const authenticator = createSoftAuthenticator({ origin: ORIGIN })
      for (const overrides of [{ origin: 'https://evil.example' }, { rpId: 'evil.example' }, { challenge: 'AAAAAAAAAAAAAAAAAAAAAA' }, { userVerified: false }, { type: 'webauthn.get' }]) {
        const options = await registerOptions(user.token)
        const { response } = authenticator.create(options.creation_options, overrides)
        const res = await post('webauthn/register/', { credential: response, flow_token: options.flow_token }, user.token)
        expect(res.status, JSON.stringify(overrides)).toBe(400)
        expect(res.body).toEqual(NOT_VERIFIED)
      }
      // Without passwordless, user verification is only preferred.
      const options = await registerOptions(user.token, false)
      expect(options.creation_options.authenticatorSelection).toMatchObject({ residentKey: 'discouraged', userVerification: 'preferred' })
      const { response } = authenticator.create(options.creation_options, { userVerified: false })
      const res = await post('webauthn/register/', { credential: response, flow_token: options.flow_token }, user.token)
      expect(res.status, res.text).toBe(201)
      expect(res.body.is_passwordless).toBe(false)
      expect((await call(`${app.url}/webauthn/authenticators/`, 'GET', { token: user.token })).body).toHaveLength(1)
    })

    it('a duplicate registration, for the same user or another', async () => {
      const user = await newUser()
      const authenticator = createSoftAuthenticator({ origin: ORIGIN })
      const options = await registerOptions(user.token)
      const { response } = authenticator.create(options.creation_options)
      expect((await post('webauthn/register/', { credential: response, flow_token: options.flow_token }, user.token)).status).toBe(201)
      // The same attestation under a new flow: same credential ID (the challenge differs, so the
      // client data is rebuilt with the new one).
      const again = await registerOptions(user.token)
      const replayed = {
        ...response,
        response: { ...response.response, clientDataJSON: Buffer.from(JSON.stringify({ challenge: again.creation_options.challenge, crossOrigin: false, origin: ORIGIN, type: 'webauthn.create' })).toString('base64url') },
      }
      const dup = await post('webauthn/register/', { credential: replayed, flow_token: again.flow_token }, user.token)
      expect(dup.status).toBe(400)
      expect(dup.body).toEqual({ credential: ['This passkey is already registered.'] })
      const other = await newUser()
      const theirs = await registerOptions(other.token)
      replayed.response.clientDataJSON = Buffer.from(JSON.stringify({ challenge: theirs.creation_options.challenge, crossOrigin: false, origin: ORIGIN, type: 'webauthn.create' })).toString('base64url')
      const cross = await post('webauthn/register/', { credential: replayed, flow_token: theirs.flow_token }, other.token)
      expect(cross.body).toEqual({ credential: ['This passkey is already registered.'] })
      const rows = await app.payload.count({ collection: 'webauthn-credentials' as never, where: { credentialId: { equals: response.id } } })
      expect(rows.totalDocs).toBe(1)
    })
  })

  describe('passwordless login refuses, with login/’s wording', () => {
    let user: Awaited<ReturnType<typeof newUser>>
    let authenticator: SoftAuthenticator
    let credential: SoftCredential

    beforeAll(async () => {
      user = await newUser()
      authenticator = createSoftAuthenticator({ origin: ORIGIN })
      credential = (await register(authenticator, user.token)).credential
    })

    it('a replayed flow, and two parallel completions of one flow (exactly one wins)', async () => {
      const options = await loginOptions()
      const body = { credential: authenticator.get(options.request_options, credential), flow_token: options.flow_token }
      const results = await Promise.all([post('webauthn/login/', body), post('webauthn/login/', body), post('webauthn/login/', body)])
      expect(results.map((r) => r.status).sort()).toEqual([200, 400, 400])
      for (const refused of results.filter((r) => r.status === 400)) {
        expect(refused.body).toEqual(LOGIN_FAILED)
      }
      const replay = await post('webauthn/login/', body)
      expect(replay.status).toBe(400)
      expect(replay.body).toEqual(LOGIN_FAILED)
      // The same assertion under a fresh flow: its challenge is the old one.
      const fresh = await loginOptions()
      const stale = await post('webauthn/login/', { credential: body.credential, flow_token: fresh.flow_token })
      expect(stale.body).toEqual(LOGIN_FAILED)
    })

    it('a wrong origin, a wrong RP ID, missing user verification or presence, a wrong ceremony type', async () => {
      for (const overrides of [{ origin: 'https://evil.example' }, { origin: 'http://localhost:3001' }, { rpId: 'evil.example' }, { userVerified: false }, { userPresent: false }, { type: 'webauthn.create' }]) {
        const res = await loginWith(authenticator, credential, overrides)
        expect(res.status, JSON.stringify(overrides)).toBe(400)
        expect(res.body).toEqual(LOGIN_FAILED)
      }
      expect((await loginWith(authenticator, credential)).status).toBe(200)
    })

    it('a counter that goes backwards (a cloned authenticator); synced passkeys that always report 0 are fine', async () => {
      expect((await loginWith(authenticator, credential, { counter: 50 })).status).toBe(200)
      const regressed = await loginWith(authenticator, credential, { counter: 49 })
      expect(regressed.body).toEqual(LOGIN_FAILED)
      expect((await loginWith(authenticator, credential, { counter: 50 })).body).toEqual(LOGIN_FAILED)
      expect((await loginWith(authenticator, credential, { counter: 0 })).body).toEqual(LOGIN_FAILED)
      expect((await loginWith(authenticator, credential, { counter: 51 })).status).toBe(200)
      expect((await storedRow(credential.id)).counter).toBe(51)
      // A clone racing the original: two flows, two assertions with the same counter, at once.
      const [first, second] = [await loginOptions(), await loginOptions()]
      const racing = await Promise.all(
        [first, second].map((options) =>
          post('webauthn/login/', { credential: authenticator.get(options.request_options, credential, { counter: 60 }), flow_token: options.flow_token }),
        ),
      )
      expect(racing.map((r) => r.status).sort()).toEqual([200, 400])

      const synced = await newUser()
      const syncedAuthenticator = createSoftAuthenticator({ origin: ORIGIN })
      const options = await registerOptions(synced.token)
      const made = syncedAuthenticator.create(options.creation_options, { isSynced: true })
      expect((await post('webauthn/register/', { credential: made.response, flow_token: options.flow_token }, synced.token)).status).toBe(201)
      for (let i = 0; i < 2; i += 1) {
        const res = await loginWith(syncedAuthenticator, made.credential, { isSynced: true })
        expect(res.status, res.text).toBe(200)
      }
      // Nothing counts for them: one flow still logs in once, however many completions race.
      const options2 = await loginOptions()
      const body = { credential: syncedAuthenticator.get(options2.request_options, made.credential, { isSynced: true }), flow_token: options2.flow_token }
      const results = await Promise.all([post('webauthn/login/', body), post('webauthn/login/', body), post('webauthn/login/', body)])
      expect(results.map((r) => r.status).sort()).toEqual([200, 400, 400])
      expect((await post('webauthn/login/', body)).body).toEqual(LOGIN_FAILED)
    })

    it('another user’s credential: their credential ID with another key, or another user’s handle', async () => {
      const mallory = await newUser()
      const malloryKey = createSoftAuthenticator({ origin: ORIGIN })
      const mallorys = (await register(malloryKey, mallory.token)).credential
      // Mallory's authenticator signs an assertion that names the victim's credential ID.
      const forged = { ...mallorys, id: credential.id, userHandle: credential.userHandle }
      const res = await loginWith(malloryKey, forged)
      expect(res.status).toBe(400)
      expect(res.body).toEqual(LOGIN_FAILED)
      // Mallory's own passkey, claiming the victim's user handle.
      const claimed = await loginWith(malloryKey, mallorys, { userHandle: credential.userHandle })
      expect(claimed.body).toEqual(LOGIN_FAILED)
      // An unknown credential.
      const stranger = createSoftAuthenticator({ origin: ORIGIN })
      const unknown = stranger.create({ challenge: 'x', rp: { id: RP_ID }, user: { id: credential.userHandle } }).credential
      expect((await loginWith(stranger, unknown)).body).toEqual(LOGIN_FAILED)
      // Mallory's own still logs Mallory in, never the victim.
      const own = await loginWith(malloryKey, mallorys)
      expect(own.status).toBe(200)
      expect((await call(`${app.url}/user/`, 'GET', { token: own.body.key })).body.pk).toBe(mallory.id)
    })

    it('a passkey registered as a second factor only, an inactive user, an unverified address under mandatory verification', async () => {
      const twoFactor = await newUser()
      const key = createSoftAuthenticator({ origin: ORIGIN })
      const { credential: secondFactor } = await register(key, twoFactor.token, { passwordless: false })
      expect((await loginWith(key, secondFactor)).body).toEqual(LOGIN_FAILED)

      const inactive = await newUser()
      const inactiveKey = createSoftAuthenticator({ origin: ORIGIN })
      const { credential: inactiveCredential } = await register(inactiveKey, inactive.token)
      await app.payload.update({ collection: 'users', data: { is_active: false } as never, id: inactive.id })
      expect((await loginWith(inactiveKey, inactiveCredential)).body).toEqual(LOGIN_FAILED)

      const unverified = await newUser()
      const unverifiedKey = createSoftAuthenticator({ origin: ORIGIN })
      const { credential: unverifiedCredential } = await register(unverifiedKey, unverified.token)
      await app.payload.delete({ collection: 'email-addresses' as never, where: { user: { equals: unverified.id } } })
      expect((await loginWith(unverifiedKey, unverifiedCredential)).status).toBe(200)
      await app.payload.updateGlobal({ data: { accountEmailRequired: true, accountEmailVerification: 'mandatory' } as never, slug: 'rest-auth-settings' as never })
      try {
        const refused = await loginWith(unverifiedKey, unverifiedCredential)
        expect(refused.status).toBe(400)
        expect(refused.body).toEqual({ non_field_errors: ['E-mail is not verified.'] })
        // As login/ says it for the same account.
        const password = await post('login/', { password: PASSWORD, username: unverified.username })
        expect(password.body).toEqual(refused.body)
      } finally {
        await app.payload.updateGlobal({ data: { accountEmailRequired: false, accountEmailVerification: 'optional' } as never, slug: 'rest-auth-settings' as never })
      }
    })

    it('bad bodies with 400 in dj-rest-auth’s shape', async () => {
      for (const body of [{}, { flow_token: 'x' }, { credential: {}, flow_token: 'x' }, { credential: 'null', flow_token: 'x' }, null]) {
        const res = await post('webauthn/login/', body)
        expect(res.status, res.text).toBe(400)
        expect(isErrorShape(res.body)).toBe(true)
      }
      const options = await loginOptions()
      const garbage = { id: credential.id, rawId: credential.id, response: { authenticatorData: '@@', clientDataJSON: '!!', signature: '' }, type: 'public-key' }
      const res = await post('webauthn/login/', { credential: garbage, flow_token: options.flow_token })
      expect(res.body).toEqual(LOGIN_FAILED)
    })
  })

  it('renames and deletes only your own passkeys; a deleted passkey logs nobody in', async () => {
    const user = await newUser()
    const authenticator = createSoftAuthenticator({ origin: ORIGIN })
    const { credential, res } = await register(authenticator, user.token)
    const id = res.body.id
    const path = `${app.url}/webauthn/authenticators/${id}/`
    const renamed = await call(path, 'PATCH', { body: { name: 'Phone' }, token: user.token })
    expect(renamed.status).toBe(200)
    expect(renamed.body).toMatchObject({ id, name: 'Phone' })
    expect((await call(path, 'PATCH', { body: { name: '' }, token: user.token })).body).toEqual({ name: ['This field may not be blank.'] })
    expect((await call(path, 'PATCH', { body: {}, token: user.token })).body).toEqual({ name: ['This field is required.'] })
    const other = await newUser()
    expect((await call(path, 'PATCH', { body: { name: 'Mine' }, token: other.token })).status).toBe(404)
    expect((await call(path, 'DELETE', { token: other.token })).status).toBe(404)
    expect((await call(`${app.url}/webauthn/authenticators/99999999999999999999/`, 'DELETE', { token: user.token })).status).toBe(404)
    expect((await call(path, 'DELETE')).status).toBe(403)
    expect((await call(path, 'DELETE', { token: user.token })).status).toBe(204)
    expect((await call(path, 'DELETE', { token: user.token })).status).toBe(404)
    expect((await loginWith(authenticator, credential)).body).toEqual(LOGIN_FAILED)
    // The security log has both changes (and no row of the other user's refused attempts).
    const logged = await findAuthEvents(app.payload, { type: { like: 'passkey_' } })
    expect(logged.filter((row) => String(row.user) === String(user.id)).map((row) => [row.type, row.detail])).toEqual([
      ['passkey_added', { name: 'My key' }],
      ['passkey_removed', { name: 'Phone' }],
    ])
    expect(logged.filter((row) => String(row.user) === String(other.id))).toEqual([])
    // Through Payload's own API the owner reads their rows but not the public key or handle, and cannot write.
    const { credential: kept } = await register(authenticator, user.token)
    const own = await call(`${app.apiUrl}/webauthn-credentials?where[credentialId][equals]=${kept.id}`, 'GET', { headers: { authorization: `Token ${user.token}` } })
    expect(own.body.docs).toHaveLength(1)
    expect(own.body.docs[0]).not.toHaveProperty('publicKey')
    expect(own.body.docs[0]).not.toHaveProperty('userHandle')
    const theirs = await call(`${app.apiUrl}/webauthn-credentials`, 'GET', { headers: { authorization: `Token ${other.token}` } })
    expect(theirs.body.docs).toEqual([])
    const write = await call(`${app.apiUrl}/webauthn-credentials/${own.body.docs[0].id}`, 'PATCH', { body: { counter: 0 }, headers: { authorization: `Token ${user.token}` } })
    expect(write.status).toBe(403)
  })

  it('accepts an Android app’s apk-key-hash origin only while webauthnOrigins lists it; refuses malformed origin settings', async () => {
    const user = await newUser()
    const authenticator = createSoftAuthenticator({ origin: ORIGIN })
    const { credential } = await register(authenticator, user.token)
    const apk = `android:apk-key-hash:${Buffer.alloc(32, 7).toString('base64url')}`
    expect((await loginWith(authenticator, credential, { origin: apk })).body).toEqual(LOGIN_FAILED)
    await app.payload.updateGlobal({ data: { webauthnOrigins: `${ORIGIN}, ${apk}` } as never, slug: 'rest-auth-settings' as never })
    try {
      const res = await loginWith(authenticator, credential, { origin: apk })
      expect(res.status, res.text).toBe(200)
      for (const webauthnOrigins of ['localhost:3000', 'android:apk-key-hash:short', 'https://evil.example']) {
        await expect(app.payload.updateGlobal({ data: { webauthnOrigins } as never, slug: 'rest-auth-settings' as never })).rejects.toThrow(/webauthnOrigins/)
      }
      await expect(app.payload.updateGlobal({ data: { webauthnRpId: 'https://localhost' } as never, slug: 'rest-auth-settings' as never })).rejects.toThrow(/webauthnRpId/)
    } finally {
      await app.payload.updateGlobal({ data: { webauthnOrigins: ORIGIN } as never, slug: 'rest-auth-settings' as never })
    }
    expect((await loginWith(authenticator, credential, { origin: apk })).body).toEqual(LOGIN_FAILED)
  })

  it('takes the RP ID and the origin from serverURL when the settings are empty', async () => {
    const served = await startTestApp({ config: { serverURL: 'http://localhost:4000' }, db, plugin: { settings: { webauthnEnabled: true, webauthnLoginEnabled: true } } })
    try {
      const user = await createUser(served.payload, { email: 'sv@example.com', username: 'sv' })
      await verifyEmailOf(served.payload, user)
      const token = (await call(`${served.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'sv' } })).body.key
      const options = (await call(`${served.url}/webauthn/register/options/`, 'POST', { body: { passwordless: true }, token })).body
      expect(options.creation_options.rp).toEqual({ id: 'localhost', name: 'example.com' })
      const authenticator = createSoftAuthenticator({ origin: 'http://localhost:4000' })
      const { credential, response } = authenticator.create(options.creation_options)
      const created = await call(`${served.url}/webauthn/register/`, 'POST', { body: { credential: response, flow_token: options.flow_token }, token })
      expect(created.status, created.text).toBe(201)
      expect(created.body.name).toBe('Passkey')
      const login = async (origin: string) => {
        const request = (await call(`${served.url}/webauthn/login/options/`, 'POST', { body: {} })).body
        expect(request.request_options.rpId).toBe('localhost')
        const body = { credential: authenticator.get(request.request_options, credential, { origin }), flow_token: request.flow_token }
        return call(`${served.url}/webauthn/login/`, 'POST', { body })
      }
      expect((await login('http://localhost:3000')).body).toEqual(LOGIN_FAILED)
      const ok = await login('http://localhost:4000')
      expect(ok.status, ok.text).toBe(200)
    } finally {
      await served.close()
    }
  })

  it('answers 404 while passkeys (or passkey login) are off', async () => {
    await app.payload.updateGlobal({ data: { webauthnLoginEnabled: false } as never, slug: 'rest-auth-settings' as never })
    try {
      expect((await post('webauthn/login/options/', {})).status).toBe(404)
      expect((await post('webauthn/login/', {})).status).toBe(404)
      const user = await newUser()
      expect((await post('webauthn/register/options/', {}, user.token)).status).toBe(200)
      await app.payload.updateGlobal({ data: { webauthnEnabled: false, webauthnLoginEnabled: true } as never, slug: 'rest-auth-settings' as never })
      expect((await post('webauthn/register/options/', {}, user.token)).status).toBe(404)
      expect((await post('webauthn/login/options/', {})).status).toBe(404)
    } finally {
      await app.payload.updateGlobal({ data: { webauthnEnabled: true, webauthnLoginEnabled: true } as never, slug: 'rest-auth-settings' as never })
    }
  })
})
