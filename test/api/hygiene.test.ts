import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'

import type { TestApp } from '../helpers/server.js'
import type { Mailbox } from '../helpers/smtp.js'

import { restAuthEndpoints } from '../../src/endpoints/index.js'
import { call } from '../helpers/client.js'
import { testDatabases } from '../helpers/database.js'
import { startTestApp } from '../helpers/server.js'
import { linkIn, startMailbox } from '../helpers/smtp.js'
import { createUser, NEW_PASSWORD, PASSWORD } from '../helpers/users.js'

/** Credentials never cached and never logged. */
describe.each(testDatabases())('response and log hygiene on %s', (db) => {
  let app: TestApp
  let mailbox: Mailbox
  const logged: string[] = []

  beforeAll(async () => {
    mailbox = await startMailbox()
    app = await startTestApp({ config: { email: mailbox.adapter }, db, plugin: { settings: { loginLockoutThreshold: 3 } } })
    for (const level of ['debug', 'error', 'fatal', 'info', 'trace', 'warn'] as const) {
      const original = app.payload.logger[level].bind(app.payload.logger)
      vi.spyOn(app.payload.logger, level).mockImplementation(((...args: unknown[]) => {
        logged.push(JSON.stringify(args, (_key, value) => (value instanceof Error ? { message: value.message, stack: value.stack } : value)))
        return (original as (...a: unknown[]) => void)(...args)
      }) as never)
    }
    await createUser(app.payload, { email: 'hal@example.com', username: 'hal' })
  })
  afterAll(async () => {
    await app?.close()
    await mailbox?.close()
  })

  it('every route answers Cache-Control: no-store, whatever the method', async () => {
    for (const endpoint of restAuthEndpoints) {
      const path = endpoint.path.replace(/:(\w+)/g, '1')
      for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) {
        const res = await call(`${app.url}${path}/`, method, { body: method === 'GET' ? undefined : {} })
        expect(res.headers.get('cache-control'), `${method} ${path} ${res.status}`).toBe('no-store')
      }
    }
  })

  it('no password, key, token or link reaches the logs', async () => {
    const secrets: string[] = [PASSWORD, NEW_PASSWORD, 'Wr0ng!Passw0rd']
    await call(`${app.url}/login/`, 'POST', { body: { password: 'Wr0ng!Passw0rd', username: 'hal' } })
    const login = await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'hal' } })
    secrets.push(login.body.key, ...login.cookies.map((c) => c.split(';')[0]!.split('=')[1]!))
    await call(`${app.url}/password/change/`, 'POST', { body: { new_password1: NEW_PASSWORD, new_password2: NEW_PASSWORD }, token: login.body.key })
    const since = mailbox.messages.length
    await call(`${app.url}/password/reset/`, 'POST', { body: { email: 'hal@example.com' } })
    const link = linkIn(await mailbox.waitFor('hal@example.com', { since }))
    secrets.push(link, link.split('/').filter(Boolean).at(-1)!)
    const [uid, token] = link.split('/').filter(Boolean).slice(-2)
    await call(`${app.url}/password/reset/confirm/`, 'POST', { body: { new_password1: PASSWORD, new_password2: PASSWORD, token, uid } })
    const reg = await call(`${app.url}/registration/`, 'POST', { body: { email: 'kim@example.com', password1: 'Zq8$wv3nLx', password2: 'Zq8$wv3nLx', username: 'kim' } })
    expect(reg.status).toBeLessThan(300)
    secrets.push('Zq8$wv3nLx', linkIn(await mailbox.waitFor('kim@example.com')))
    // A failing mail server makes the plugin log; the log must still hold no link.
    mailbox.refuse(true)
    await call(`${app.url}/password/reset/`, 'POST', { body: { email: 'hal@example.com' } })
    await vi.waitFor(() => expect(logged.join('\n')).toContain('could not send the password reset e-mail'), { timeout: 5000 })
    mailbox.refuse(false)
    const text = logged.join('\n')
    for (const secret of secrets.filter((s) => s && s.length >= 8)) {
      expect(text.includes(secret), `log contains ${secret.slice(0, 6)}…`).toBe(false)
    }
  })
})
