import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { TestApp } from '../helpers/server.js'

import { call } from '../helpers/client.js'
import { testDatabases } from '../helpers/database.js'
import { startTestApp } from '../helpers/server.js'
import { createUser, PASSWORD } from '../helpers/users.js'

/** How the plugin merges into a Payload config: an existing users collection, a prefix, `enabled: false`. */
const ownHook = ({ doc }: { doc: Record<string, unknown> }) => doc

describe.each(testDatabases())('plugin configuration on %s', (db) => {
  describe('an existing users collection and a custom prefix', () => {
    let app: TestApp
    beforeAll(async () => {
      app = await startTestApp({
        config: {
          collections: [
            {
              slug: 'members',
              auth: { tokenExpiration: 3600 },
              fields: [{ name: 'nickname', type: 'text' }],
              hooks: { afterChange: [ownHook] },
            },
          ],
        },
        db,
        plugin: { routePrefix: 'auth', usersCollection: 'members' },
      })
      await app.payload.create({
        collection: 'members' as never,
        data: { email: 'm@example.com', nickname: 'Em', password: PASSWORD, username: 'member' } as never,
      })
    })
    afterAll(async () => app?.close())

    it('keeps the collection’s own fields, hooks and auth options and adds the plugin’s', async () => {
      const members = app.payload.collections['members' as never]!.config
      const names = members.fields.map((field) => ('name' in field ? field.name : ''))
      expect(names).toEqual(expect.arrayContaining(['nickname', 'username', 'first_name', 'last_name', 'is_active', 'is_staff', 'last_login']))
      expect(members.auth.tokenExpiration).toBe(3600)
      expect(members.hooks.afterChange[0]).toBe(ownHook)
      expect(members.hooks.afterChange.length).toBeGreaterThan(1)
      expect(app.payload.collections['users' as never]).toBeUndefined()
    })

    it('serves the API under the prefix', async () => {
      const login = await call(`${app.apiUrl}/auth/login/`, 'POST', { body: { password: PASSWORD, username: 'member' } })
      expect(login.status).toBe(200)
      const me = await call(`${app.apiUrl}/auth/user/`, 'GET', { token: login.body.key })
      expect(me.body).toMatchObject({ email: 'm@example.com', username: 'member' })
      expect((await call(`${app.apiUrl}/dj-rest-auth/login/`, 'POST', { body: {} })).status).toBe(404)
    })
  })

  describe('enabled: false', () => {
    let app: TestApp
    beforeAll(async () => {
      app = await startTestApp({ db, plugin: { enabled: false } })
      await createUser(app.payload, { email: 'off@example.com', username: 'off' })
    })
    afterAll(async () => app?.close())

    it('adds the schema but no endpoints and no strategies', async () => {
      expect(app.payload.collections['auth-tokens' as never]).toBeDefined()
      expect(app.payload.collections['email-addresses' as never]).toBeDefined()
      expect(app.payload.globals.config.map((g) => g.slug)).toContain('rest-auth-settings')
      const login = await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'off' } })
      expect(login.status).toBe(404)
      expect(app.payload.authStrategies.map((s) => s.name)).not.toContain('rest-auth-token')
    })
  })

  it('refuses inconsistent default settings at start-up', async () => {
    const { restAuthPlugin } = await import('../../src/index.js')
    expect(() => restAuthPlugin({ settings: { sessionLogin: false, tokenAuthEnabled: false } })({ collections: [] } as never)).toThrow(
      /tokenAuthEnabled/,
    )
  })
})

describe('databases without transactions', () => {
  it('are named once at start (SQLite without transactionOptions); with transactions, nothing is said', async () => {
    const started = async (transactions: boolean) => {
      const lines: string[] = []
      const app = await startTestApp({
        config: { logger: { destination: { write: (line: string) => lines.push(line) }, options: { level: 'info' } } as never },
        db: 'sqlite',
        transactions,
      })
      await app.close()
      return lines.filter((line) => line.includes('runs without transactions'))
    }
    expect(await started(false)).toHaveLength(1)
    expect(await started(true)).toEqual([])
  })
})
