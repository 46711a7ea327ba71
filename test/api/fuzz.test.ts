import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { TestApp } from '../helpers/server.js'

import { restAuthEndpoints } from '../../src/endpoints/index.js'
import { call, isErrorShape } from '../helpers/client.js'
import { testDatabases } from '../helpers/database.js'
import { startTestApp } from '../helpers/server.js'
import { createUser, PASSWORD } from '../helpers/users.js'

const RUNS = Number(process.env.FUZZ_RUNS ?? 1000)

/**
 * Every route of the plugin, its `:id`-style parameters filled with something hostile — but
 * user/delete/: one authenticated POST (it takes no body) deletes the account the rest of the run
 * logs in with; its refusals are tested in accountManagement.test.ts.
 */
const paths = restAuthEndpoints
  .filter((endpoint) => endpoint.path !== '/user/delete')
  .map((endpoint) => endpoint.path.replace(/:(\w+)/g, '%27%22%3Cx%3E'))

const fieldNames = ['username', 'email', 'password', 'password1', 'password2', 'new_password1', 'new_password2', 'old_password', 'uid', 'token', 'key', 'refresh', 'first_name', 'last_name', 'access_token', 'code', 'flow_token', 'credential', 'name', 'passwordless']

const hostileString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.constantFrom('', ' ', '\u0000', '\ud800', '../../etc/passwd', "' OR 1=1 --", '{"$ne": null}', 'a'.repeat(5000), '%00', '\r\nSet-Cookie: x=y'),
)
const hostileValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    hostileString,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 8 }), tie('value'), { maxKeys: 4 }),
  ),
})).value

const body = fc.oneof(
  fc.record({ contentType: fc.constant('application/json'), raw: fc.dictionary(fc.constantFrom(...fieldNames), hostileValue).map((o) => JSON.stringify(o)) }),
  fc.record({ contentType: fc.constant('application/json'), raw: fc.json() }),
  fc.record({ contentType: fc.constant('application/json'), raw: fc.string() }),
  fc.record({ contentType: fc.constant('application/x-www-form-urlencoded'), raw: fc.string() }),
  fc.record({ contentType: fc.constantFrom('multipart/form-data; boundary=zz', 'text/xml', 'application/json; charset=latin1', ''), raw: fc.string() }),
  fc.record({
    contentType: fc.constant('application/json'),
    raw: fc.nat({ max: 3000 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`),
  }),
)

const request = fc.record({
  body,
  method: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE'),
  path: fc.constantFrom(...paths),
  slash: fc.boolean(),
  withToken: fc.boolean(),
  extraHeader: fc.option(fc.constantFrom<[string, string]>(['authorization', 'Token '], ['authorization', 'Bearer x.y.z'], ['authorization', 'Token a b c'], ['cookie', 'sessionid=%ff; csrftoken='], ['x-forwarded-for', 'not-an-ip'], ['x-rest-auth-cookieless', '1'])),
})

/** Property: thousands of generated requests never get a 5xx, and every 4xx is in dj-rest-auth's shape. */
describe.each(testDatabases())('hostile requests on %s', (db) => {
  let app: TestApp
  let key: string
  let userId: number | string

  beforeAll(async () => {
    // Passkeys on, so their routes (and their JSON `credential` field) are fuzzed too.
    app = await startTestApp({ db, plugin: { settings: { webauthnEnabled: true, webauthnLoginEnabled: true, webauthnRpId: 'localhost' } } })
    userId = (await createUser(app.payload, { email: 'fuzz@example.com', username: 'fuzz' })).id
    key = (await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'fuzz' } })).body.key
  })
  afterAll(async () => app?.close())

  const snapshot = async () =>
    JSON.stringify(
      await Promise.all(
        ['users', 'email-addresses', 'social-accounts', 'webauthn-credentials'].map((collection) =>
          app.payload.find({ collection: collection as never, depth: 0, limit: 1000, overrideAccess: true, sort: 'id' }),
        ),
      ),
    )

  it(`answers ${RUNS} generated requests with 2xx-4xx only, in the error shape, changing nothing when refused`, async () => {
    let refusedWrites = 0
    await fc.assert(
      fc.asyncProperty(request, async ({ body: { contentType, raw }, extraHeader, method, path, slash, withToken }) => {
        const headers: Record<string, string> = {}
        if (contentType) headers['content-type'] = contentType
        if (extraHeader) headers[extraHeader[0]] = extraHeader[1]
        const hasBody = method !== 'GET'
        const before = method === 'GET' ? '' : await snapshot()
        const res = await call(`${app.url}${path}${slash ? '/' : ''}`, method, {
          headers,
          rawBody: hasBody ? raw : undefined,
          token: withToken && !extraHeader?.[0].startsWith('authorization') ? key : undefined,
        })
        expect(res.status, `${method} ${path} ${raw.slice(0, 200)} → ${res.text.slice(0, 300)}`).toBeLessThan(500)
        if (res.status >= 400) {
          expect(isErrorShape(res.body), `${method} ${path} → ${res.text.slice(0, 300)}`).toBe(true)
          if (method !== 'GET') {
            refusedWrites += 1
            expect(await snapshot(), `${method} ${path} ${raw.slice(0, 200)} changed rows`).toBe(before)
          }
        }
      }),
      { numRuns: RUNS },
    )
    expect(refusedWrites).toBeGreaterThan(RUNS / 4)
    // Still serving: a fresh login works (under the username a generated, authenticated PATCH user/ may have set).
    const { username } = (await app.payload.findByID({ collection: 'users', depth: 0, id: userId })) as unknown as { username: string }
    const login = await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username } })
    expect(login.status, login.text).toBe(200)
  }, 600_000)
})
