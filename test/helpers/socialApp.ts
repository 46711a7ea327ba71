import { expect } from 'vitest'

import type { ApiResponse, CallOptions } from './client.js'
import type { TestDatabaseKind } from './database.js'
import type { TestApp } from './server.js'

import { call } from './client.js'
import { startTestApp } from './server.js'
import { createUser, PASSWORD, verifyEmailOf } from './users.js'

export type SocialTestApp = {
  /** Every answer of the app so far, to look for secrets in. */
  answers: ApiResponse[]
  api: (path: string, method: string, options?: CallOptions) => Promise<ApiResponse>
  app: TestApp
  /** A password user with a verified address (connecting needs one), and their token key, for connect. */
  loginAs: (username: string) => Promise<string>
  post: (path: string, body: unknown, token?: string) => Promise<ApiResponse>
  /** Saves settings through the REST API as the admin; answers the response (200 expected unless `expectStatus`). */
  saveSettings: (data: Record<string, unknown>, expectStatus?: number) => Promise<ApiResponse>
  /** The logged-in user's username, from user/. */
  usernameOf: (key: string) => Promise<string>
}

/** An app with the plugin under the given settings, an admin (root) and a password user, for the social suites. */
export const startSocialApp = async ({ db, settings }: { db: TestDatabaseKind; settings: Record<string, unknown> }): Promise<SocialTestApp> => {
  const app = await startTestApp({ db, plugin: { settings: { throttleEnabled: false, ...settings } as never } })
  const answers: ApiResponse[] = []
  await createUser(app.payload, { email: 'root@example.com', is_staff: true, username: 'root' })
  const adminToken = (await call(`${app.apiUrl}/users/login`, 'POST', { body: { password: PASSWORD, username: 'root' } })).body.token as string
  const api = async (path: string, method: string, options: CallOptions = {}) => {
    const res = await call(path.startsWith('http') ? path : `${app.url}/${path}`, method, options)
    answers.push(res)
    return res
  }
  return {
    answers,
    api,
    app,
    loginAs: async (username) => {
      await verifyEmailOf(app.payload, await createUser(app.payload, { email: `${username}@example.com`, username }))
      return (await api('login/', 'POST', { body: { password: PASSWORD, username } })).body.key as string
    },
    post: (path, body, token) => api(path, 'POST', { body, token }),
    saveSettings: async (data, expectStatus = 200) => {
      const res = await api(`${app.apiUrl}/globals/rest-auth-settings`, 'POST', { body: data, headers: { authorization: `JWT ${adminToken}` } })
      expect(res.status, res.text).toBe(expectStatus)
      return res
    },
    usernameOf: async (key) => (await api('user/', 'GET', { token: key })).body.username as string,
  }
}
