import { expect } from 'vitest'

import type { Access, CollectionConfig, Config } from 'payload'

import type { RestAuthPluginOptions } from '../../src/index.js'
import type { ApiResponse } from './client.js'
import type { TestDatabaseKind } from './database.js'
import type { TestApp } from './server.js'

import { call } from './client.js'
import { startTestApp } from './server.js'
import { createUser, PASSWORD } from './users.js'

/*
 * A Payload app that existed before the plugin was installed, with the rules such apps are written
 * with when only staff can log in: its own `users` collection (custom fields, Payload's website
 * template's "any logged-in user" access, an admin role, the owner rule that compares ids only), a second auth
 * collection `customers` with public sign-up, and `posts` that name a user as author.
 */

const anyLoggedIn = ({ req }: { req: { user?: unknown } }): boolean => Boolean(req.user)
/** The common owner rule, which does not look at `req.user.collection`: customer 1 "is" user 1. */
const sameId: Access = ({ req }) => (req.user ? { id: { equals: req.user.id } } : false)
const isHostAdmin = (user: unknown) => ((user as { roles?: string[] } | null)?.roles ?? []).includes('admin')
const hostAdminOrSameId: Access = (args) => isHostAdmin(args.req.user) || sameId(args)

export const hostCollections = (): CollectionConfig[] => [
  {
    slug: 'users',
    access: { admin: anyLoggedIn, create: anyLoggedIn, delete: anyLoggedIn, read: anyLoggedIn, update: hostAdminOrSameId },
    auth: { tokenExpiration: 3600 },
    fields: [
      {
        name: 'roles',
        type: 'select',
        access: { create: ({ req }) => isHostAdmin(req.user), update: ({ req }) => isHostAdmin(req.user) },
        hasMany: true,
        options: ['admin', 'editor'],
      },
      { name: 'nickname', type: 'text' },
      { name: 'theme', type: 'select', defaultValue: 'light', options: ['light', 'dark'] },
    ],
  },
  {
    slug: 'customers',
    access: { create: () => true, read: sameId, update: sameId },
    auth: true,
    fields: [{ name: 'name', type: 'text' }],
  },
  {
    slug: 'posts',
    access: { create: anyLoggedIn, delete: anyLoggedIn, read: () => true, update: anyLoggedIn },
    fields: [
      { name: 'title', type: 'text', required: true },
      { name: 'author', type: 'relationship', relationTo: 'users' },
    ],
  },
]

export type HostUser = { email: string; id: number | string; username: string }

/** One of each credential the plugin issues: a token key, a session cookie and a JWT refresh token. */
export type Credentials = { key: string; refresh: string; session: string }

export type HostApp = TestApp & {
  /** The first user, made staff by Payload's first-register: id 1 of `users`. */
  admin: HostUser
  /** Payload's own JWT of the first admin. */
  adminJwt: string
  /** Logs a user in through the plugin in token mode (with a session), then once in JWT mode. */
  credentialsOf: (username: string, password?: string) => Promise<Credentials>
  /** Which of the credentials still work, each asked once. */
  liveCredentials: (credentials: Credentials) => Promise<{ key: boolean; refresh: boolean; session: boolean }>
  /** Id 1 of `customers`: the same id as the admin in another auth collection. */
  customer: { email: string; id: number | string; jwt: string }
  /** A GraphQL request; `headers` carry the credential. */
  gql: (query: string, options?: { headers?: Record<string, string>; variables?: Record<string, unknown> }) => Promise<ApiResponse>
  /** Payload's own login of a user of `users`: its JWT (the response must be 200). */
  payloadJwt: (username: string, password?: string) => Promise<string>
  /** The plugin's login/ of a user: its token key (the response must be 200). */
  pluginKey: (username: string, password?: string) => Promise<string>
  /** Creates a user of `users` through the Local API (server code), as a seed script would. */
  seedUser: (data: { email?: string; is_active?: boolean; nickname?: string; username: string }) => Promise<HostUser>
}

