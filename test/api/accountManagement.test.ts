import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'

import type { Where } from 'payload'

import type { Mailbox } from '../helpers/smtp.js'
import type { TestApp } from '../helpers/server.js'

import { resetEventPruning } from '../../src/events/recordEvent.js'
import { setClock } from '../../src/utilities/clock.js'
import { findAuthEvents } from '../helpers/authEvents.js'
import { call } from '../helpers/client.js'
import { testDatabases } from '../helpers/database.js'
import { startTestApp } from '../helpers/server.js'
import { linkIn, startMailbox } from '../helpers/smtp.js'
import { createUser, PASSWORD, verifyEmailOf } from '../helpers/users.js'

type Row = Record<string, any>

/** email/ (allauth headless's account/email), user/delete/, and the auth-events security log. */
describe.each(testDatabases())('account management on %s', (db) => {
  let app: TestApp
  let mailbox: Mailbox

  const saveSettings = (data: Record<string, unknown>) => app.payload.updateGlobal({ data: data as never, slug: 'rest-auth-settings' as never })
  const login = async (username: string, password = PASSWORD) => {
    const res = await call(`${app.url}/login/`, 'POST', { body: { password, username } })
    expect(res.status, res.text).toBe(200)
    return res.body.key as string
  }
  const events = (where: Where) => findAuthEvents(app.payload, where)
  const keyFrom = (link: string) => decodeURIComponent(link.replace(/\/$/, '').split('/').pop()!)

  beforeAll(async () => {
    mailbox = await startMailbox()
    app = await startTestApp({ config: { email: mailbox.adapter, serverURL: 'https://app.example.com' }, db })
  })
  afterAll(async () => {
    await app?.close()
    await mailbox?.close()
  })
  afterEach(() => setClock(null))

  describe('email/', () => {
    let user: { email: string; id: number | string; username: string }
    let key: string
    const email = (method: string, body?: unknown, token = key) => call(`${app.url}/email/`, method, { body, token })

    beforeAll(async () => {
      user = await createUser(app.payload, { email: 'eve@example.com', username: 'eve' })
      await verifyEmailOf(app.payload, user)
      await createUser(app.payload, { email: 'taken@example.com', username: 'tom' })
      key = await login('eve')
    })

    it('lists the user’s addresses', async () => {
      const res = await email('GET')
      expect(res.status).toBe(200)
      expect(res.body).toEqual([{ email: 'eve@example.com', primary: true, verified: true }])
      expect((await call(`${app.url}/email/`, 'GET')).status).toBe(403)
    })

    it('adds an address unverified and mails its confirmation, which registration/verify-email/ completes', async () => {
      const since = mailbox.messages.length
      const res = await email('POST', { email: 'Eve.Work@Example.com' })
      expect(res.status, res.text).toBe(200)
      expect(res.body).toEqual({ detail: 'Verification e-mail sent.' })
      expect((await email('GET')).body).toEqual([
        { email: 'eve@example.com', primary: true, verified: true },
        { email: 'eve.work@example.com', primary: false, verified: false },
      ])
      const mail = await mailbox.waitFor('eve.work@example.com', { since })
      const verify = await call(`${app.url}/registration/verify-email/`, 'POST', { body: { key: keyFrom(linkIn(mail)) } })
      expect(verify.status).toBe(200)
      expect((await email('GET')).body[1]).toEqual({ email: 'eve.work@example.com', primary: false, verified: true })
    })

    it('refuses bad input in dj-rest-auth’s shape, and an address already the user’s', async () => {
      expect((await email('POST', {})).body).toEqual({ email: ['This field is required.'] })
      expect((await email('POST', { email: 'not-an-address' })).body).toEqual({ email: ['Enter a valid email address.'] })
      const again = await email('POST', { email: 'eve@example.com' })
      expect(again.status).toBe(400)
      expect(again.body).toEqual({ email: ['This e-mail address is already associated with this account.'] })
    })

    it('an address another account holds gets the same answer and is not added (no enumeration)', async () => {
      const since = mailbox.messages.length
      const res = await email('POST', { email: 'taken@example.com' })
      expect(res.status).toBe(200)
      expect(res.body).toEqual({ detail: 'Verification e-mail sent.' })
      expect((await email('GET')).body.map((row: Row) => row.email)).not.toContain('taken@example.com')
      await expect(mailbox.waitFor('taken@example.com', { since, timeoutMs: 800 })).rejects.toThrow()
    })

    it('parallel additions of one address add it once', async () => {
      const answers = await Promise.all(Array.from({ length: 5 }, () => email('POST', { email: 'race@example.com' })))
      // Those that find it added answer that it is the user's already; none fails otherwise.
      expect(answers.filter((answer) => answer.status === 200).length).toBeGreaterThanOrEqual(1)
      expect(answers.every((answer) => answer.status === 200 || answer.body.email?.[0]?.includes('already associated'))).toBe(true)
      const { totalDocs } = await app.payload.count({ collection: 'email-addresses' as never, where: { email: { equals: 'race@example.com' } } as never })
      expect(totalDocs).toBe(1)
    })

    it('PUT resends the confirmation of an unverified address; another’s address is 404', async () => {
      const since = mailbox.messages.length
      const res = await email('PUT', { email: 'race@example.com' })
      expect(res.status).toBe(200)
      await mailbox.waitFor('race@example.com', { since })
      expect((await email('PUT', { email: 'taken@example.com' })).status).toBe(404)
      expect((await email('PUT', { email: 'eve@example.com' })).body).toEqual({ email: ['This e-mail address is already verified.'] })
    })

    it('making an address primary needs it verified and recent authentication; the login e-mail follows and the old address is told', async () => {
      expect((await email('PATCH', { email: 'race@example.com', primary: true })).body).toEqual({ email: ['This e-mail address is not verified.'] })
      expect((await email('PATCH', { email: 'eve.work@example.com' })).body).toEqual({ primary: ['Only "primary": true is accepted.'] })
      setClock(() => Date.now() + 301_000)
      const stale = await email('PATCH', { email: 'eve.work@example.com', primary: true })
      expect(stale.status).toBe(401)
      expect(stale.body).toEqual({ code: 'reauthentication_required', detail: 'Recent authentication required.', methods: ['password'] })
      expect((await call(`${app.url}/reauthenticate/`, 'POST', { body: { password: PASSWORD }, token: key })).status).toBe(200)
      const since = mailbox.messages.length
      const res = await email('PATCH', { email: 'eve.work@example.com', primary: true })
      expect(res.status, res.text).toBe(200)
      expect(res.body[0]).toEqual({ email: 'eve.work@example.com', primary: true, verified: true })
      expect(res.body.filter((row: Row) => row.primary).length).toBe(1)
      const me = await call(`${app.url}/user/`, 'GET', { token: key })
      expect(me.body.email).toBe('eve.work@example.com')
      const notice = await mailbox.waitFor('eve@example.com', { since })
      expect(notice.subject).toContain('Your e-mail address was changed')
      const [changed] = await events({ type: { equals: 'email_primary_changed' } })
      expect(changed!.detail).toEqual({ from: 'eve@example.com', to: 'eve.work@example.com' })
    })

    it('removes a non-primary address, never the primary one', async () => {
      expect((await email('DELETE', { email: 'eve.work@example.com' })).body).toEqual({ email: ['You cannot remove your primary e-mail address.'] })
      expect((await email('DELETE', { email: 'taken@example.com' })).status).toBe(404)
      const res = await email('DELETE', { email: 'eve@example.com' })
      expect(res.status).toBe(200)
      expect(res.body.map((row: Row) => row.email)).toEqual(['eve.work@example.com', 'race@example.com'])
    })
  })

  describe('user/delete/', () => {
    it('needs recent authentication, then deletes the user and everything that hangs on it, with a notice', async () => {
      const user = await createUser(app.payload, { email: 'del@example.com', username: 'del' })
      await verifyEmailOf(app.payload, user)
      const key = await login('del')
      setClock(() => Date.now() + 301_000)
      const stale = await call(`${app.url}/user/delete/`, 'POST', { token: key })
      expect(stale.status).toBe(401)
      expect(stale.body.code).toBe('reauthentication_required')
      setClock(null)
      const since = mailbox.messages.length
      const res = await call(`${app.url}/user/delete/`, 'POST', { token: key })
      expect(res.status, res.text).toBe(200)
      expect(res.body).toEqual({ detail: 'Account deleted.' })
      expect(await app.payload.findByID({ collection: 'users' as never, disableErrors: true, id: user.id, overrideAccess: true })).toBeNull()
      for (const collection of ['auth-tokens', 'auth-sessions', 'email-addresses']) {
        const { totalDocs } = await app.payload.count({ collection: collection as never, where: { user: { equals: user.id } } as never })
        expect(totalDocs, collection).toBe(0)
      }
      expect((await call(`${app.url}/user/`, 'GET', { token: key })).status).toBe(403)
      expect((await mailbox.waitFor('del@example.com', { since })).subject).toContain('Your account was deleted')
      const [deleted] = await events({ and: [{ type: { equals: 'account_deleted' } }, { subject: { equals: String(user.id) } }] })
      expect(deleted).toBeTruthy()
      // The log keeps the deleted user's earlier events, by the id they had.
      expect((await events({ subject: { equals: String(user.id) } })).map((event) => event.type)).toContain('login')
    })

    it('deactivates instead when accountDeletionMode says so', async () => {
      await saveSettings({ accountDeletionMode: 'deactivate' })
      try {
        const user = await createUser(app.payload, { email: 'dea@example.com', username: 'dea' })
        const key = await login('dea')
        const res = await call(`${app.url}/user/delete/`, 'POST', { token: key })
        expect(res.body).toEqual({ detail: 'Account deactivated.' })
        const row = (await app.payload.findByID({ collection: 'users' as never, id: user.id, overrideAccess: true })) as Row
        expect(row.is_active).toBe(false)
        expect((await call(`${app.url}/user/`, 'GET', { token: key })).status).toBe(403)
        expect((await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'dea' } })).status).toBe(400)
      } finally {
        await saveSettings({ accountDeletionMode: 'delete' })
      }
    })

    it('with accountDeletionConfirmByEmail, a mailed key completes it once', async () => {
      await saveSettings({ accountDeletionConfirmByEmail: true })
      try {
        const user = await createUser(app.payload, { email: 'conf@example.com', username: 'conf' })
        const key = await login('conf')
        const since = mailbox.messages.length
        const res = await call(`${app.url}/user/delete/`, 'POST', { token: key })
        expect(res.status).toBe(202)
        expect(res.body).toEqual({ detail: 'Confirmation e-mail sent.' })
        const link = linkIn(await mailbox.waitFor('conf@example.com', { since }))
        expect(link).toMatch(/^https:\/\/app\.example\.com\/account-delete\/confirm\/[\w-]{43}\/$/)
        expect((await call(`${app.url}/user/`, 'GET', { token: key })).status).toBe(200)
        const bad = await call(`${app.url}/user/delete/confirm/`, 'POST', { body: { key: 'x'.repeat(43) } })
        expect(bad.status).toBe(404)
        const answers = await Promise.all(
          Array.from({ length: 4 }, () => call(`${app.url}/user/delete/confirm/`, 'POST', { body: { key: keyFrom(link) } })),
        )
        expect(answers.map((answer) => answer.status).sort()).toEqual([200, 404, 404, 404])
        expect(await app.payload.findByID({ collection: 'users' as never, disableErrors: true, id: user.id, overrideAccess: true })).toBeNull()
      } finally {
        await saveSettings({ accountDeletionConfirmByEmail: false })
      }
    })

    it('an admin deletes a user from the user page’s route; a user cannot use it', async () => {
      await createUser(app.payload, { email: 'boss@example.com', is_staff: true, username: 'boss' })
      const victim = await createUser(app.payload, { email: 'vic@example.com', username: 'vic' })
      const vicKey = await login('vic')
      const bossKey = await login('boss')
      expect((await call(`${app.url}/admin/users/${victim.id}/delete/`, 'POST', { token: vicKey })).status).toBe(403)
      const res = await call(`${app.url}/admin/users/${victim.id}/delete/`, 'POST', { token: bossKey })
      expect(res.status, res.text).toBe(200)
      expect(res.body.outcome).toBe('deleted')
      expect(await app.payload.findByID({ collection: 'users' as never, disableErrors: true, id: victim.id, overrideAccess: true })).toBeNull()
      expect((await call(`${app.url}/admin/users/${victim.id}/delete/`, 'POST', { token: bossKey })).status).toBe(404)
    })
  })

  describe('auth-events', () => {
    it('records logins with their method and failures of known accounts, visible to staff only', async () => {
      const user = await createUser(app.payload, { email: 'log@example.com', username: 'log' })
      await call(`${app.url}/login/`, 'POST', { body: { password: 'wrong-password', username: 'log' } })
      await call(`${app.url}/login/`, 'POST', { body: { password: 'wrong-password', username: 'nobody-at-all' } })
      const key = await login('log')
      const rows = await events({ user: { equals: user.id } })
      expect(rows.map((row) => [row.type, row.method])).toEqual([
        ['login_failed', 'password'],
        ['login', 'password'],
      ])
      expect(rows[1]!.session).toMatch(/^[\w-]{22}$/)
      expect((await events({ subject: { exists: false } })).filter((row) => row.type === 'login_failed')).toEqual([])
      expect((await call(`${app.apiUrl}/auth-events`, 'GET', { token: key })).status).toBe(403)
      const staffKey = await login('boss')
      const staff = await call(`${app.apiUrl}/auth-events?limit=1`, 'GET', { token: staffKey })
      expect(staff.status).toBe(200)
      expect(staff.body.totalDocs).toBeGreaterThan(0)
    })

    it("records Payload's own logins and failures, and failed reauthentications", async () => {
      const user = await createUser(app.payload, { email: 'plog@example.com', username: 'plog' })
      const payloadLogin = (password: string, username = 'plog') => call(`${app.apiUrl}/users/login`, 'POST', { body: { password, username } })
      expect((await payloadLogin('wrong-password')).status).toBe(401)
      expect((await payloadLogin('wrong-password', 'nobody-at-all')).status).toBe(401)
      expect((await payloadLogin(PASSWORD)).status).toBe(200)
      const key = await login('plog')
      expect((await call(`${app.url}/reauthenticate/`, 'POST', { body: { password: 'wrong-password' }, token: key })).status).toBe(400)
      expect((await call(`${app.url}/reauthenticate/`, 'POST', { body: { password: PASSWORD }, token: key })).status).toBe(200)
      const rows = await events({ user: { equals: user.id } })
      expect(rows.map((row) => [row.type, row.method, row.detail])).toEqual([
        ['login_failed', 'password', { via: 'payload' }],
        ['login', 'password', { via: 'payload' }],
        ['login', 'password', expect.anything()],
        ['reauthentication_failed', 'password', null],
        ['reauthenticated', 'password', null],
      ])
      expect((await events({ subject: { exists: false } })).filter((row) => row.type === 'login_failed')).toEqual([])
      // Through Payload's REST and GraphQL: the user's own rows are staff's alone to read, as is the rest.
      const query = { query: '{ RestAuthEvents(limit: 100) { docs { type user { id } } } }' }
      expect((await call(`${app.apiUrl}/auth-events`, 'GET')).status).toBe(403)
      for (const token of [undefined, key]) {
        const graphql = await call(app.graphqlUrl, 'POST', { body: query, token })
        expect(graphql.body.data?.RestAuthEvents ?? null, graphql.text).toBeNull()
        expect(JSON.stringify(graphql.body.errors)).toContain('not allowed')
      }
      await createUser(app.payload, { email: 'plog-staff@example.com', is_staff: true, username: 'plog-staff' })
      const staff = await call(app.graphqlUrl, 'POST', { body: query, token: await login('plog-staff') })
      expect(staff.body.data.RestAuthEvents.docs.map((row: { type: string }) => row.type)).toEqual(expect.arrayContaining(['login', 'login_failed']))
    })

    it('password changes are logged; securityNoticeMails mails them', async () => {
      await saveSettings({ securityNoticeMails: true })
      try {
        const user = await createUser(app.payload, { email: 'pw@example.com', username: 'pw' })
        const key = await login('pw')
        const since = mailbox.messages.length
        const res = await call(`${app.url}/password/change/`, 'POST', { body: { new_password1: 'Zq8!mk3pWv', new_password2: 'Zq8!mk3pWv' }, token: key })
        expect(res.status).toBe(200)
        expect((await mailbox.waitFor('pw@example.com', { since })).subject).toContain('Your password was changed')
        expect((await events({ user: { equals: user.id } })).map((row) => row.type)).toContain('password_changed')
      } finally {
        await saveSettings({ securityNoticeMails: false })
      }
    })

    it('events older than authEventsRetentionDays are pruned', async () => {
      const all = await events({})
      expect(all.length).toBeGreaterThan(2)
      const [old] = all
      await (app.payload.db as any).updateOne({
        collection: 'auth-events',
        data: { createdAt: new Date(Date.now() - 91 * 86400_000).toISOString() },
        id: old!.id,
      })
      resetEventPruning()
      await call(`${app.url}/login/`, 'POST', { body: { password: 'wrong-password', username: 'log' } })
      const after = await events({})
      expect(after.some((row) => row.id === old!.id)).toBe(false)
      expect(after.length).toBe(all.length)
    })
  })
})
