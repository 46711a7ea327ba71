import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'

import type { MockProviders } from '../helpers/mockProviders.js'
import type { TestApp } from '../helpers/server.js'

import { restAuthPlugin } from '../../src/index.js'
import { call } from '../helpers/client.js'
import { testDatabases } from '../helpers/database.js'
import { startMockProviders } from '../helpers/mockProviders.js'
import { startTestApp } from '../helpers/server.js'
import { createUser, PASSWORD } from '../helpers/users.js'

/** Evaluates dev/payload.config.ts afresh with `env` set, as a server process would at start. */
const loadDevConfig = async (env: Record<string, string | undefined>): Promise<unknown> => {
  const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]))
  const apply = (values: Record<string, string | undefined>) => {
    for (const [key, value] of Object.entries(values)) {
      if (value === undefined) {
        delete process.env[key]
      } else {
        process.env[key] = value
      }
    }
  }
  apply(env)
  vi.resetModules()
  try {
    return await (await import('../../dev/payload.config.js')).default
  } finally {
    apply(saved)
  }
}

describe('the dev app without PAYLOAD_SECRET', () => {
  it('refuses to start in production, where the public development secret would let anyone forge tokens', async () => {
    await expect(loadDevConfig({ NODE_ENV: 'production', PAYLOAD_SECRET: undefined })).rejects.toThrow(
      'PAYLOAD_SECRET is not set: refusing to start in production with the public development secret.',
    )
    await expect(loadDevConfig({ NODE_ENV: 'production', PAYLOAD_SECRET: 'a-real-secret-of-the-deployment' })).resolves.toMatchObject({
      secret: expect.any(String),
    })
    // `next build` evaluates the config too, but signs nothing; `next dev` may use the fallback.
    await expect(loadDevConfig({ NEXT_PHASE: 'phase-production-build', NODE_ENV: 'production', PAYLOAD_SECRET: undefined })).resolves.toBeTruthy()
    await expect(loadDevConfig({ NODE_ENV: 'development', PAYLOAD_SECRET: undefined })).resolves.toBeTruthy()
  })
})

describe('signing keys and token checks', () => {
  it('a plugin option with a short JWT key stops the app at start', () => {
    expect(() => restAuthPlugin({ settings: { jwtSigningKey: 'secret' } })({ collections: [] } as never)).toThrow(
      /settings\.jwtSigningKey: An HS256 key needs at least 32 bytes/,
    )
    expect(() => restAuthPlugin({ settings: { socialCheckTokenAudience: true, googleTokenInfoUrl: '' } })({ collections: [] } as never)).toThrow(
      /settings\.googleTokenInfoUrl: Needed while socialCheckTokenAudience is on/,
    )
  })
})

describe.each(testDatabases())('secrets on %s', (db) => {
  let app: TestApp
  let mocks: MockProviders
  let adminToken: string
  const saveSettings = (data: Record<string, unknown>) =>
    call(`${app.apiUrl}/globals/rest-auth-settings`, 'POST', { body: data, headers: { authorization: `JWT ${adminToken}` } })

  beforeAll(async () => {
    mocks = await startMockProviders()
    // settingsCacheTtl 0: a row written behind the global's back is read on the next request.
    app = await startTestApp({ db, plugin: { settings: mocks.settings() as never, settingsCacheTtl: 0 } })
    await createUser(app.payload, { email: 'root@example.com', is_staff: true, username: 'root' })
    adminToken = (await call(`${app.apiUrl}/users/login`, 'POST', { body: { password: PASSWORD, username: 'root' } })).body.token
  })
  afterAll(async () => {
    await app?.close()
    await mocks?.close()
  })

  it('a JWT signing key under 32 bytes is refused, through the admin route and the global alike', async () => {
    const weak = 'guessable-key'
    const adminRoute = await call(`${app.url}/admin/settings/secret/`, 'POST', {
      body: { key: 'jwtSigningKey', value: weak },
      headers: { authorization: `JWT ${adminToken}` },
    })
    expect(adminRoute.status).toBe(400)
    expect(adminRoute.text).not.toContain(weak)
    const previous = await saveSettings({ jwtPreviousSigningKey: weak })
    expect(previous.status).toBe(400)
    expect(previous.text).toContain('An HS256 key needs at least 32 bytes')
    const saved = (await app.payload.findGlobal({ slug: 'rest-auth-settings' as never })) as Record<string, unknown>
    expect([saved.jwtSigningKey, saved.jwtPreviousSigningKey]).not.toContain(weak)
    expect((await saveSettings({ jwtSigningKey: 'k'.repeat(32) })).status).toBe(200)
  })

  it('an empty token-check URL is refused while the audience check is on; a foreign token never passes', async () => {
    const emptied = await saveSettings({ googleTokenInfoUrl: '' })
    expect(emptied.status).toBe(400)
    expect(emptied.text).toContain('Needed while socialCheckTokenAudience is on')
    mocks.google.profiles.set('ann', { email: 'ann@example.com', email_verified: true, sub: '108000000000000000001' })
    const foreign = mocks.google.issueToken('ann', { clientId: 'someone-elses-app.apps.googleusercontent.com' })
    // Written behind the validation's back (straight to the database), the check still does not lapse.
    await app.payload.db.updateGlobal({ data: { googleTokenInfoUrl: '' }, slug: 'rest-auth-settings' } as never)
    const refused = await call(`${app.url}/google/`, 'POST', { body: { access_token: foreign } })
    expect(refused.status).toBe(400)
    expect(refused.body).toEqual({ non_field_errors: ['Incorrect value', 'The Google access token was not issued to this application.'] })
    // Turning the check off is an explicit choice, and then an empty URL is fine.
    expect((await saveSettings({ googleTokenInfoUrl: '', socialCheckTokenAudience: false })).status).toBe(200)
  })
})
