import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'

import type { TestApp } from '../helpers/server.js'

import { createClient } from '../../dev/demo/api.js'
import { startTestApp } from '../helpers/server.js'
import { createUser, PASSWORD } from '../helpers/users.js'

/** The demo SPA's API client (dev/demo/api.ts), which goes through payload-rest-auth/client-sdk, in token mode. */
describe('the demo client on the typed client', () => {
  let app: TestApp
  beforeAll(async () => {
    const stored = new Map<string, string>()
    vi.stubGlobal('sessionStorage', {
      getItem: (key: string) => stored.get(key) ?? null,
      removeItem: (key: string) => stored.delete(key),
      setItem: (key: string, value: string) => stored.set(key, value),
    })
    app = await startTestApp({ db: 'sqlite' })
    await createUser(app.payload, { email: 'ann@example.com', username: 'ann' })
  })
  afterAll(async () => {
    vi.unstubAllGlobals()
    await app?.close()
  })

  it('logs in, reads and updates the user, and logs out', async () => {
    const client = createClient(app.url)
    const refused = await client.login({ password: 'wrong', username: 'ann' })
    expect(refused).toEqual({ errors: { non_field_errors: ['Unable to log in with provided credentials.'] }, ok: false, status: 400 })
    const login = await client.login({ password: PASSWORD, username: 'ann' })
    expect(login.ok).toBe(true)
    expect(client.mode()).toBe('token')
    expect(await client.getUser()).toMatchObject({ data: { email: 'ann@example.com', username: 'ann' }, ok: true, status: 200 })
    expect(await client.updateUser({ first_name: 'Ann' })).toMatchObject({ data: { first_name: 'Ann' }, ok: true })
    expect(await client.logout()).toEqual({ data: { detail: 'Successfully logged out.' }, ok: true, status: 200 })
    expect(client.mode()).toBe('anonymous')
    expect((await client.getUser()).status).toBe(403)
  })
})
