import { validate } from '@readme/openapi-parser'
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'

import type { TestApp } from '../helpers/server.js'

import { call } from '../helpers/client.js'
import { testDatabases } from '../helpers/database.js'
import { startTestApp } from '../helpers/server.js'
import { createRestAuthClient } from '../../src/exports/client-sdk.js'
import { createUser, PASSWORD } from '../helpers/users.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

/**
 * GET openapi.json / openapi.yaml: the OpenAPI 3.1 document made from the routes' declarations and
 * the saved settings, who may fetch it (openApiAccess), and `payload rest-auth:openapi`.
 */
describe.each(testDatabases())('OpenAPI document on %s', (db) => {
  let app: TestApp
  let staffKey: string
  let userKey: string
  const saveSettings = (data: Record<string, unknown>) => app.payload.updateGlobal({ data: data as never, slug: 'rest-auth-settings' as never })
  const fetchDocument = async (key = staffKey) => {
    const res = await call(`${app.url}/openapi.json`, 'GET', { token: key })
    expect(res.status, res.text).toBe(200)
    return res.body
  }

  beforeAll(async () => {
    app = await startTestApp({
      db,
      plugin: {
        registrationFields: [{ name: 'company', required: true, save: () => undefined, schema: { type: 'string', maxLength: 80 } }],
        userDetailsFields: [{ name: 'nickname', read: () => 'nick', schema: { type: 'string' }, write: () => undefined }],
      },
    })
    await createUser(app.payload, { email: 'root@example.com', is_staff: true, username: 'root' })
    await createUser(app.payload, { email: 'bob@example.com', username: 'bob' })
    staffKey = (await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'root' } })).body.key
    userKey = (await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'bob' } })).body.key
  })
  afterAll(async () => app?.close())

  it('is a valid OpenAPI 3.1 document, JSON and YAML alike', async () => {
    const document = await fetchDocument()
    expect(document.openapi).toBe('3.1.0')
    const result = await validate(structuredClone(document))
    expect(result.valid, JSON.stringify(result, null, 2)).toBe(true)
    const yaml = await call(`${app.url}/openapi.yaml/`, 'GET', { token: staffKey })
    expect(yaml.status).toBe(200)
    expect(yaml.headers.get('content-type')).toMatch(/^application\/yaml/)
    expect(yaml.headers.get('cache-control')).toBe('no-store')
    expect(parse(yaml.text)).toEqual(document)
  })

  it('lists the enabled routes and methods only; login/ answers as the current mode has it', async () => {
    const tokenMode = await fetchDocument()
    expect(tokenMode.servers).toEqual([{ url: app.url }])
    expect(Object.keys(tokenMode.paths)).toEqual(expect.arrayContaining(['/login/', '/logout/', '/user/', '/password/reset/', '/socialaccounts/{id}/disconnect/']))
    expect(tokenMode.paths['/token/refresh/']).toBeUndefined()
    expect(Object.keys(tokenMode.paths['/logout/'])).toEqual(['post'])
    expect(Object.keys(tokenMode.paths['/user/'])).toEqual(['get', 'put', 'patch'])
    expect(tokenMode.paths['/login/'].post.responses['200'].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/TokenLogin' })
    expect(Object.keys(tokenMode.components.securitySchemes).sort()).toEqual(['CsrfToken', 'SessionCookie', 'TokenAuth'])
    expect(tokenMode.paths['/user/'].get.security).toEqual([{ SessionCookie: [] }, { TokenAuth: [] }])
    expect(tokenMode.paths['/login/'].post.requestBody.content['application/json'].schema).toEqual({
      type: 'object',
      properties: { username: { type: 'string' }, email: { type: 'string', format: 'email' }, password: { type: 'string' } },
      required: ['password'],
    })

    // Token authentication is off meanwhile: the document is fetched anonymously.
    await saveSettings({ jwtAuthReturnExpiration: true, logoutOnGet: true, openApiAccess: 'public', tokenAuthEnabled: false, useJwt: true })
    try {
      const jwtMode = await fetchDocument('')
      expect(jwtMode.paths['/token/refresh/'].post.responses['401']).toBeDefined()
      expect(Object.keys(jwtMode.paths['/logout/'])).toEqual(['get', 'post'])
      expect(jwtMode.paths['/login/'].post.responses['200'].content['application/json'].schema).toEqual({
        $ref: '#/components/schemas/JwtLoginWithExpiration',
      })
      expect(jwtMode.components.securitySchemes.BearerAuth).toEqual(expect.objectContaining({ type: 'http', scheme: 'bearer' }))
      expect(jwtMode.components.securitySchemes.TokenAuth).toBeUndefined()

      await saveSettings({ sessionLogin: true, useJwt: false })
      const sessionOnly = await fetchDocument('')
      expect(sessionOnly.paths['/login/'].post.responses['204']).toEqual({ description: expect.any(String), headers: { 'Set-Cookie': { schema: { type: 'string' } } } })
      expect(sessionOnly.paths['/login/'].post.responses['200']).toBeUndefined()
    } finally {
      await saveSettings({ jwtAuthReturnExpiration: false, logoutOnGet: false, openApiAccess: 'staff', tokenAuthEnabled: true, useJwt: false })
    }
  })

  it('describes the registrationFields and userDetailsFields the app adds', async () => {
    const document = await fetchDocument()
    const registration = document.paths['/registration/'].post.requestBody.content['application/json'].schema
    expect(registration.properties.company).toEqual({ type: 'string', maxLength: 80, 'x-payload-rest-auth-option': 'registrationFields' })
    expect(registration.required).toContain('company')
    expect(document.paths['/user/'].patch.requestBody.content['application/json'].schema.properties.nickname).toEqual({
      type: 'string',
      'x-payload-rest-auth-option': 'userDetailsFields',
    })
    expect(document.components.schemas.User.properties.nickname).toEqual({ type: 'string' })
  })

  it('the typed client (payload-rest-auth/client-sdk) talks to it', async () => {
    const client = createRestAuthClient({ baseUrl: app.url })
    const login = await client.POST('/login/', { body: { password: PASSWORD, username: 'bob' } })
    expect(login.response.status).toBe(200)
    const key = login.data && 'key' in login.data ? login.data.key : ''
    expect(key).toMatch(/^[0-9a-f]{40}$/)
    const user = await client.GET('/user/', { headers: { Authorization: `Token ${key}` } })
    expect(user.data?.username).toBe('bob')
    const refused = await client.POST('/login/', { body: { password: 'wrong', username: 'bob' } })
    expect(refused.error).toEqual({ non_field_errors: ['Unable to log in with provided credentials.'] })
  })

  it('openApiAccess: staff by default, public for anyone, off unmounts it', async () => {
    expect((await call(`${app.url}/openapi.json`, 'GET')).status).toBe(403)
    expect((await call(`${app.url}/openapi.json`, 'GET', { token: userKey })).status).toBe(403)
    expect((await call(`${app.url}/openapi.yaml`, 'GET', { token: userKey })).status).toBe(403)
    await saveSettings({ openApiAccess: 'public' })
    try {
      expect((await call(`${app.url}/openapi.json`, 'GET')).status).toBe(200)
      await saveSettings({ openApiAccess: 'off' })
      expect((await call(`${app.url}/openapi.json`, 'GET', { token: staffKey })).status).toBe(404)
      expect((await call(`${app.url}/openapi.yaml`, 'GET', { token: staffKey })).status).toBe(404)
      expect((await fetch(`${app.url}/admin/endpoints/`, { headers: { authorization: `Token ${staffKey}` } }).then((res) => res.json())).endpoints.some(
        (endpoint: { isEnabled: boolean; path: string }) => endpoint.path === '/openapi.json/' && endpoint.isEnabled,
      )).toBe(false)
    } finally {
      await saveSettings({ openApiAccess: 'staff' })
    }
  })
})

describe('payload rest-auth:openapi', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rest-auth-openapi-'))
  afterAll(() => rmSync(dir, { force: true, recursive: true }))

  it('prints the document of the saved settings', async () => {
    const { code, output } = await new Promise<{ code: number; output: string }>((resolve) => {
      execFile(
        process.execPath,
        [path.join(root, 'node_modules/payload/bin.js'), 'rest-auth:openapi'],
        {
          cwd: root,
          env: {
            ...process.env,
            IMPORT_TEST_DATABASE_URL: `file:${path.join(dir, 'cli.db')}`,
            PAYLOAD_CONFIG_PATH: path.join(root, 'test/fixtures/django/cli.config.ts'),
            PAYLOAD_FORCE_DRIZZLE_PUSH: 'true',
          },
          timeout: 180_000,
        },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}${stderr}` }),
      )
    })
    expect(code, output).toBe(0)
    const document = JSON.parse(output.slice(output.indexOf('{'), output.lastIndexOf('}') + 1))
    expect(document.openapi).toBe('3.1.0')
    expect(document.paths['/login/'].post).toBeDefined()
  }, 240_000)
})
