import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'

import type { Mailbox } from '../helpers/smtp.js'
import type { TestApp } from '../helpers/server.js'

import { setClock } from '../../src/utilities/clock.js'
import { call } from '../helpers/client.js'
import { codeIn, wrongCode } from '../helpers/codes.js'
import { testDatabases } from '../helpers/database.js'
import { startTestApp } from '../helpers/server.js'
import { startMailbox } from '../helpers/smtp.js'
import { createUser, PASSWORD } from '../helpers/users.js'

const SENT = 'If the address belongs to an account, a code is on its way to it.'
const INCORRECT = { code: ['Incorrect code.'] }

/** Login by a mailed code (code/request/, code/confirm/, code/resend/) over HTTP with real mails. */
describe.each(testDatabases())('login by code on %s', (db) => {
  let app: TestApp
  let mailbox: Mailbox
  const baseSettings = {
    accountEmailVerification: 'optional',
    codeFormat: 'letters',
    codeLinkUrl: '',
    codeMaxAttempts: 3,
    codeMaxResends: 3,
    emailUnknownAccounts: true,
    loginByCodeEnabled: true,
    throttleCodeConfirmIp: '',
    throttleCodeRequestAccount: '',
    throttleCodeRequestIp: '',
    throttleEnabled: false,
    useJwt: false,
  }
  const save = (data: Record<string, unknown>) => app.payload.updateGlobal({ data: { ...baseSettings, ...data } as never, slug: 'rest-auth-settings' as never })

  beforeAll(async () => {
    mailbox = await startMailbox()
    app = await startTestApp({ config: { email: mailbox.adapter }, db, plugin: { settings: { trustedProxyCount: 1 } } })
    await createUser(app.payload, { email: 'cody@example.com', username: 'cody' })
    await createUser(app.payload, { email: 'ivy@example.com', is_active: false, username: 'ivy' })
    await createUser(app.payload, { email: 'pia@example.com', username: 'pia' })
  })
  afterAll(async () => {
    await app?.close()
    await mailbox?.close()
  })
  beforeEach(async () => save({}))
  afterEach(() => setClock(null))

  const request = async (email: string, headers: Record<string, string> = {}) => {
    const since = mailbox.messages.length
    const res = await call(`${app.url}/code/request/`, 'POST', { body: { email }, headers })
    return { res, since }
  }
  const requestCode = async (email = 'cody@example.com') => {
    const { res, since } = await request(email)
    expect(res.status, res.text).toBe(202)
    const mail = await mailbox.waitFor(email, { since })
    return { code: codeIn(mail), mail, token: res.body.flow_token as string }
  }
  const confirm = (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    call(`${app.url}/code/confirm/`, 'POST', { body, headers })
  const addressOf = async (email: string) =>
    (await app.payload.find({ collection: 'email-addresses' as never, overrideAccess: true, where: { email: { equals: email } } })).docs[0] as
      | undefined
      | { verified: boolean }

  it('request → mail with the code → confirm logs in once, and proves the address', async () => {
    const { res, since } = await request('Cody@Example.com')
    expect(res.status).toBe(202)
    expect(res.body).toEqual({ detail: SENT, expires_in: 180, flow_token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) })
    expect(res.headers.get('cache-control')).toBe('no-store')
    const mail = await mailbox.waitFor('cody@example.com', { since })
    expect(mail.subject).toBe('[example.com] Sign-In Code')
    expect(mail.text).toContain('The code is valid for 3 minutes.')
    const code = codeIn(mail)
    // The code and the token are nowhere in the database.
    const rows = JSON.stringify(await app.payload.find({ collection: 'auth-flows' as never, overrideAccess: true, showHiddenFields: true }))
    expect(rows).not.toContain(code)
    expect(rows).not.toContain(res.body.flow_token)

    const wrong = await confirm({ code: wrongCode(code), flow_token: res.body.flow_token })
    expect(wrong.status).toBe(400)
    expect(wrong.body).toEqual(INCORRECT)
    // Lower case and a dash are the same code.
    const ok = await confirm({ code: `${code.slice(0, 4).toLowerCase()}-${code.slice(4)}`, flow_token: res.body.flow_token })
    expect(ok.status, ok.text).toBe(200)
    expect(ok.body).toEqual({ key: expect.stringMatching(/^[0-9a-f]{40}$/) })
    const me = await call(`${app.url}/user/`, 'GET', { token: ok.body.key })
    expect(me.body).toMatchObject({ email: 'cody@example.com', username: 'cody' })
    expect((await addressOf('cody@example.com'))?.verified).toBe(true)

    const again = await confirm({ code, flow_token: res.body.flow_token })
    expect(again.status).toBe(401)
    expect(again.body).toEqual({ code: 'flow_invalid', detail: 'This code can no longer be used. Request a new code.' })
  })

  it('unknown and known addresses get the same status and body; the unknown one hears there is no account', async () => {
    const known = await request('cody@example.com')
    const unknown = await request('nobody@example.com')
    expect(unknown.res.status).toBe(known.res.status)
    expect(Object.keys(unknown.res.body).sort()).toEqual(Object.keys(known.res.body).sort())
    expect({ ...unknown.res.body, flow_token: 'x' }).toEqual({ ...known.res.body, flow_token: 'x' })
    expect([...unknown.res.headers.keys()].sort()).toEqual([...known.res.headers.keys()].sort())
    const mail = await mailbox.waitFor('nobody@example.com', { since: unknown.since })
    expect(mail.subject).toBe('[example.com] Unknown Account')
    expect(mail.text).toContain('there is no account with this e-mail address')
    expect(mail.text).not.toMatch(/^([A-HJ-NP-Z]{8}|\d{8})$/m)
    // Its flow never logs anyone in.
    const guess = await confirm({ code: 'ABCDEFGH', flow_token: unknown.res.body.flow_token })
    expect(guess.body).toEqual(INCORRECT)

    await save({ emailUnknownAccounts: false })
    const silent = await request('nobody@example.com')
    expect(silent.res.status).toBe(202)
    await expect(mailbox.waitFor('nobody@example.com', { since: silent.since, timeoutMs: 1500 })).rejects.toThrow()
    // An inactive account gets nothing either.
    const inactive = await request('ivy@example.com')
    expect(inactive.res.status).toBe(202)
    await expect(mailbox.waitFor('ivy@example.com', { since: inactive.since, timeoutMs: 1000 })).rejects.toThrow()
  })

  it('a code completes only its own flow', async () => {
    const first = await requestCode()
    const second = await requestCode()
    expect((await confirm({ code: first.code, flow_token: second.token })).body).toEqual(INCORRECT)
    expect((await confirm({ code: second.code, flow_token: first.token })).body).toEqual(INCORRECT)
    // A login flow's token is no e-mail verification flow (nor the reverse).
    await save({ accountEmailVerification: 'optional', emailVerificationByCode: true })
    const verify = await call(`${app.url}/registration/verify-email/`, 'POST', { body: { code: first.code, flow_token: first.token } })
    expect(verify.status).toBe(401)
    expect(verify.body.code).toBe('flow_invalid')
    expect((await confirm({ code: first.code, flow_token: first.token })).status).toBe(200)
  })

  it('dies after codeMaxAttempts wrong codes: then even the right one is refused (401)', async () => {
    const { code, token } = await requestCode()
    expect((await confirm({ code: wrongCode(code), flow_token: token })).status).toBe(400)
    expect((await confirm({ code: wrongCode(code), flow_token: token })).status).toBe(400)
    const last = await confirm({ code: wrongCode(code), flow_token: token })
    expect(last.status).toBe(401)
    expect(last.body).toEqual({ code: 'code_attempts_exhausted', detail: 'Too many incorrect codes. Request a new code.' })
    const late = await confirm({ code, flow_token: token })
    expect(late.status).toBe(401)
    expect(late.body.code).toBe('code_attempts_exhausted')
  })

  it('expires after codeTimeout (clock injected)', async () => {
    const { code, token } = await requestCode()
    setClock(() => Date.now() + 181_000)
    const res = await confirm({ code, flow_token: token })
    expect(res.status).toBe(401)
    expect(res.body).toEqual({ code: 'code_expired', detail: 'The code has expired. Request a new code.' })
    setClock(null)
    const fresh = await requestCode()
    setClock(() => Date.now() + 170_000)
    expect((await confirm({ code: fresh.code, flow_token: fresh.token })).status).toBe(200)
  })

  it('parallel confirmations with the right code: exactly one logs in', async () => {
    await save({ codeMaxAttempts: 10 })
    const { code, token } = await requestCode()
    // The account lookup between the code check and the consumption is slowed down, so every request
    // has checked the code before the first one consumes the flow: only the compare-and-set decides.
    const find = app.payload.find.bind(app.payload)
    const slowed = vi.spyOn(app.payload, 'find').mockImplementation((async (args: Parameters<typeof find>[0]) => {
      if (args.collection === 'users') {
        await new Promise((resolve) => setTimeout(resolve, 300))
      }
      return find(args)
    }) as typeof find)
    const results = await Promise.all(Array.from({ length: 8 }, () => confirm({ code, flow_token: token }))).finally(() => slowed.mockRestore())
    expect(results.filter((res) => res.status === 200)).toHaveLength(1)
    expect(results.filter((res) => res.status !== 200).every((res) => res.status === 401 && res.body.code === 'flow_invalid')).toBe(true)
  })

  it('parallel guesses: no more than codeMaxAttempts are checked', async () => {
    const { code, token } = await requestCode()
    const guesses = await Promise.all(
      Array.from({ length: 12 }, (_, i) => confirm({ code: i === 11 ? code : wrongCode(code).slice(0, 7) + String.fromCharCode(65 + i), flow_token: token })),
    )
    expect(guesses.filter((res) => res.status === 400).length).toBeLessThanOrEqual(3)
    expect(guesses.every((res) => res.status === 400 || res.status === 401 || res.status === 200)).toBe(true)
    // However the race went, the flow ends up unusable or used; never more than 3 checked.
    const rows = (await app.payload.find({ collection: 'auth-flows' as never, overrideAccess: true, where: { kind: { equals: 'code-login' } }, sort: '-createdAt', limit: 1 })).docs as unknown as { attempts: number }[]
    expect(rows[0]!.attempts).toBeLessThanOrEqual(3)
  })

  it('resend voids the old code, keeps the token, and stops at codeMaxResends', async () => {
    await save({ codeMaxResends: 2 })
    const { code, token } = await requestCode()
    const since = mailbox.messages.length
    const resent = await call(`${app.url}/code/resend/`, 'POST', { body: { flow_token: token } })
    expect(resent.status).toBe(202)
    expect(resent.body).toEqual({ detail: SENT, expires_in: 180, flow_token: token })
    const newCode = codeIn(await mailbox.waitFor('cody@example.com', { since }))
    expect(newCode).not.toBe(code)
    expect((await confirm({ code, flow_token: token })).body).toEqual(INCORRECT)
    const before = mailbox.messages.length
    expect((await call(`${app.url}/code/resend/`, 'POST', { body: { flow_token: token } })).status).toBe(202)
    // Delivered before the next test starts counting mails.
    await mailbox.waitFor('cody@example.com', { since: before })
    const over = await call(`${app.url}/code/resend/`, 'POST', { body: { flow_token: token } })
    expect(over.status).toBe(429)
    expect(over.body.code).toBe('code_resend_limit')
    const bogus = await call(`${app.url}/code/resend/`, 'POST', { body: { flow_token: 'x'.repeat(43) } })
    expect(bogus.status).toBe(401)
    // An unknown address's flow resends the same way.
    const unknown = await request('ghost@example.com')
    expect((await call(`${app.url}/code/resend/`, 'POST', { body: { flow_token: unknown.res.body.flow_token } })).status).toBe(202)
    const first = await mailbox.waitFor('ghost@example.com', { since: unknown.since })
    await mailbox.waitFor('ghost@example.com', { since: mailbox.messages.indexOf(first) + 1 })
  })

  it('parallel resends never exceed codeMaxResends', async () => {
    await save({ codeMaxResends: 2 })
    const { token } = await requestCode('pia@example.com')
    const results = await Promise.all(Array.from({ length: 6 }, () => call(`${app.url}/code/resend/`, 'POST', { body: { flow_token: token } })))
    expect(results.filter((res) => res.status === 202)).toHaveLength(2)
    expect(results.filter((res) => res.status === 429).every((res) => res.body.code === 'code_resend_limit')).toBe(true)
    expect(results.filter((res) => res.status === 429)).toHaveLength(4)
  })

  it('the mail scanner case: fetching the mailed link (and GET on the API) consumes nothing', async () => {
    await save({ codeLinkUrl: '{origin}/api/demo-client/code/?code={code}&flow={flow_token}' })
    const { code, mail, token } = await requestCode()
    const link = /https?:\/\/\S+/.exec(mail.text ?? '')![0]
    expect(link).toContain(`code=${code}`)
    expect(mail.html).toContain('<a href=')
    await fetch(link)
    await fetch(link, { method: 'HEAD' })
    const get = await call(`${app.url}/code/confirm/?code=${code}&flow_token=${token}`, 'GET')
    expect(get.status).toBe(405)
    expect((await confirm({ code, flow_token: token })).status).toBe(200)
  })

  it('digits as the code format', async () => {
    await save({ codeFormat: 'digits' })
    const { code, token } = await requestCode()
    expect(code).toMatch(/^\d{8}$/)
    expect((await confirm({ code, flow_token: token })).status).toBe(200)
  })

  it('answers as login/ in JWT mode, and lets an unverified account in under mandatory verification', async () => {
    await save({ accountEmailRequired: true, accountEmailVerification: 'mandatory', useJwt: true })
    await createUser(app.payload, { email: 'una@example.com', username: 'una' })
    const password = await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'una' } })
    expect(password.body).toEqual({ non_field_errors: ['E-mail is not verified.'] })
    const { code, token } = await requestCode('una@example.com')
    const res = await confirm({ code, flow_token: token })
    expect(res.status, res.text).toBe(200)
    expect(res.body).toMatchObject({ access: expect.any(String), user: { username: 'una' } })
    expect((await addressOf('una@example.com'))?.verified).toBe(true)
    expect((await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'una' } })).status).toBe(200)
  })

  it('pre-account takeover: a code login proves the address, removes what was connected before and ends the other credentials', async () => {
    const mallory = await createUser(app.payload, { email: 'pat@example.com', username: 'pat' })
    await app.payload.create({ collection: 'email-addresses' as never, data: { email: 'pat@example.com', primary: true, user: mallory.id, verified: false } as never })
    await app.payload.create({ collection: 'social-accounts' as never, data: { provider: 'github', uid: 'mallory-1', user: mallory.id } as never })
    const malloryKey = (await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'pat' } })).body.key
    expect((await call(`${app.url}/user/`, 'GET', { token: malloryKey })).status).toBe(200)
    const { code, token } = await requestCode('pat@example.com')
    const since = mailbox.messages.length
    const ok = await confirm({ code, flow_token: token })
    expect(ok.status).toBe(200)
    expect((await call(`${app.url}/user/`, 'GET', { token: malloryKey })).body).toEqual({ detail: 'Invalid token.' })
    expect((await call(`${app.url}/user/`, 'GET', { token: ok.body.key })).status).toBe(200)
    const left = await app.payload.find({ collection: 'social-accounts' as never, where: { user: { equals: mallory.id } } })
    expect(left.docs).toHaveLength(0)
    expect((await addressOf('pat@example.com'))?.verified).toBe(true)
    const mail = await mailbox.waitFor('pat@example.com', { since })
    expect(mail.subject).toBe('[example.com] Your e-mail address is confirmed')
    expect(mail.text).toContain('with a code sent to this address')
    expect(mail.text).toContain('Sign-ins through GitHub were connected to the account before the address was confirmed')
  })

  it('throttles per address and per client', async () => {
    await save({ throttleCodeConfirmIp: '3/min', throttleCodeRequestAccount: '2/hour', throttleCodeRequestIp: '50/min', throttleEnabled: true })
    const from = (ip: string) => ({ 'x-forwarded-for': ip })
    expect((await request('rate@example.com', from('198.51.100.1'))).res.status).toBe(202)
    const second = await request('RATE@example.com', from('198.51.100.2'))
    expect(second.res.status).toBe(202)
    const third = await request('rate@example.com', from('198.51.100.3'))
    expect(third.res.status).toBe(429)
    // A resend counts against the address too.
    expect((await call(`${app.url}/code/resend/`, 'POST', { body: { flow_token: second.res.body.flow_token } })).status).toBe(429)
    expect((await request('other@example.com', from('198.51.100.3'))).res.status).toBe(202)
    for (let i = 0; i < 3; i += 1) {
      expect((await confirm({ code: 'AAAAAAAA', flow_token: second.res.body.flow_token }, from('198.51.100.9'))).status).not.toBe(429)
    }
    expect((await confirm({ code: 'AAAAAAAA', flow_token: second.res.body.flow_token }, from('198.51.100.9'))).status).toBe(429)
  })

  it('a failing SMTP server: the same answer, an error logged without the token, and a resend works later', async () => {
    mailbox.refuse(true)
    const logged = vi.spyOn(app.payload.logger, 'error')
    try {
      const { res } = await request('cody@example.com')
      expect(res.status).toBe(202)
      // (Mails of earlier tests may fail here too; wait for this one's.)
      await vi.waitFor(() => expect(JSON.stringify(logged.mock.calls)).toContain('could not send the login code e-mail'), { timeout: 5000 })
      expect(JSON.stringify(logged.mock.calls)).not.toContain(res.body.flow_token)
      mailbox.refuse(false)
      const since = mailbox.messages.length
      expect((await call(`${app.url}/code/resend/`, 'POST', { body: { flow_token: res.body.flow_token } })).status).toBe(202)
      const code = codeIn(await mailbox.waitFor('cody@example.com', { since }))
      expect((await confirm({ code, flow_token: res.body.flow_token })).status).toBe(200)
    } finally {
      mailbox.refuse(false)
      logged.mockRestore()
    }
  })

  it('bad input answers 4xx in dj-rest-auth’s shape; the routes are 404 while the setting is off', async () => {
    expect((await call(`${app.url}/code/request/`, 'POST', { body: { email: 'nope' } })).body).toEqual({ email: ['Enter a valid email address.'] })
    expect((await call(`${app.url}/code/confirm/`, 'POST', { body: {} })).body).toEqual({
      flow_token: ['This field is required.'],
      code: ['This field is required.'],
    })
    for (const body of [{ code: ['A'], flow_token: 'x' }, { code: 'A', flow_token: { $gt: '' } }, { code: 'A'.repeat(40), flow_token: 'x' }, { code: 'ABCDEFGH', flow_token: 'short' }]) {
      const res = await confirm(body)
      expect(res.status, JSON.stringify(body)).toBeGreaterThanOrEqual(400)
      expect(res.status, JSON.stringify(body)).toBeLessThan(500)
    }
    await save({ loginByCodeEnabled: false })
    expect((await call(`${app.url}/code/request/`, 'POST', { body: { email: 'cody@example.com' } })).status).toBe(404)
    expect((await confirm({ code: 'ABCDEFGH', flow_token: 'x' })).status).toBe(404)
  })
})
