import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { TestApp } from '../helpers/server.js'

import { call } from '../helpers/client.js'
import { testDatabases } from '../helpers/database.js'
import { startTestApp } from '../helpers/server.js'
import { createUser, NEW_PASSWORD, PASSWORD } from '../helpers/users.js'

/** An admin changes settings through Payload's REST API; the endpoints follow without a restart. */
describe.each(testDatabases())('settings from the global on %s', (db) => {
  let app: TestApp
  let adminToken: string
  let userKey: string

  beforeAll(async () => {
    app = await startTestApp({ db })
    await createUser(app.payload, { email: 'root@example.com', is_staff: true, username: 'root' })
    await createUser(app.payload, { email: 'fay@example.com', username: 'fay' })
    const adminLogin = await call(`${app.apiUrl}/users/login`, 'POST', { body: { password: PASSWORD, username: 'root' } })
    expect(adminLogin.status).toBe(200)
    adminToken = adminLogin.body.token
    userKey = (await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'fay' } })).body.key
  })
  afterAll(async () => app?.close())

  const saveSettings = (data: Record<string, unknown>, token = adminToken) =>
    call(`${app.apiUrl}/globals/rest-auth-settings`, 'POST', { body: data, headers: { authorization: `JWT ${token}` } })

  it('staff can, a regular user can neither read nor change the settings', async () => {
    const fayPayloadLogin = await call(`${app.apiUrl}/users/login`, 'POST', { body: { password: PASSWORD, username: 'fay' } })
    const read = await call(`${app.apiUrl}/globals/rest-auth-settings`, 'GET', { headers: { authorization: `JWT ${fayPayloadLogin.body.token}` } })
    expect(read.status).toBe(403)
    const write = await saveSettings({ oldPasswordFieldEnabled: true }, fayPayloadLogin.body.token)
    expect(write.status).toBe(403)
    const asAdmin = await call(`${app.apiUrl}/globals/rest-auth-settings`, 'GET', { headers: { authorization: `JWT ${adminToken}` } })
    expect(asAdmin.status).toBe(200)
    expect(asAdmin.body.oldPasswordFieldEnabled).toBe(false)
    expect(asAdmin.body).not.toHaveProperty('jwtSigningKey')
  })

  it('OLD_PASSWORD_FIELD_ENABLED and LOGOUT_ON_PASSWORD_CHANGE switch on at the next request', async () => {
    const before = await call(`${app.url}/password/change/`, 'POST', { body: { new_password1: NEW_PASSWORD, new_password2: NEW_PASSWORD }, token: userKey })
    expect(before.status).toBe(200)
    const saved = await saveSettings({ logoutOnPasswordChange: true, oldPasswordFieldEnabled: true })
    expect(saved.status).toBe(200)

    const missing = await call(`${app.url}/password/change/`, 'POST', { body: { new_password1: PASSWORD, new_password2: PASSWORD }, token: userKey })
    expect(missing.status).toBe(400)
    expect(missing.body).toEqual({ old_password: ['This field is required.'] })

    const wrong = await call(`${app.url}/password/change/`, 'POST', { body: { new_password1: PASSWORD, new_password2: PASSWORD, old_password: 'nope' }, token: userKey })
    expect(wrong.body).toEqual({ old_password: ['Your old password was entered incorrectly. Please enter it again.'] })

    const ok = await call(`${app.url}/password/change/`, 'POST', { body: { new_password1: PASSWORD, new_password2: PASSWORD, old_password: NEW_PASSWORD }, token: userKey })
    expect(ok.status).toBe(200)
    expect(ok.body).toEqual({ detail: 'New password has been saved.' })
    // Deviation from dj-rest-auth (documented): the token that asked is revoked.
    const after = await call(`${app.url}/user/`, 'GET', { token: userKey })
    expect(after.status).toBe(403)
    expect(after.body).toEqual({ detail: 'Invalid token.' })
  })

  it('ACCOUNT_LOGOUT_ON_GET allows GET logout', async () => {
    expect((await call(`${app.url}/logout/`, 'GET')).status).toBe(405)
    await saveSettings({ logoutOnGet: true })
    const res = await call(`${app.url}/logout/`, 'GET')
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ detail: 'Successfully logged out.' })
  })

  it('the authentication method switches to e-mail', async () => {
    await saveSettings({ accountAuthenticationMethod: 'email', accountEmailRequired: true })
    const byUsername = await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'fay' } })
    expect(byUsername.status).toBe(400)
    expect(byUsername.body).toEqual({ non_field_errors: ['Must include "email" and "password".'] })
    const byEmail = await call(`${app.url}/login/`, 'POST', { body: { email: 'FAY@example.com', password: PASSWORD } })
    expect(byEmail.status).toBe(200)
    const badEmail = await call(`${app.url}/login/`, 'POST', { body: { email: 'not-an-email', password: PASSWORD } })
    expect(badEmail.body).toEqual({ email: ['Enter a valid email address.'] })
  })

  it('username_email accepts either', async () => {
    await saveSettings({ accountAuthenticationMethod: 'username_email' })
    expect((await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'fay' } })).status).toBe(200)
    expect((await call(`${app.url}/login/`, 'POST', { body: { email: 'fay@example.com', password: PASSWORD } })).status).toBe(200)
    const neither = await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD } })
    expect(neither.body).toEqual({ non_field_errors: ['Must include either "username" or "email" and "password".'] })
  })

  it('mandatory verification refuses unverified e-mail addresses', async () => {
    await saveSettings({ accountEmailVerification: 'mandatory' })
    const res = await call(`${app.url}/login/`, 'POST', { body: { email: 'fay@example.com', password: PASSWORD } })
    expect(res.status).toBe(400)
    expect(res.body).toEqual({ non_field_errors: ['E-mail is not verified.'] })
    const fay = (await app.payload.find({ collection: 'users', where: { username: { equals: 'fay' } } })).docs[0]!
    await app.payload.create({ collection: 'email-addresses' as never, data: { email: 'fay@example.com', primary: true, user: fay.id, verified: true } as never })
    expect((await call(`${app.url}/login/`, 'POST', { body: { email: 'fay@example.com', password: PASSWORD } })).status).toBe(200)
    await saveSettings({ accountEmailVerification: 'optional' })
  })

  it('an inconsistent combination is refused with a field error and changes nothing', async () => {
    const res = await saveSettings({ sessionLogin: false, tokenAuthEnabled: false, useJwt: false })
    expect(res.status).toBe(400)
    expect(JSON.stringify(res.body)).toContain('tokenAuthEnabled')
    expect((await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'fay' } })).body).toHaveProperty('key')
  })

  it('TOKEN_MODEL off with SESSION_LOGIN: login answers 204 with the session only', async () => {
    await saveSettings({ accountAuthenticationMethod: 'username', tokenAuthEnabled: false })
    const res = await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'fay' } })
    expect(res.status).toBe(204)
    expect(res.cookies.some((c) => c.startsWith('sessionid='))).toBe(true)
    await saveSettings({ tokenAuthEnabled: true })
  })
})
