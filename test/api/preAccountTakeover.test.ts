import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { MockProviders } from '../helpers/mockProviders.js'
import type { TestApp } from '../helpers/server.js'
import type { Mailbox } from '../helpers/smtp.js'

import { call } from '../helpers/client.js'
import { testDatabases } from '../helpers/database.js'
import { startMockProviders } from '../helpers/mockProviders.js'
import { startTestApp } from '../helpers/server.js'
import { linkIn, startMailbox } from '../helpers/smtp.js'
import { createUser, NEW_PASSWORD, PASSWORD, verifyEmailOf } from '../helpers/users.js'

type Row = Record<string, any>

const ATTACKER_PASSWORD = 'Mz4!qLw8rT'

/**
 * Pre-account takeover: an attacker registers the victim's address first and attaches their own
 * provider account; the victim, told the address is taken, resets the password by e-mail; the
 * attacker must not keep a way in. Connecting needs a verified address, and a reset that proves an
 * unverified address removes the social accounts attached before (and says so by mail).
 */
describe.each(testDatabases())('pre-account takeover on %s', (db) => {
  let app: TestApp
  let mocks: MockProviders
  let mailbox: Mailbox

  const post = (path: string, body: unknown, token?: string) => call(`${app.url}/${path}`, 'POST', { body, token })
  const saveSettings = (data: Record<string, unknown>) => app.payload.updateGlobal({ data: data as never, slug: 'rest-auth-settings' as never })
  const socialRowsOf = async (userId: number | string) =>
    (await app.payload.find({ collection: 'social-accounts' as never, depth: 0, pagination: false, where: { user: { equals: userId } } })).docs
  const addressOf = async (email: string) =>
    ((await app.payload.find({ collection: 'email-addresses' as never, depth: 0, where: { email: { equals: email } } })).docs as Row[])[0]
  const userIdOf = async (key: string) => (await call(`${app.url}/user/`, 'GET', { token: key })).body.pk as number | string

  /** The victim asks for a reset and follows the mailed link. */
  const victimResets = async (email: string) => {
    const since = mailbox.messages.length
    expect((await post('password/reset/', { email })).status).toBe(200)
    // Other mail to the address (the confirmation mail of a sign-up) may arrive before or after this one.
    const mail = await mailbox.waitFor(email, { since, subject: 'Password Reset' })
    const link = linkIn(mail)
    const [, uid, token] = /\/password-reset\/confirm\/([^/]+)\/([^/]+)\/$/.exec(link)!
    const afterReset = mailbox.messages.length
    const done = await post('password/reset/confirm/', {
      new_password1: NEW_PASSWORD,
      new_password2: NEW_PASSWORD,
      token: decodeURIComponent(token!),
      uid: decodeURIComponent(uid!),
    })
    expect(done.status, done.text).toBe(200)
    return { afterReset }
  }

  beforeAll(async () => {
    mailbox = await startMailbox()
    mocks = await startMockProviders()
    app = await startTestApp({ config: { email: mailbox.adapter }, db, plugin: { settings: mocks.settings() as never } })
    await createUser(app.payload, { email: 'root@example.com', username: 'root' })
    mocks.google.profiles.set('mallory', { email: 'mallory@evil.example', email_verified: true, name: 'Mallory', sub: '108000000000000000666' })
  })
  afterAll(async () => {
    await app?.close()
    await mocks?.close()
    await mailbox?.close()
  })

  it('connecting a provider needs a verified address (optional verification)', async () => {
    const registered = await post('registration/', { email: 'victim1@example.com', password1: ATTACKER_PASSWORD, password2: ATTACKER_PASSWORD, username: 'squatter1' })
    expect(registered.status, registered.text).toBe(204)
    const key = (await post('login/', { password: ATTACKER_PASSWORD, username: 'squatter1' })).body.key as string
    const refused = await post('google/connect/', { access_token: mocks.google.issueToken('mallory') }, key)
    expect(refused.status).toBe(400)
    expect(refused.body).toEqual({ non_field_errors: ['Verify your e-mail address before connecting a social account.'] })
    expect(await socialRowsOf(await userIdOf(key))).toHaveLength(0)
    // The provider was not even asked: the refusal comes first.
    expect(mocks.google.received.some((r) => r.headers.authorization?.includes('mallory'))).toBe(false)
  })

  it('a provider sign-up with an unverified address loses its account when the owner resets the password', async () => {
    // Facebook does not vouch for addresses: the attacker's Facebook account names the victim's.
    mocks.facebook.profiles.set('mallory', { email: 'victim2@example.com', id: '10160000000000666', name: 'Mallory' })
    const squatted = await post('facebook/', { access_token: mocks.facebook.issueToken('mallory') })
    expect(squatted.status, squatted.text).toBe(200)
    const squatterKey = squatted.body.key as string
    const userId = await userIdOf(squatterKey)

    // The victim is told the address is taken, and resets the password with the link mailed to it.
    const taken = await post('registration/', { email: 'victim2@example.com', password1: PASSWORD, password2: PASSWORD, username: 'the-real-victim' })
    expect(taken.body).toEqual({ email: ['A user is already registered with this e-mail address.'] })
    const { afterReset } = await victimResets('victim2@example.com')

    // The attacker's provider login no longer reaches the account, nor does the token it gave.
    expect(await socialRowsOf(userId)).toHaveLength(0)
    const again = await post('facebook/', { access_token: mocks.facebook.issueToken('mallory') })
    expect(again.status).toBe(400)
    expect(again.body).toEqual({ non_field_errors: ['User is already registered with this e-mail address.'] })
    expect((await call(`${app.url}/user/`, 'GET', { token: squatterKey })).body).toEqual({ detail: 'Invalid token.' })
    expect((await addressOf('victim2@example.com'))!.verified).toBe(true)

    // The victim is told why the Facebook sign-in is gone.
    const notice = await mailbox.waitFor('victim2@example.com', { since: afterReset, subject: 'Your password has been reset' })
    expect(notice.subject).toBe('[example.com] Your password has been reset')
    expect(notice.text).toContain('Sign-ins through Facebook were connected to the account before the address was confirmed')
    const { username } = (await app.payload.findByID({ collection: 'users', id: userId })) as Row
    const victimKey = (await post('login/', { password: NEW_PASSWORD, username })).body.key as string
    expect(await userIdOf(victimKey)).toBe(userId)
  })

  it('with verification "none" connect is allowed, and the reset that proves the address removes it', async () => {
    await saveSettings({ accountEmailVerification: 'none' })
    try {
      await post('registration/', { email: 'victim3@example.com', password1: ATTACKER_PASSWORD, password2: ATTACKER_PASSWORD, username: 'squatter3' })
      const key = (await post('login/', { password: ATTACKER_PASSWORD, username: 'squatter3' })).body.key as string
      const userId = await userIdOf(key)
      expect((await post('google/connect/', { access_token: mocks.google.issueToken('mallory') }, key)).status).toBe(200)
      expect(await socialRowsOf(userId)).toHaveLength(1)

      await victimResets('victim3@example.com')
      expect(await socialRowsOf(userId)).toHaveLength(0)
      // Mallory's Google now signs up an account of Mallory's own address, not the victim's.
      const mallory = await post('google/', { access_token: mocks.google.issueToken('mallory') })
      expect(mallory.status, mallory.text).toBe(200)
      expect(await userIdOf(mallory.body.key)).not.toBe(userId)
      await app.payload.delete({ collection: 'users', id: await userIdOf(mallory.body.key) })
    } finally {
      await saveSettings({ accountEmailVerification: 'optional' })
    }
  })

  it('a reset of an address that was already verified keeps the accounts the owner connected, and sends no notice', async () => {
    const owner = await createUser(app.payload, { email: 'owner@example.com', username: 'owner' })
    await verifyEmailOf(app.payload, owner)
    mocks.google.profiles.set('owner', { email: 'owner@example.com', email_verified: true, name: 'Owner', sub: '108000000000000000100' })
    const key = (await post('login/', { password: PASSWORD, username: 'owner' })).body.key as string
    expect((await post('google/connect/', { access_token: mocks.google.issueToken('owner') }, key)).status).toBe(200)
    const { afterReset } = await victimResets('owner@example.com')
    expect(await socialRowsOf(owner.id)).toHaveLength(1)
    await expect(mailbox.waitFor('owner@example.com', { since: afterReset, timeoutMs: 1000 })).rejects.toThrow()
  })
})
