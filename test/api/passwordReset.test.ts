import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'

import type { Mailbox } from '../helpers/smtp.js'
import type { TestApp } from '../helpers/server.js'

import { setClock } from '../../src/utilities/clock.js'
import { call } from '../helpers/client.js'
import { testDatabases } from '../helpers/database.js'
import { startTestApp } from '../helpers/server.js'
import { linkIn, startMailbox } from '../helpers/smtp.js'
import { createUser, NEW_PASSWORD, PASSWORD } from '../helpers/users.js'

const RESET_DETAIL = { detail: 'Password reset e-mail has been sent.' }
const DONE = { detail: 'Password has been reset with the new password.' }

/** Password reset through a real SMTP server: the link in the delivered mail completes the flow. */
describe.each(testDatabases())('password reset on %s', (db) => {
  let app: TestApp
  let mailbox: Mailbox

  beforeAll(async () => {
    mailbox = await startMailbox()
    app = await startTestApp({ config: { email: mailbox.adapter }, db })
    await createUser(app.payload, { email: 'bob@example.com', username: 'bob' })
    await createUser(app.payload, { email: 'ina@example.com', is_active: false, username: 'ina' })
  })
  afterAll(async () => {
    await app?.close()
    await mailbox?.close()
  })
  afterEach(() => setClock(null))

  const requestReset = async (email: string) => {
    const since = mailbox.messages.length
    const res = await call(`${app.url}/password/reset/`, 'POST', { body: { email } })
    return { res, since }
  }
  const linkParts = (link: string) => {
    const match = /\/password-reset\/confirm\/([^/]+)\/([^/]+)\/$/.exec(link)
    expect(match, link).not.toBeNull()
    return { token: decodeURIComponent(match![2]!), uid: decodeURIComponent(match![1]!) }
  }
  const confirm = (body: Record<string, unknown>) => call(`${app.url}/password/reset/confirm/`, 'POST', { body })

  it('unknown e-mail: 200 and no mail', async () => {
    const { res, since } = await requestReset('nobody@example.com')
    expect(res.status).toBe(200)
    expect(res.body).toEqual(RESET_DETAIL)
    await expect(mailbox.waitFor('nobody@example.com', { since, timeoutMs: 1500 })).rejects.toThrow()
  })

  it('invalid and missing e-mail: field errors', async () => {
    const invalid = await call(`${app.url}/password/reset/`, 'POST', { body: { email: 'not-an-email' } })
    expect(invalid.status).toBe(400)
    expect(invalid.body).toEqual({ email: ['Enter a valid email address.'] })
    const missing = await call(`${app.url}/password/reset/`, 'POST', { body: {} })
    expect(missing.body).toEqual({ email: ['This field is required.'] })
  })

  it('inactive user: 200 and no mail', async () => {
    const { res, since } = await requestReset('ina@example.com')
    expect(res.body).toEqual(RESET_DETAIL)
    await expect(mailbox.waitFor('ina@example.com', { since, timeoutMs: 1500 })).rejects.toThrow()
  })

  it('known e-mail: the mail, its subject, text and link; the link resets once', async () => {
    const { res, since } = await requestReset('BOB@example.com')
    expect(res.status).toBe(200)
    expect(res.body).toEqual(RESET_DETAIL)
    const mail = await mailbox.waitFor('bob@example.com', { since })
    expect(mail.subject).toBe('[example.com] Password Reset E-mail')
    expect(mail.text).toContain('Hello from example.com!')
    expect(mail.text).toContain('In case you forgot, your username is bob.')
    expect(mail.html).toContain('<a href=')
    const link = linkIn(mail)
    expect(link.startsWith(new URL(app.apiUrl).origin)).toBe(true)
    const { token, uid } = linkParts(link)
    expect(token).toMatch(/^[0-9a-z]+-[0-9a-f]{32}$/)

    const bob = (await app.payload.find({ collection: 'users', where: { username: { equals: 'bob' } } })).docs[0]!
    expect(uid).toBe((bob.id as number).toString(36))

    const badUid = await confirm({ new_password1: PASSWORD, new_password2: PASSWORD, token, uid: 'zz' })
    expect(badUid.status).toBe(400)
    expect(badUid.body).toEqual({ uid: ['Invalid value'] })
    const badToken = await confirm({ new_password1: PASSWORD, new_password2: PASSWORD, token: 'abc-def', uid })
    expect(badToken.body).toEqual({ token: ['Invalid value'] })
    const weak = await confirm({ new_password1: 'bob', new_password2: 'bob', token, uid })
    expect(weak.body.new_password2).toContain('This password is too short. It must contain at least 8 characters.')
    const mismatch = await confirm({ new_password1: NEW_PASSWORD, new_password2: PASSWORD, token, uid })
    expect(mismatch.body).toEqual({ new_password2: ['The two password fields didn’t match.'] })

    const key = (await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'bob' } })).body.key
    // Logging in changed last_login, so this link is dead already; ask again.
    expect((await confirm({ new_password1: NEW_PASSWORD, new_password2: NEW_PASSWORD, token, uid })).body).toEqual({ token: ['Invalid value'] })
    const again = await requestReset('bob@example.com')
    const fresh = linkParts(linkIn(await mailbox.waitFor('bob@example.com', { since: again.since })))

    const ok = await confirm({ new_password1: NEW_PASSWORD, new_password2: NEW_PASSWORD, ...fresh })
    expect(ok.status).toBe(200)
    expect(ok.body).toEqual(DONE)
    const reuse = await confirm({ new_password1: PASSWORD, new_password2: PASSWORD, ...fresh })
    expect(reuse.status).toBe(400)
    expect(reuse.body).toEqual({ token: ['Invalid value'] })

    // Improvement over dj-rest-auth: the reset revokes existing tokens.
    expect((await call(`${app.url}/user/`, 'GET', { token: key })).body).toEqual({ detail: 'Invalid token.' })
    expect((await call(`${app.url}/login/`, 'POST', { body: { password: NEW_PASSWORD, username: 'bob' } })).status).toBe(200)
  })

  it('a link expires after PASSWORD_RESET_TIMEOUT (clock injected)', async () => {
    const { since } = await requestReset('bob@example.com')
    const { token, uid } = linkParts(linkIn(await mailbox.waitFor('bob@example.com', { since })))
    setClock(() => Date.now() + 3 * 86400_000 + 5_000)
    const expired = await confirm({ new_password1: PASSWORD, new_password2: PASSWORD, token, uid })
    expect(expired.body).toEqual({ token: ['Invalid value'] })
    setClock(() => Date.now() + 3 * 86400_000 - 60_000)
    const justInTime = await confirm({ new_password1: PASSWORD, new_password2: PASSWORD, token, uid })
    expect(justInTime.status).toBe(200)
  })

  it('a link dies when the password changes another way', async () => {
    const { since } = await requestReset('bob@example.com')
    const { token, uid } = linkParts(linkIn(await mailbox.waitFor('bob@example.com', { since })))
    const bob = (await app.payload.find({ collection: 'users', where: { username: { equals: 'bob' } } })).docs[0]!
    await app.payload.update({ collection: 'users', data: { password: NEW_PASSWORD } as never, id: bob.id })
    expect((await confirm({ new_password1: PASSWORD, new_password2: PASSWORD, token, uid })).body).toEqual({ token: ['Invalid value'] })
  })

  it('malformed uid and token input', async () => {
    for (const [uid, token] of [
      ['', 'x'],
      ['1', ''],
      ['-1', 'abc-def'],
      ['zzzzzzzzzzzzzzzzzzzzzzzz', 'abc-def'],
      ['1', 'zzzzzzzzzzzzzzz-0123456789abcdef0123456789abcdef'],
      ['1\u0000', 'a-b'],
      [{ $gt: '' }, ['a']],
    ] as const) {
      const res = await confirm({ new_password1: PASSWORD, new_password2: PASSWORD, token, uid })
      expect(res.status, JSON.stringify({ res: res.body, token, uid })).toBe(400)
      expect(Object.keys(res.body).every((k) => ['token', 'uid'].includes(k))).toBe(true)
    }
  })

  it('a failing SMTP server: same answer, an error logged, nothing changed', async () => {
    mailbox.refuse(true)
    const logged = vi.spyOn(app.payload.logger, 'error')
    try {
      const { res } = await requestReset('bob@example.com')
      expect(res.status).toBe(200)
      expect(res.body).toEqual(RESET_DETAIL)
      await vi.waitFor(() => expect(logged).toHaveBeenCalled(), { timeout: 5000 })
      const text = JSON.stringify(logged.mock.calls)
      expect(text).toContain('could not send the password reset e-mail')
      expect(text).not.toMatch(/[0-9a-z]+-[0-9a-f]{32}/)
    } finally {
      logged.mockRestore()
      mailbox.refuse(false)
    }
  })

  it('the site name and a front-end URL template from the settings', async () => {
    await app.payload.updateGlobal({
      data: { passwordResetConfirmUrl: 'https://app.example.com/reset/{uid}/{token}/', siteName: 'Acme' } as never,
      slug: 'rest-auth-settings' as never,
    })
    const { since } = await requestReset('bob@example.com')
    const mail = await mailbox.waitFor('bob@example.com', { since })
    expect(mail.subject).toBe('[Acme] Password Reset E-mail')
    expect(linkIn(mail)).toMatch(/^https:\/\/app\.example\.com\/reset\/[0-9a-z]+\/[0-9a-z]+-[0-9a-f]{32}\/$/)
  })

  describe('templates replaced through the plugin option', () => {
    let custom: TestApp
    beforeAll(async () => {
      custom = await startTestApp({
        config: { email: mailbox.adapter },
        db,
        plugin: {
          emailTemplates: {
            passwordReset: ({ link, siteName, user }) => ({
              html: `<p>Hi ${user.username}, <a href="${link}">reset</a></p>`,
              subject: `${siteName}: your reset link`,
              text: `Hi ${user.username}\n${link}\n`,
            }),
          },
        },
      })
      await createUser(custom.payload, { email: 'tom@example.com', username: 'tom' })
    })
    afterAll(async () => custom?.close())

    it('uses them for subject, text and HTML', async () => {
      const since = mailbox.messages.length
      await call(`${custom.url}/password/reset/`, 'POST', { body: { email: 'tom@example.com' } })
      const mail = await mailbox.waitFor('tom@example.com', { since })
      expect(mail.subject).toBe('example.com: your reset link')
      expect(mail.text).toMatch(/^Hi tom\n/)
      expect(mail.html).toContain('<a href="http')
      expect(linkIn(mail)).toMatch(/\/password-reset\/confirm\/[0-9a-z]+\/[0-9a-z]+-[0-9a-f]{32}\/$/)
    })
  })
})
