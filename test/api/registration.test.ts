import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'

import type { Mailbox } from '../helpers/smtp.js'
import type { TestApp } from '../helpers/server.js'

import { setClock } from '../../src/utilities/clock.js'
import { call } from '../helpers/client.js'
import { testDatabases } from '../helpers/database.js'
import { startTestApp } from '../helpers/server.js'
import { linkIn, startMailbox } from '../helpers/smtp.js'
import { PASSWORD } from '../helpers/users.js'

const keyFrom = (link: string): string => decodeURIComponent(/\/account-confirm-email\/([^/]+)\/$/.exec(link)![1]!)

/** Registration, e-mail confirmation and resend, for the transcript's profiles, with real SMTP. */
describe.each(testDatabases())('registration on %s', (db) => {
  let mailbox: Mailbox
  beforeAll(async () => {
    mailbox = await startMailbox()
  })
  afterAll(async () => mailbox?.close())
  afterEach(() => setClock(null))

  describe('default profile (optional verification, username login)', () => {
    let app: TestApp
    beforeAll(async () => {
      app = await startTestApp({ config: { email: mailbox.adapter }, db })
    })
    afterAll(async () => app?.close())
    const register = (body: unknown) => call(`${app.url}/registration/`, 'POST', { body })

    it('password mismatch & weak', async () => {
      const res = await register({ email: 'bob@example.com', password1: '12345678', password2: '1234567', username: 'bob' })
      expect(res.status).toBe(400)
      expect(res.body).toEqual({ password1: ['This password is too common.', 'This password is entirely numeric.'] })
    })

    it('missing fields, in the serializer’s order', async () => {
      const res = await register({})
      expect(res.status).toBe(400)
      expect(res.text).toBe(
        '{"username":["This field is required."],"password1":["This field is required."],"password2":["This field is required."]}',
      )
    })

    it('mismatch alone is a non-field error', async () => {
      const res = await register({ password1: PASSWORD, password2: `${PASSWORD}x`, username: 'bob' })
      expect(res.body).toEqual({ non_field_errors: ["The two password fields didn't match."] })
    })

    it('ok: 204 with a session, a confirmation mail', async () => {
      const since = mailbox.messages.length
      const res = await register({ email: 'bob@example.com', password1: PASSWORD, password2: PASSWORD, username: 'bob' })
      expect(res.status).toBe(204)
      expect(res.text).toBe('')
      expect(res.cookies.some((c) => /^sessionid=.+; HttpOnly; Max-Age=1209600; Path=\/; SameSite=Lax$/.test(c))).toBe(true)
      const mail = await mailbox.waitFor('bob@example.com', { since })
      expect(mail.subject).toBe('[example.com] Please Confirm Your E-mail Address')
      expect(mail.text).toContain('user bob has given your e-mail address to register an account on example.com')
      // optional verification: login works before confirming
      expect((await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'bob' } })).status).toBe(200)
    })

    it('duplicate', async () => {
      const res = await register({ email: 'bob@example.com', password1: PASSWORD, password2: PASSWORD, username: 'bob' })
      expect(res.status).toBe(400)
      expect(res.body).toEqual({
        email: ['A user is already registered with this e-mail address.'],
        username: ['A user with that username already exists.'],
      })
    })

    it('the documented account-confirm-email routes: POST confirms like verify-email/, GET sends a browser to emailConfirmationUrl', async () => {
      const since = mailbox.messages.length
      await register({ email: 'dora@example.com', password1: PASSWORD, password2: PASSWORD, username: 'dora' })
      const key = keyFrom(linkIn(await mailbox.waitFor('dora@example.com', { since })))
      const opened = (path: string) => call(`${app.url}/registration/account-confirm-email/${path}/`, 'GET')
      // Without a front-end page to send the browser to, dj-rest-auth's unusable TemplateView stays a 404.
      await app.payload.updateGlobal({ data: { emailConfirmationUrl: '' } as never, slug: 'rest-auth-settings' as never })
      expect((await opened(key)).status).toBe(404)
      await app.payload.updateGlobal({ data: { emailConfirmationUrl: 'https://app.example.com/confirm/{key}' } as never, slug: 'rest-auth-settings' as never })
      try {
        const redirect = await opened(key)
        expect(redirect.status).toBe(302)
        expect(redirect.headers.get('location')).toBe(`https://app.example.com/confirm/${encodeURIComponent(key)}`)
        expect(redirect.headers.get('cache-control')).toBe('no-store')
        expect((await opened('%3Cscript%3E')).status).toBe(404)
      } finally {
        await app.payload.updateGlobal({ data: { emailConfirmationUrl: '' } as never, slug: 'rest-auth-settings' as never })
      }
      const confirmed = await call(`${app.url}/account-confirm-email/`, 'POST', { body: { key } })
      expect(confirmed.status).toBe(200)
      expect(confirmed.body).toEqual({ detail: 'ok' })
      expect(await call(`${app.url}/account-confirm-email/`, 'POST', { body: { key } })).toMatchObject({ body: { detail: 'Not found.' }, status: 404 })
    })

    it('verify-email: bad key', async () => {
      const res = await call(`${app.url}/registration/verify-email/`, 'POST', { body: { key: 'nope' } })
      expect(res.status).toBe(404)
      expect(res.body).toEqual({ detail: 'Not found.' })
      const missing = await call(`${app.url}/registration/verify-email/`, 'POST', { body: {} })
      expect(missing.body).toEqual({ key: ['This field is required.'] })
    })

    it('resend-email: unknown', async () => {
      const since = mailbox.messages.length
      const res = await call(`${app.url}/registration/resend-email/`, 'POST', { body: { email: 'nobody@example.com' } })
      expect(res.status).toBe(200)
      expect(res.body).toEqual({ detail: 'ok' })
      await expect(mailbox.waitFor('nobody@example.com', { since, timeoutMs: 1000 })).rejects.toThrow()
    })

    it('concurrent sign-ups of one username create exactly one user', async () => {
      const attempts = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          register({ email: `race${i}@example.com`, password1: PASSWORD, password2: PASSWORD, username: 'racer' }),
        ),
      )
      const statuses = attempts.map((a) => a.status)
      expect(statuses.filter((s) => s === 204)).toHaveLength(1)
      expect(statuses.filter((s) => s === 400)).toHaveLength(19)
      for (const failed of attempts.filter((a) => a.status === 400)) {
        expect(failed.body).toEqual({ username: ['A user with that username already exists.'] })
      }
      const { totalDocs } = await app.payload.count({ collection: 'users', where: { username: { equals: 'racer' } } })
      expect(totalDocs).toBe(1)
      const addresses = await app.payload.count({ collection: 'email-addresses' as never, where: { email: { like: 'race' } } })
      expect(addresses.totalDocs).toBe(1)
    })

    it('concurrent sign-ups of one e-mail create exactly one user', async () => {
      const attempts = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          register({ email: 'same@example.com', password1: PASSWORD, password2: PASSWORD, username: `same${i}` }),
        ),
      )
      expect(attempts.filter((a) => a.status === 204)).toHaveLength(1)
      for (const failed of attempts.filter((a) => a.status !== 204)) {
        expect(failed.status).toBe(400)
        expect(failed.body).toEqual({ email: ['A user is already registered with this e-mail address.'] })
      }
      const { totalDocs } = await app.payload.count({ collection: 'users', where: { email: { equals: 'same@example.com' } } })
      expect(totalDocs).toBe(1)
    })

    it('registration closed in the settings: 403, as DRF denies an anonymous request (NotAuthenticated)', async () => {
      await app.payload.updateGlobal({ data: { registrationOpen: false } as never, slug: 'rest-auth-settings' as never })
      try {
        const res = await register({ password1: PASSWORD, password2: PASSWORD, username: 'late' })
        expect(res.status).toBe(403)
        expect(res.body).toEqual({ detail: 'Authentication credentials were not provided.' })
      } finally {
        await app.payload.updateGlobal({ data: { registrationOpen: true } as never, slug: 'rest-auth-settings' as never })
      }
    })

    it('a password too similar to the new user is refused in every mode, and nothing is created', async () => {
      const nothingCreated = async (username: string) => {
        expect((await app.payload.count({ collection: 'users', where: { username: { equals: username } } })).totalDocs).toBe(0)
        expect((await app.payload.count({ collection: 'email-addresses' as never, where: { email: { contains: username } } })).totalDocs).toBe(0)
      }
      const modes = [{}, { sessionLogin: false }, { jwtAuthCookie: 'app-auth', sessionLogin: false, useJwt: true }]
      try {
        for (const [index, mode] of modes.entries()) {
          await app.payload.updateGlobal({ data: mode as never, slug: 'rest-auth-settings' as never })
          const username = `quentinmarlowe${index}`
          const sameAsUsername = await register({ email: `${username}@example.com`, password1: username, password2: username, username })
          expect(sameAsUsername.status).toBe(400)
          expect(sameAsUsername.body).toEqual({ non_field_errors: ['The password is too similar to the username.'] })
          const likeEmail = `harrietvonschwartz${index}`
          const res = await register({ email: `${likeEmail}@example.com`, password1: likeEmail, password2: likeEmail, username: `zed${index}` })
          expect(res.body).toEqual({ non_field_errors: ['The password is too similar to the email address.'] })
          await nothingCreated(username)
          await nothingCreated(likeEmail)
        }
      } finally {
        await app.payload.updateGlobal({ data: { sessionLogin: true, useJwt: false } as never, slug: 'rest-auth-settings' as never })
      }
    })

    it('the similarity check can be turned off with the other rules (passwordUserAttributeSimilarity)', async () => {
      await app.payload.updateGlobal({ data: { passwordUserAttributeSimilarity: false } as never, slug: 'rest-auth-settings' as never })
      try {
        const res = await register({ password1: 'oliviapemberton', password2: 'oliviapemberton', username: 'oliviapemberton' })
        expect(res.status).toBe(204)
      } finally {
        await app.payload.updateGlobal({ data: { passwordUserAttributeSimilarity: true } as never, slug: 'rest-auth-settings' as never })
      }
    })

    it('token mode without session login: 201 with a key', async () => {
      await app.payload.updateGlobal({ data: { sessionLogin: false } as never, slug: 'rest-auth-settings' as never })
      const res = await register({ password1: PASSWORD, password2: PASSWORD, username: 'tina' })
      expect(res.status).toBe(201)
      expect(res.body.key).toMatch(/^[0-9a-f]{40}$/)
      expect((await call(`${app.url}/user/`, 'GET', { token: res.body.key })).body.username).toBe('tina')
      await app.payload.updateGlobal({ data: { sessionLogin: true } as never, slug: 'rest-auth-settings' as never })
    })
  })

  describe('mandatory verification, login by e-mail', () => {
    let app: TestApp
    beforeAll(async () => {
      app = await startTestApp({
        config: { email: mailbox.adapter },
        db,
        plugin: {
          settings: {
            accountAuthenticationMethod: 'email',
            accountEmailRequired: true,
            accountEmailVerification: 'mandatory',
            accountUsernameRequired: false,
          },
        },
      })
    })
    afterAll(async () => app?.close())

    it('the whole transcript profile', async () => {
      const noEmail = await call(`${app.url}/registration/`, 'POST', { body: { password1: PASSWORD, password2: PASSWORD } })
      expect(noEmail.status).toBe(400)
      expect(noEmail.body).toEqual({ email: ['This field is required.'] })

      let since = mailbox.messages.length
      const ok = await call(`${app.url}/registration/`, 'POST', { body: { email: 'carol@example.com', password1: PASSWORD, password2: PASSWORD } })
      expect(ok.status).toBe(201)
      expect(ok.body).toEqual({ detail: 'Verification e-mail sent.' })
      const mail = await mailbox.waitFor('carol@example.com', { since })
      expect(mail.subject).toBe('[example.com] Please Confirm Your E-mail Address')
      expect(mail.text).toContain('user carol has given your e-mail address')
      const firstKey = keyFrom(linkIn(mail))

      const unverified = await call(`${app.url}/login/`, 'POST', { body: { email: 'carol@example.com', password: PASSWORD } })
      expect(unverified.status).toBe(400)
      expect(unverified.body).toEqual({ non_field_errors: ['E-mail is not verified.'] })

      since = mailbox.messages.length
      const resend = await call(`${app.url}/registration/resend-email/`, 'POST', { body: { email: 'carol@example.com' } })
      expect(resend.status).toBe(200)
      expect(resend.body).toEqual({ detail: 'ok' })
      const key = keyFrom(linkIn(await mailbox.waitFor('carol@example.com', { since })))

      const verify = await call(`${app.url}/registration/verify-email/`, 'POST', { body: { key } })
      expect(verify.status).toBe(200)
      expect(verify.body).toEqual({ detail: 'ok' })
      const again = await call(`${app.url}/registration/verify-email/`, 'POST', { body: { key } })
      expect(again.status).toBe(404)
      expect(again.body).toEqual({ detail: 'Not found.' })
      expect((await call(`${app.url}/registration/verify-email/`, 'POST', { body: { key: firstKey } })).status).toBe(404)

      const login = await call(`${app.url}/login/`, 'POST', { body: { email: 'carol@example.com', password: PASSWORD } })
      expect(login.status).toBe(200)
      expect(login.body.key).toMatch(/^[0-9a-f]{40}$/)
      expect((await call(`${app.url}/user/`, 'GET', { token: login.body.key })).body.username).toBe('carol')

      since = mailbox.messages.length
      await call(`${app.url}/registration/resend-email/`, 'POST', { body: { email: 'carol@example.com' } })
      await expect(mailbox.waitFor('carol@example.com', { since, timeoutMs: 1000 })).rejects.toThrow()
    })

    it('a confirmation mail that cannot be sent leaves an unverified account that resend recovers', async () => {
      mailbox.refuse(true)
      try {
        const res = await call(`${app.url}/registration/`, 'POST', { body: { email: 'lost@example.com', password1: PASSWORD, password2: PASSWORD } })
        expect(res.status).toBe(201)
        await new Promise((resolve) => setTimeout(resolve, 1000))
      } finally {
        mailbox.refuse(false)
      }
      const login = await call(`${app.url}/login/`, 'POST', { body: { email: 'lost@example.com', password: PASSWORD } })
      expect(login.body).toEqual({ non_field_errors: ['E-mail is not verified.'] })
      const since = mailbox.messages.length
      await call(`${app.url}/registration/resend-email/`, 'POST', { body: { email: 'lost@example.com' } })
      const key = keyFrom(linkIn(await mailbox.waitFor('lost@example.com', { since })))
      expect((await call(`${app.url}/registration/verify-email/`, 'POST', { body: { key } })).status).toBe(200)
      expect((await call(`${app.url}/login/`, 'POST', { body: { email: 'lost@example.com', password: PASSWORD } })).status).toBe(200)
    })

    it('the similarity check sees the generated username too; no address is created, so no mail can go out', async () => {
      const res = await call(`${app.url}/registration/`, 'POST', {
        body: { email: 'maximilianwright@example.com', password1: 'maximilianwright', password2: 'maximilianwright' },
      })
      expect(res.status).toBe(400)
      expect(res.body).toEqual({ non_field_errors: ['The password is too similar to the username.'] })
      expect((await app.payload.count({ collection: 'users', where: { email: { equals: 'maximilianwright@example.com' } } })).totalDocs).toBe(0)
      const addresses = await app.payload.count({ collection: 'email-addresses' as never, where: { email: { equals: 'maximilianwright@example.com' } } })
      expect(addresses.totalDocs).toBe(0)
    })

    it('generated usernames stay unique; keys expire; tampered keys fail', async () => {
      let since = mailbox.messages.length
      const res = await call(`${app.url}/registration/`, 'POST', { body: { email: 'carol@other.example', password1: PASSWORD, password2: PASSWORD } })
      expect(res.status).toBe(201)
      const key = keyFrom(linkIn(await mailbox.waitFor('carol@other.example', { since })))
      const user = (await app.payload.find({ collection: 'users', where: { email: { equals: 'carol@other.example' } } })).docs[0] as unknown as { username: string }
      expect(user.username).toMatch(/^carol\d+$/)

      const tampered = `${key.slice(0, -2)}${key.endsWith('AA') ? 'BB' : 'AA'}`
      expect((await call(`${app.url}/registration/verify-email/`, 'POST', { body: { key: tampered } })).status).toBe(404)
      setClock(() => Date.now() + 3 * 86400_000 + 60_000)
      expect((await call(`${app.url}/registration/verify-email/`, 'POST', { body: { key } })).status).toBe(404)
      setClock(null)
      expect((await call(`${app.url}/registration/verify-email/`, 'POST', { body: { key } })).status).toBe(200)
      since = mailbox.messages.length
    })
  })

  describe('no verification, username or e-mail login', () => {
    let app: TestApp
    beforeAll(async () => {
      app = await startTestApp({
        config: { email: mailbox.adapter },
        db,
        plugin: { settings: { accountAuthenticationMethod: 'username_email', accountEmailRequired: true, accountEmailVerification: 'none', sessionLogin: false } },
      })
    })
    afterAll(async () => app?.close())

    it('sends no mail and logs in at once', async () => {
      const since = mailbox.messages.length
      const res = await call(`${app.url}/registration/`, 'POST', { body: { email: 'dan@example.com', password1: PASSWORD, password2: PASSWORD, username: 'dan' } })
      expect(res.status).toBe(201)
      expect(res.body.key).toMatch(/^[0-9a-f]{40}$/)
      await expect(mailbox.waitFor('dan@example.com', { since, timeoutMs: 1000 })).rejects.toThrow()
      expect((await call(`${app.url}/login/`, 'POST', { body: { email: 'dan@example.com', password: PASSWORD } })).status).toBe(200)
      const blankEmail = await call(`${app.url}/registration/`, 'POST', { body: { email: '', password1: PASSWORD, password2: PASSWORD, username: 'eve' } })
      expect(blankEmail.body).toEqual({ email: ['This field may not be blank.'] })
    })
  })
})
