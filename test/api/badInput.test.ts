import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { TestApp } from '../helpers/server.js'

import { call, isErrorShape } from '../helpers/client.js'
import { testDatabases } from '../helpers/database.js'
import { startTestApp } from '../helpers/server.js'
import { createUser, PASSWORD } from '../helpers/users.js'

/** Hostile and malformed requests: always a 4xx in dj-rest-auth's error shape, never a 500. */
describe.each(testDatabases())('bad input on %s', (db) => {
  let app: TestApp
  let key: string

  beforeAll(async () => {
    app = await startTestApp({ db })
    await createUser(app.payload, { email: 'mal@example.com', username: 'mal' })
    key = (await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'mal' } })).body.key
  })
  afterAll(async () => app?.close())

  const bodies: [string, string, string][] = [
    ['broken JSON', 'application/json', '{"username": '],
    ['a JSON array', 'application/json', '[1,2]'],
    ['a JSON string', 'application/json', '"hello"'],
    ['JSON null', 'application/json', 'null'],
    ['wrong types', 'application/json', JSON.stringify({ password: ['a'], username: { $ne: null } })],
    ['booleans', 'application/json', JSON.stringify({ password: true, username: false })],
    ['deep nesting', 'application/json', `${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}`],
    ['NUL bytes', 'application/json', JSON.stringify({ password: 'a\u0000b', username: 'mal\u0000' })],
    ['unicode', 'application/json', JSON.stringify({ password: '🔑'.repeat(50), username: 'ユーザー' })],
    ['plain text', 'text/plain', 'username=mal'],
    ['invalid UTF-8', 'application/json', '\xff\xfe{"a":1}'],
    ['broken multipart', 'multipart/form-data; boundary=x', '--y\r\nbroken'],
  ]

  for (const path of ['login', 'logout', 'user', 'password/change']) {
    for (const [name, contentType, body] of bodies) {
      it(`${path}/ with ${name}`, async () => {
        for (const method of ['POST', 'PUT', 'PATCH']) {
          const res = await call(`${app.url}/${path}/`, method, { headers: { 'content-type': contentType }, rawBody: body, token: key })
          expect(res.status, `${method} ${res.text}`).toBeGreaterThanOrEqual(200)
          expect(res.status, `${method} ${res.text}`).toBeLessThan(500)
          if (res.status >= 400) {
            expect(isErrorShape(res.body), `${method} ${res.text}`).toBe(true)
          }
        }
      })
    }
  }

  it('specific answers', async () => {
    const wrongTypes = await call(`${app.url}/login/`, 'POST', { body: { password: ['a'], username: { $ne: null } } })
    expect(wrongTypes.body).toEqual({ password: ['Not a valid string.'], username: ['Not a valid string.'] })
    const nul = await call(`${app.url}/login/`, 'POST', { body: { password: 'a\u0000', username: 'mal' } })
    expect(nul.body).toEqual({ password: ['Null characters are not allowed.'] })
    const array = await call(`${app.url}/login/`, 'POST', { rawBody: '[1]', headers: { 'content-type': 'application/json' } })
    expect(array.body).toEqual({ non_field_errors: ['Invalid data. Expected a dictionary, but got list.'] })
    const text = await call(`${app.url}/login/`, 'POST', { rawBody: 'x', headers: { 'content-type': 'text/plain' } })
    expect(text.status).toBe(415)
    expect(text.body).toEqual({ detail: 'Unsupported media type "text/plain" in request.' })
  })

  it('a huge body is refused with 413 before it is read', async () => {
    const res = await call(`${app.url}/login/`, 'POST', { body: { password: 'x'.repeat(2_000_000), username: 'mal' } })
    expect(res.status).toBe(413)
    expect(res.body).toEqual({ detail: 'Request body is too large.' })
  })

  it('a long password is checked, not crashed on', async () => {
    const res = await call(`${app.url}/login/`, 'POST', { body: { password: 'x'.repeat(50_000), username: 'mal' } })
    expect(res.status).toBe(400)
    expect(res.body).toEqual({ non_field_errors: ['Unable to log in with provided credentials.'] })
  })

  it('rejected requests change nothing', async () => {
    const before = await app.payload.find({ collection: 'users', overrideAccess: true, where: { username: { equals: 'mal' } } })
    await call(`${app.url}/user/`, 'PATCH', { body: { first_name: 'x'.repeat(500), username: 'ok' }, token: key })
    await call(`${app.url}/user/`, 'PUT', { body: { first_name: 'y' }, token: key })
    const after = await app.payload.find({ collection: 'users', overrideAccess: true, where: { username: { equals: 'mal' } } })
    expect(after.docs[0]).toEqual(before.docs[0])
  })
})