export const jwtHeader = (token: string) => ({ authorization: `JWT ${token}` })

/** An id as a GraphQL literal: a number on SQL databases, a string on MongoDB. */
export const gqlId = (id: number | string): string => JSON.stringify(id)

/**
 * The host app with the plugin on a fresh database, its first admin made through Payload's
 * first-register (as the create-first-user screen does), and a customer who signed up through
 * Payload's REST API.
 */
export const startHostApp = async ({
  config,
  db,
  plugin,
}: {
  config?: Partial<Config>
  db: TestDatabaseKind
  plugin?: RestAuthPluginOptions
}): Promise<HostApp> => {
  const app = await startTestApp({
    config: { admin: { user: 'users' }, collections: hostCollections(), ...config },
    db,
    plugin,
  })
  const first = await call(`${app.apiUrl}/users/first-register`, 'POST', {
    body: { email: 'admin@host.example', password: PASSWORD, roles: ['admin'], username: 'admin' },
  })
  expect(first.status, first.text).toBe(200)
  const signUp = await call(`${app.apiUrl}/customers`, 'POST', { body: { email: 'eve@customer.example', name: 'Eve', password: PASSWORD } })
  expect(signUp.status, signUp.text).toBe(201)
  const customerLogin = await call(`${app.apiUrl}/customers/login`, 'POST', { body: { email: 'eve@customer.example', password: PASSWORD } })
  expect(customerLogin.status, customerLogin.text).toBe(200)
  const admin = first.body.user as HostUser
  if (db !== 'mongodb') {
    // Numbered ids: the customer has the admin's id (MongoDB's ObjectIds never collide so).
    expect(signUp.body.doc.id).toBe(admin.id)
  }
  const payloadJwt = async (username: string, password = PASSWORD) => {
    const res = await call(`${app.apiUrl}/users/login`, 'POST', { body: { password, username } })
    expect(res.status, res.text).toBe(200)
    return res.body.token as string
  }
  const saveSettings = (data: Record<string, unknown>) =>
    app.payload.updateGlobal({ data: data as never, slug: 'rest-auth-settings' as never })
  const pluginLogin = async (username: string, password: string) => {
    const res = await call(`${app.url}/login/`, 'POST', { body: { password, username } })
    expect(res.status, res.text).toBe(200)
    return res
  }
  return {
    ...app,
    admin,
    credentialsOf: async (username, password = PASSWORD) => {
      await saveSettings({ jwtAuthHttpOnly: false, sessionLogin: true, useJwt: false })
      const tokenLogin = await pluginLogin(username, password)
      await saveSettings({ useJwt: true })
      const jwtLogin = await pluginLogin(username, password)
      await saveSettings({ useJwt: false })
      return {
        key: tokenLogin.body.key,
        refresh: jwtLogin.body.refresh,
        session: tokenLogin.cookies.map((cookie) => cookie.split(';')[0]).join('; '),
      }
    },
    liveCredentials: async ({ key, refresh, session }) => {
      await saveSettings({ useJwt: true })
      const isRefreshLive = (await call(`${app.url}/token/refresh/`, 'POST', { body: { refresh } })).status === 200
      await saveSettings({ useJwt: false })
      return {
        key: (await call(`${app.url}/user/`, 'GET', { token: key })).status === 200,
        refresh: isRefreshLive,
        session: (await call(`${app.url}/user/`, 'GET', { headers: { cookie: session } })).status === 200,
      }
    },
    adminJwt: first.body.token,
    customer: { email: 'eve@customer.example', id: signUp.body.doc.id, jwt: customerLogin.body.token },
    gql: (query, { headers, variables } = {}) => call(app.graphqlUrl, 'POST', { body: { query, variables }, headers }),
    payloadJwt,
    pluginKey: async (username, password = PASSWORD) => (await pluginLogin(username, password)).body.key as string,
    seedUser: (data) => createUser(app.payload, data as Parameters<typeof createUser>[1]),
  }
}
