import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { ProductionApp } from '../helpers/devServer.js'

import { call } from '../helpers/client.js'
import { startProductionApp } from '../helpers/devServer.js'

const PASSWORD = 'Xk9!pq2mZz'

/**
 * The README's production path for the dev app: `npm run build` (the shared, type-checked build),
 * `npm run payload -- migrate:create`, `npm run payload -- migrate`, then `next start` — no schema
 * push anywhere. The migrations are made fresh from the current config, into a directory of the
 * test's own, so they can never fall behind the collections being added.
 */
describe('the dev app in production, from migrations', () => {
  let app: ProductionApp

  beforeAll(async () => {
    app = await startProductionApp({ schema: 'migrations' })
    const typeCheck = app.output().match(/Finished TypeScript in \S+/)?.[0] ?? 'type check in the other file’s build'
    console.info(`production test: build ${app.timings.buildMs} ms (${typeCheck}), migrations ${app.timings.databaseMs} ms, start ${app.timings.startMs} ms`)
  }, 900_000)

  afterAll(async () => {
    await app?.close()
  })

  it('made and ran the migrations, and serves the API and the admin on them', async () => {
    expect(app.output()).toMatch(/Migration created at .*\.ts/)
    expect(app.output()).toMatch(/Done\.|Migrated:/)

    const api = `${app.baseUrl}/api/dj-rest-auth`
    const first = await call(`${app.baseUrl}/api/users/first-register`, 'POST', { body: { email: 'admin@example.com', password: PASSWORD, username: 'admin' } })
    expect(first.status, first.text).toBe(200)
    const saved = await call(`${app.baseUrl}/api/globals/rest-auth-settings`, 'POST', {
      body: { accountEmailVerification: 'none' },
      headers: { authorization: `JWT ${first.body.token}` },
    })
    expect(saved.status, saved.text).toBe(200)
    const registered = await call(`${api}/registration/`, 'POST', { body: { email: 'ann@example.com', password1: PASSWORD, password2: PASSWORD, username: 'ann' } })
    expect(registered.status, registered.text).toBeLessThan(300)
    const login = await call(`${api}/login/`, 'POST', { body: { password: PASSWORD, username: 'ann' } })
    expect(login.status, login.text).toBe(200)
    const user = await call(`${api}/user/`, 'GET', { token: login.body.key })
    expect(user.body).toMatchObject({ email: 'ann@example.com', username: 'ann' })

    const admin = await fetch(`${app.baseUrl}/admin/login`)
    expect(admin.status).toBe(200)
  })
})
