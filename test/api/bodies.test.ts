import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { TestApp } from '../helpers/server.js'

import { call } from '../helpers/client.js'
import { testDatabases } from '../helpers/database.js'
import { startTestApp } from '../helpers/server.js'
import { createUser, PASSWORD } from '../helpers/users.js'

/** A hand-written multipart body, as curl or a test script writes one. */
const multipart = (boundary: string, fields: Record<string, string>, { eol = '\r\n', preamble = '', epilogue = '' } = {}) =>
  preamble +
  Object.entries(fields)
    .map(([name, value]) => `--${boundary}${eol}Content-Disposition: form-data; name="${name}"${eol}${eol}${value}${eol}`)
    .join('') +
  `--${boundary}--${eol}${epilogue}`

/** Request bodies as Django REST framework's parsers and serializers take them. */
describe.each(testDatabases())('request bodies on %s', (db) => {
  let app: TestApp
  let key: string
  const raw = (path: string, contentType: string, body: string, init: { method?: string; token?: string } = {}) =>
    call(`${app.url}/${path}`, init.method ?? 'POST', { headers: { 'content-type': contentType }, rawBody: body, token: init.token })

  beforeAll(async () => {
    app = await startTestApp({ db })
    await createUser(app.payload, { email: 'bob@example.com', username: 'bob' })
    key = (await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'bob' } })).body.key
  })
  afterAll(async () => app?.close())

  it('JSON null: "No data provided", on every route that reads a body', async () => {
    for (const [path, method] of [
      ['login/', 'POST'],
      ['registration/', 'POST'],
      ['password/reset/', 'POST'],
      ['password/change/', 'POST'],
      ['user/', 'PATCH'],
    ] as const) {
      const res = await raw(path, 'application/json', 'null', { method, token: key })
      expect(res.status, path).toBe(400)
      expect(res.body, path).toEqual({ non_field_errors: ['No data provided'] })
    }
  })

  it('an empty body is no data, whatever its Content-Type (DRF reads no stream): the fields are required', async () => {
    for (const contentType of ['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'text/plain']) {
      const login = await raw('login/', contentType, '')
      expect(login.status, contentType).toBe(400)
      expect(login.body, contentType).toEqual({ password: ['This field is required.'] })
    }
    const register = await raw('registration/', 'application/json', '')
    expect(register.text).toBe(
      '{"username":["This field is required."],"password1":["This field is required."],"password2":["This field is required."]}',
    )
    expect((await raw('login/', 'text/plain', 'x')).status).toBe(415)
  })

  it('multipart with any RFC 2046 boundary, in token, JWT and session mode', async () => {
    const fields = { password: PASSWORD, username: 'bob' }
    const bodies: [string, string][] = [
      ['multipart/form-data; boundary=XyZbound', multipart('XyZbound', fields)],
      ['multipart/form-data; boundary=x', multipart('x', fields)],
      ['multipart/form-data; boundary="a b:c?"', multipart('a b:c?', fields)],
      ['Multipart/Form-Data; charset=utf-8; Boundary=Q', multipart('Q', fields, { epilogue: 'trailing words', preamble: 'This is a preamble.\r\n' })],
      ['multipart/form-data; boundary=lf-only', multipart('lf-only', fields, { eol: '\n' })],
    ]
    const modes: [Record<string, unknown>, (body: Record<string, unknown>) => void][] = [
      [{}, (body) => expect(body.key).toMatch(/^[0-9a-f]{40}$/)],
      [{ useJwt: true }, (body) => expect(body.access).toEqual(expect.any(String))],
      [{ tokenAuthEnabled: false }, (body) => expect(body).toBeUndefined()],
    ]
    try {
      for (const [settings, check] of modes) {
        await app.payload.updateGlobal({ data: { tokenAuthEnabled: true, useJwt: false, ...settings } as never, slug: 'rest-auth-settings' as never })
        for (const [contentType, body] of bodies) {
          const res = await raw('login/', contentType, body)
          expect(res.status, `${contentType} ${res.text}`).toBeLessThan(300)
          check(res.body)
        }
      }
    } finally {
      await app.payload.updateGlobal({ data: { tokenAuthEnabled: true, useJwt: false } as never, slug: 'rest-auth-settings' as never })
    }
  })

  it('multipart: file parts are not fields, UTF-8 values survive, a missing boundary is Django’s parse error', async () => {
    const withFile =
      '--b\r\nContent-Disposition: form-data; name="username"; filename="u.txt"\r\nContent-Type: text/plain\r\n\r\nbob\r\n' +
      '--b\r\nContent-Disposition: form-data; name="password"\r\n\r\nx\r\n--b--\r\n'
    expect((await raw('login/', 'multipart/form-data; boundary=b', withFile)).body).toEqual({
      non_field_errors: ['Must include "username" and "password".'],
    })
    const unicode = await raw('user/', 'multipart/form-data; boundary=b', multipart('b', { first_name: 'Zoë 🔑' }), { method: 'PATCH', token: key })
    expect(unicode.body.first_name).toBe('Zoë 🔑')
    const missing = await raw('login/', 'multipart/form-data', multipart('b', { username: 'bob' }))
    expect(missing.status).toBe(400)
    expect(missing.body).toEqual({ detail: 'Multipart form parse error - Invalid boundary in multipart: None' })
  })

  it('field errors come in the serializer’s declared order', async () => {
    const login = await call(`${app.url}/login/`, 'POST', { body: { password: ['a'], username: {} } })
    expect(login.text).toBe('{"username":["Not a valid string."],"password":["Not a valid string."]}')
    const confirm = await call(`${app.url}/password/reset/confirm/`, 'POST', { body: {} })
    expect(Object.keys(confirm.body)).toEqual(['new_password1', 'new_password2', 'uid', 'token'])
    const put = await call(`${app.url}/user/`, 'PUT', { body: { first_name: 'x'.repeat(151), last_name: 'y'.repeat(151) }, token: key })
    expect(Object.keys(put.body)).toEqual(['username', 'first_name', 'last_name'])
    const register = await call(`${app.url}/registration/`, 'POST', { body: { email: 'nope', password2: 'x', username: 'bob' } })
    expect(Object.keys(register.body)).toEqual(['username', 'email', 'password1'])
  })
})
