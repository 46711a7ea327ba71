import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { HostApp } from '../helpers/hostApp.js'
import type { Mailbox } from '../helpers/smtp.js'

import { call } from '../helpers/client.js'
import { testDatabases } from '../helpers/database.js'
import { startHostApp } from '../helpers/hostApp.js'
import { startMailbox } from '../helpers/smtp.js'
import { NEW_PASSWORD, PASSWORD } from '../helpers/users.js'

const ALL_DEAD = { key: false, refresh: false, session: false }
const ALL_LIVE = { key: true, refresh: true, session: true }

/**
 * Every path that gives a user a new password hash ends that user's other credentials: Payload's own
 * forgot/reset-password (with real mails), the plugin's password change (which keeps the token that
 * asked), the Local API. Payload's reset also refuses what the plugin's reset refuses.
 */
describe.each(testDatabases())('password changes by any path in a host app on %s', (db) => {
  let app: HostApp
  let mailbox: Mailbox

  const hashOf = async (username: string) =>
    ((await app.payload.find({ collection: 'users', showHiddenFields: true, where: { username: { equals: username } } })).docs[0] as { hash?: string }).hash
  const canLogIn = async (username: string, password: string) =>
    (await call(`${app.url}/login/`, 'POST', { body: { password, username } })).status === 200

  /** Payload's forgot-password for the address; the token from the mail it sends. */
  const resetToken = async (email: string): Promise<string> => {
    const since = mailbox.messages.length
    const res = await call(`${app.apiUrl}/users/forgot-password`, 'POST', { body: { email } })
    expect(res.status, res.text).toBe(200)
    const mail = await mailbox.waitFor(email, { since })
    const token = /\/reset\/([0-9a-f]{40})/.exec(String(mail.html))?.[1]
    expect(token, String(mail.html)).toBeTruthy()
    return token!
  }
  const reset = (token: string, password: string) => call(`${app.apiUrl}/users/reset-password`, 'POST', { body: { password, token } })

  beforeAll(async () => {
    mailbox = await startMailbox()
    app = await startHostApp({ config: { email: mailbox.adapter }, db })
    for (const username of ['rosa', 'ruth', 'pat', 'lou', 'ina', 'sol', 'una']) {
      await app.seedUser({ email: `${username}@host.example`, username })
    }
  })
  afterAll(async () => {
    await app?.close()
    await mailbox?.close()
  })

  it('Payload’s reset-password ends every token, session and refresh token of the user', async () => {
    const creds = await app.credentialsOf('rosa')
    expect(await app.liveCredentials(creds)).toEqual(ALL_LIVE)
    const token = await resetToken('rosa@host.example')
    const res = await reset(token, NEW_PASSWORD)
    expect(res.status, res.text).toBe(200)
    expect(await app.liveCredentials(creds)).toEqual(ALL_DEAD)
    expect(await canLogIn('rosa', NEW_PASSWORD)).toBe(true)
  })

  it('Payload’s reset-password takes only a password the validators accept, and changes nothing otherwise', async () => {
    const creds = await app.credentialsOf('ruth')
    const before = await hashOf('ruth')
    const token = await resetToken('ruth@host.example')
    const weak = await reset(token, '12345678')
    expect(weak.status).toBe(400)
    expect(weak.body.errors[0].data.errors.map(({ message }: { message: string }) => message)).toEqual([
      'This password is too common.',
      'This password is entirely numeric.',
    ])
    expect(await hashOf('ruth')).toBe(before)
    expect(await app.liveCredentials(creds)).toEqual(ALL_LIVE)
    // The link is still good for an acceptable password.
    expect((await reset(token, NEW_PASSWORD)).status).toBe(200)
    expect(await app.liveCredentials(creds)).toEqual(ALL_DEAD)
  })

  it('no reset mail for an inactive user or one without a usable password; the answer stays the same', async () => {
    const ina = (await app.payload.find({ collection: 'users', where: { username: { equals: 'ina' } } })).docs[0]!
    await app.payload.update({ collection: 'users', data: { is_active: false } as never, id: ina.id })
    const sol = (await app.payload.find({ collection: 'users', where: { username: { equals: 'sol' } } })).docs[0]!
    // A social sign-up: no usable password (Django's set_unusable_password).
    await app.payload.db.updateOne({ collection: 'users', data: { hash: null, salt: null }, id: sol.id, returning: false })
    for (const email of ['ina@host.example', 'sol@host.example', 'nobody@host.example']) {
      const since = mailbox.messages.length
      const res = await call(`${app.apiUrl}/users/forgot-password`, 'POST', { body: { email } })
      expect(res.status).toBe(200)
      expect(res.body).toEqual({ message: 'Success' })
      await expect(mailbox.waitFor(email, { since, timeoutMs: 1000 })).rejects.toThrow()
    }
  })

  it('a link of a user deactivated since, or unverified under mandatory verification, sets no password', async () => {
    const louToken = await resetToken('lou@host.example')
    const unaToken = await resetToken('una@host.example')
    const lou = (await app.payload.find({ collection: 'users', where: { username: { equals: 'lou' } } })).docs[0]!
    await app.payload.update({ collection: 'users', data: { is_active: false } as never, id: lou.id })
    const louBefore = await hashOf('lou')
    const refused = await reset(louToken, NEW_PASSWORD)
    expect(refused.status).toBe(403)
    expect(refused.body).toEqual({ errors: [{ message: 'Token is either invalid or has expired.' }] })
    expect(await hashOf('lou')).toBe(louBefore)

    await app.payload.updateGlobal({ data: { accountEmailRequired: true, accountEmailVerification: 'mandatory' } as never, slug: 'rest-auth-settings' as never })
    try {
      const unaBefore = await hashOf('una')
      const unverified = await reset(unaToken, NEW_PASSWORD)
      expect(unverified.status).toBe(403)
      expect(unverified.body).toEqual({ errors: [{ message: 'Please verify your email before logging in.' }] })
      expect(await hashOf('una')).toBe(unaBefore)
    } finally {
      await app.payload.updateGlobal({ data: { accountEmailRequired: false, accountEmailVerification: 'optional' } as never, slug: 'rest-auth-settings' as never })
    }
  })

  it('the plugin’s password/change keeps the token that asked and ends every other credential', async () => {
    const others = await app.credentialsOf('pat')
    const key = await app.pluginKey('pat')
    const res = await call(`${app.url}/password/change/`, 'POST', { body: { new_password1: NEW_PASSWORD, new_password2: NEW_PASSWORD }, token: key })
    expect(res.status, res.text).toBe(200)
    expect((await call(`${app.url}/user/`, 'GET', { token: key })).status).toBe(200)
    expect(await app.liveCredentials(others)).toEqual(ALL_DEAD)
  })

  it('a password set by server code through the Local API ends them too', async () => {
    const pat = (await app.payload.find({ collection: 'users', where: { username: { equals: 'pat' } } })).docs[0]!
    const creds = await app.credentialsOf('pat', NEW_PASSWORD)
    await app.payload.update({ collection: 'users', data: { password: PASSWORD } as never, id: pat.id })
    expect(await app.liveCredentials(creds)).toEqual(ALL_DEAD)
    expect(await canLogIn('pat', PASSWORD)).toBe(true)
  })
})
