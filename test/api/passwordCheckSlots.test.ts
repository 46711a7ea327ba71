import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { TestApp } from '../helpers/server.js'

import { withPasswordCheckSlot } from '../../src/passwords/checkSlots.js'
import { call, isErrorShape } from '../helpers/client.js'
import { testDatabases } from '../helpers/database.js'
import { startTestApp } from '../helpers/server.js'
import { createUser, PASSWORD } from '../helpers/users.js'

/** Holds `count` password-check slots until the returned function is called. */
const holdSlots = (count: number) => {
  let release!: () => void
  const gate = new Promise<void>((resolve) => {
    release = resolve
  })
  const held = Array.from({ length: count }, () => withPasswordCheckSlot(() => gate))
  return async () => {
    release()
    await Promise.all(held)
  }
}

/**
 * A bound on password derivations in flight (maxPasswordChecksInFlight): beyond it a login answers
 * 503 at once instead of queueing on the thread pool, known and unknown accounts alike, and other
 * requests go on being served.
 */
describe.each(testDatabases())('password checks in flight on %s', (db) => {
  let app: TestApp
  let key: string

  beforeAll(async () => {
    app = await startTestApp({ db, plugin: { maxPasswordChecksInFlight: 2 } })
    await createUser(app.payload, { email: 'cap@example.com', username: 'cap' })
    key = (await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'cap' } })).body.key
  })
  afterAll(async () => app?.close())

  it('answers 503 with Retry-After while every slot is taken, then serves logins again', async () => {
    const release = holdSlots(2)
    try {
      const answers = await Promise.all([
        call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'cap' } }),
        call(`${app.url}/login/`, 'POST', { body: { password: 'wrong', username: 'cap' } }),
        call(`${app.url}/login/`, 'POST', { body: { password: 'wrong', username: 'nobody-here' } }),
        call(`${app.apiUrl}/users/login`, 'POST', { body: { password: 'wrong', username: 'nobody-here' } }),
        call(`${app.apiUrl}/users/login`, 'POST', { body: { password: 'wrong', username: 'cap' } }),
      ])
      for (const res of answers) {
        expect(res.status, res.text).toBe(503)
        expect(res.headers.get('retry-after')).toBe('1')
      }
      for (const res of answers.slice(0, 3)) {
        expect(res.body).toEqual({ detail: 'Too many sign-ins are being checked right now. Try again in a moment.' })
        expect(isErrorShape(res.body)).toBe(true)
      }
      // Requests that check no password are not held up.
      expect((await call(`${app.url}/user/`, 'GET', { token: key })).status).toBe(200)
    } finally {
      await release()
    }
    expect((await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'cap' } })).status).toBe(200)
  })

  it('parallel logins beyond the bound never fail otherwise', async () => {
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => call(`${app.url}/login/`, 'POST', { body: { password: i % 2 ? PASSWORD : 'wrong', username: 'cap' } })),
    )
    for (const res of answers) {
      expect([200, 400, 503]).toContain(res.status)
    }
  })
})
