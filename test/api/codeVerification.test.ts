import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'

import type { Mailbox } from '../helpers/smtp.js'
import type { TestApp } from '../helpers/server.js'

import { setClock } from '../../src/utilities/clock.js'
import { call } from '../helpers/client.js'
import { codeIn, wrongCode } from '../helpers/codes.js'
import { testDatabases } from '../helpers/database.js'
import { startTestApp } from '../helpers/server.js'
import { linkIn, startMailbox } from '../helpers/smtp.js'
import { createUser, NEW_PASSWORD, PASSWORD, verifyEmailOf } from '../helpers/users.js'

const INCORRECT = { code: ['Incorrect code.'] }
const RESET_SENT = 'Password reset e-mail has been sent.'
const RESET_DONE = { detail: 'Password has been reset with the new password.' }

/** EMAIL_VERIFICATION_BY_CODE and PASSWORD_RESET_BY_CODE over HTTP with real mails; the link flows beside them. */
describe.each(testDatabases())('verification and reset by code on %s', (db) => {
  let app: TestApp
  let mailbox: Mailbox
  const baseSettings = {
    accountEmailRequired: true,
    accountEmailVerification: 'mandatory',
    codeMaxAttempts: 3,
    emailVerificationByCode: true,
    passwordResetByCode: true,
    sessionLogin: false,
    useJwt: false,
  }
  const save = (data: Record<string, unknown>) => app.payload.updateGlobal({ data: { ...baseSettings, ...data } as never, slug: 'rest-auth-settings' as never })

  beforeAll(async () => {
    mailbox = await startMailbox()
    app = await startTestApp({ config: { email: mailbox.adapter }, db })
  })
  afterAll(async () => {
    await app?.close()
    await mailbox?.close()
  })
  beforeEach(async () => save({}))
  afterEach(() => setClock(null))

  const register = async (name: string) => {
    const since = mailbox.messages.length
    const res = await call(`${app.url}/registration/`, 'POST', {
      body: { email: `${name}@example.com`, password1: PASSWORD, password2: PASSWORD, username: name },
    })
    return { mail: res.status === 201 ? await mailbox.waitFor(`${name}@example.com`, { since }) : null, res }
  }
  const verify = (body: Record<string, unknown>) => call(`${app.url}/registration/verify-email/`, 'POST', { body })
  const login = (username: string, password = PASSWORD) => call(`${app.url}/login/`, 'POST', { body: { password, username } })
  const requestReset = async (email: string) => {
    const since = mailbox.messages.length
    const res = await call(`${app.url}/password/reset/`, 'POST', { body: { email } })
    return { res, since }
  }
  const confirmReset = (body: Record<string, unknown>) => call(`${app.url}/password/reset/confirm/`, 'POST', { body })

  describe('e-mail verification', () => {
    it('registration answers the flow token and mails a code that verifies the address once', async () => {
      const { mail, res } = await register('vera')
      expect(res.status).toBe(201)
      expect(res.body).toEqual({ detail: 'Verification e-mail sent.', expires_in: 180, flow_token: expect.stringMatching(/^[\w-]{43}$/) })
      expect(mail!.subject).toBe('[example.com] Please Confirm Your E-mail Address')
      expect(mail!.text).not.toMatch(/https?:\/\//)
      const code = codeIn(mail!)
      expect((await login('vera')).body).toEqual({ non_field_errors: ['E-mail is not verified.'] })
      expect((await verify({ code: wrongCode(code), flow_token: res.body.flow_token })).body).toEqual(INCORRECT)
      const ok = await verify({ code, flow_token: res.body.flow_token })
      expect(ok.status, ok.text).toBe(200)
      expect(ok.body).toEqual({ detail: 'ok' })
      expect((await login('vera')).status).toBe(200)
      const again = await verify({ code, flow_token: res.body.flow_token })
      expect(again.status).toBe(401)
      expect(again.body.code).toBe('flow_invalid')
      // The same through the documentation's account-confirm-email/ route: it is the same view.
      expect((await call(`${app.url}/account-confirm-email/`, 'POST', { body: { code, flow_token: res.body.flow_token } })).status).toBe(401)
    })

    it('with optional verification the login answer carries the flow token too', async () => {
      await save({ accountEmailVerification: 'optional' })
      const { mail, res } = await register('otto')
      expect(res.status).toBe(201)
      expect(res.body).toEqual({ expires_in: 180, flow_token: expect.any(String), key: expect.stringMatching(/^[0-9a-f]{40}$/) })
      expect((await verify({ code: codeIn(mail!), flow_token: res.body.flow_token })).body).toEqual({ detail: 'ok' })
    })

    it('resend-email/ answers a flow token for every address and mails a code only to an unverified one', async () => {
      await register('rhea')
      const since = mailbox.messages.length
      const known = await call(`${app.url}/registration/resend-email/`, 'POST', { body: { email: 'RHEA@example.com' } })
      const unknown = await call(`${app.url}/registration/resend-email/`, 'POST', { body: { email: 'nobody@example.com' } })
      expect(known.status).toBe(200)
      expect(unknown.status).toBe(200)
      expect({ ...known.body, flow_token: 'x' }).toEqual({ ...unknown.body, flow_token: 'x' })
      expect(known.body).toEqual({ detail: 'ok', expires_in: 180, flow_token: expect.any(String) })
      const code = codeIn(await mailbox.waitFor('rhea@example.com', { since }))
      await expect(mailbox.waitFor('nobody@example.com', { since, timeoutMs: 1000 })).rejects.toThrow()
      expect((await verify({ code, flow_token: unknown.body.flow_token })).body).toEqual(INCORRECT)
      expect((await verify({ code, flow_token: known.body.flow_token })).body).toEqual({ detail: 'ok' })
    })

    it('expires, and a reset flow’s token is no verification flow', async () => {
      const { mail, res } = await register('eve')
      const code = codeIn(mail!)
      setClock(() => Date.now() + 200_000)
      expect((await verify({ code, flow_token: res.body.flow_token })).body.code).toBe('code_expired')
      setClock(null)
      const reset = await requestReset('eve@example.com')
      expect((await verify({ code, flow_token: reset.res.body.flow_token })).body.code).toBe('flow_invalid')
      await mailbox.waitFor('eve@example.com', { since: reset.since })
    })

    it('the link flow keeps working: with the setting off, and with a key of an earlier mail while it is on', async () => {
      await save({ emailVerificationByCode: false })
      const { mail, res } = await register('lina')
      expect(res.body).toEqual({ detail: 'Verification e-mail sent.' })
      const key = decodeURIComponent(/\/account-confirm-email\/([^/]+)\/$/.exec(linkIn(mail!))![1]!)
      await save({})
      expect((await verify({ key })).body).toEqual({ detail: 'ok' })
      await save({ emailVerificationByCode: false })
      expect((await verify({ code: 'ABCDEFGH', flow_token: 'x' })).body).toEqual({ key: ['This field is required.'] })
    })
  })

  describe('password reset', () => {
    beforeAll(async () => {
      await verifyEmailOf(app.payload, await createUser(app.payload, { email: 'rosa@example.com', username: 'rosa' }))
      await createUser(app.payload, { email: 'ian@example.com', is_active: false, username: 'ian' })
    })

    const resetCode = async (email = 'rosa@example.com') => {
      const { res, since } = await requestReset(email)
      expect(res.status).toBe(200)
      return { code: codeIn(await mailbox.waitFor(email, { since })), token: res.body.flow_token as string }
    }

    it('the same answer for every address; the code resets the password once and ends the old tokens', async () => {
      const key = (await login('rosa')).body.key
      const known = await requestReset('rosa@example.com')
      const unknown = await requestReset('nobody@example.com')
      const inactive = await requestReset('ian@example.com')
      for (const { res } of [known, unknown, inactive]) {
        expect(res.status).toBe(200)
        expect(res.body).toEqual({ detail: RESET_SENT, expires_in: 180, flow_token: expect.stringMatching(/^[\w-]{43}$/) })
      }
      const mail = await mailbox.waitFor('rosa@example.com', { since: known.since })
      expect(mail.subject).toBe('[example.com] Password Reset Code')
      await expect(mailbox.waitFor('nobody@example.com', { since: unknown.since, timeoutMs: 1000 })).rejects.toThrow()
      await expect(mailbox.waitFor('ian@example.com', { since: inactive.since, timeoutMs: 500 })).rejects.toThrow()
      const code = codeIn(mail)
      const token = known.res.body.flow_token
      expect((await confirmReset({ code, flow_token: unknown.res.body.flow_token, new_password1: NEW_PASSWORD, new_password2: NEW_PASSWORD })).body).toEqual(INCORRECT)
      // A bad password costs no attempt: three of them, then the code still works.
      for (let i = 0; i < 3; i += 1) {
        const weak = await confirmReset({ code, flow_token: token, new_password1: 'rosa', new_password2: 'rosa' })
        expect(weak.status).toBe(400)
        expect(weak.body.new_password2).toContain('This password is too short. It must contain at least 8 characters.')
      }
      expect((await confirmReset({ code: wrongCode(code), flow_token: token, new_password1: NEW_PASSWORD, new_password2: NEW_PASSWORD })).body).toEqual(INCORRECT)
      const ok = await confirmReset({ code, flow_token: token, new_password1: NEW_PASSWORD, new_password2: NEW_PASSWORD })
      expect(ok.status, ok.text).toBe(200)
      expect(ok.body).toEqual(RESET_DONE)
      expect((await call(`${app.url}/user/`, 'GET', { token: key })).body).toEqual({ detail: 'Invalid token.' })
      expect((await login('rosa', NEW_PASSWORD)).status).toBe(200)
      const reuse = await confirmReset({ code, flow_token: token, new_password1: PASSWORD, new_password2: PASSWORD })
      expect(reuse.status).toBe(401)
      expect(reuse.body.code).toBe('flow_invalid')
      await app.payload.update({ collection: 'users', data: { password: PASSWORD } as never, where: { username: { equals: 'rosa' } } })
    })

    it('parallel confirmations: exactly one resets', async () => {
      await save({ codeMaxAttempts: 10 })
      const { code, token } = await resetCode()
      const results = await Promise.all(
        Array.from({ length: 6 }, () => confirmReset({ code, flow_token: token, new_password1: NEW_PASSWORD, new_password2: NEW_PASSWORD })),
      )
      expect(results.filter((res) => res.status === 200)).toHaveLength(1)
      expect(results.filter((res) => res.status !== 200).every((res) => res.status === 401)).toBe(true)
      await app.payload.update({ collection: 'users', data: { password: PASSWORD } as never, where: { username: { equals: 'rosa' } } })
    })

    it('attempt limit and expiry answer 401 with their own code', async () => {
      const first = await resetCode()
      const body = { flow_token: first.token, new_password1: NEW_PASSWORD, new_password2: NEW_PASSWORD }
      expect((await confirmReset({ ...body, code: wrongCode(first.code) })).status).toBe(400)
      expect((await confirmReset({ ...body, code: wrongCode(first.code) })).status).toBe(400)
      expect((await confirmReset({ ...body, code: wrongCode(first.code) })).body.code).toBe('code_attempts_exhausted')
      expect((await confirmReset({ ...body, code: first.code })).body.code).toBe('code_attempts_exhausted')
      const second = await resetCode()
      setClock(() => Date.now() + 181_000)
      expect((await confirmReset({ ...body, code: second.code, flow_token: second.token })).body.code).toBe('code_expired')
      expect((await login('rosa')).status).toBe(200)
    })

    it('the link flow keeps working: with the setting off, and with a link of an earlier mail while it is on', async () => {
      await save({ passwordResetByCode: false })
      const { res, since } = await requestReset('rosa@example.com')
      expect(res.body).toEqual({ detail: RESET_SENT })
      const match = /\/password-reset\/confirm\/([^/]+)\/([^/]+)\/$/.exec(linkIn(await mailbox.waitFor('rosa@example.com', { since })))!
      await save({})
      const ok = await confirmReset({ new_password1: NEW_PASSWORD, new_password2: NEW_PASSWORD, token: decodeURIComponent(match[2]!), uid: decodeURIComponent(match[1]!) })
      expect(ok.body).toEqual(RESET_DONE)
      const missing = await confirmReset({})
      expect(missing.body).toEqual({
        new_password1: ['This field is required.'],
        new_password2: ['This field is required.'],
        flow_token: ['This field is required.'],
        code: ['This field is required.'],
      })
    })
  })
})
