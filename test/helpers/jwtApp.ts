import { expect } from 'vitest'

import type { RestAuthSettings } from '../../src/index.js'
import type { ApiResponse } from './client.js'
import type { TestDatabaseKind } from './database.js'
import type { TestApp } from './server.js'

import { call } from './client.js'
import { startTestApp } from './server.js'
import { createUser, PASSWORD } from './users.js'

type UserData = { email: string; username: string }

export type JwtApp = TestApp & {
  /** Payload's own JWT of `admin` (a staff user), when one was asked for. */
  adminToken?: string
  /** Logs the user in through dj-rest-auth's login (password PASSWORD unless `body` says otherwise); it must answer 200. */
  login: (options?: { body?: Record<string, unknown>; headers?: Record<string, string> }) => Promise<ApiResponse>
  /** Saves values into the settings global, as an admin would. */
  saveSettings: (data: Record<string, unknown>) => Promise<unknown>
  userId: number | string
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

/** `name=<v>; HttpOnly; Max-Age=300; Path=/; SameSite=Lax`: the transcript's notation (value and expires left out). */
export const shape = (cookie: string) => cookie.replace(/^([^=]+)=[^;]*/, '$1=<v>').replace(/; expires=[^;]+/, '')

/**
 * A test app in JWT mode with the cookies `app-auth` and `app-refresh` and no session login, and
 * the user the suite logs in as, and `admin`, a staff user.
 */
export const startJwtApp = async ({
  admin,
  db,
  settings,
  user,
}: {
  admin?: UserData
  db: TestDatabaseKind
  settings?: Partial<RestAuthSettings>
  user: UserData
}): Promise<JwtApp> => {
  const app = await startTestApp({
    db,
    plugin: {
      settings: { jwtAuthCookie: 'app-auth', jwtAuthRefreshCookie: 'app-refresh', sessionLogin: false, useJwt: true, ...settings },
    },
  })
  if (admin) {
    await createUser(app.payload, { ...admin, is_staff: true })
  }
  const { id: userId } = await createUser(app.payload, user)
  const adminToken = admin
    ? (await call(`${app.apiUrl}/users/login`, 'POST', { body: { password: PASSWORD, username: admin.username } })).body.token
    : undefined
  return {
    ...app,
    adminToken,
    login: async ({ body = {}, headers = {} } = {}) => {
      const res = await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: user.username, ...body }, headers })
      expect(res.status).toBe(200)
      return res
    },
    saveSettings: (data) => app.payload.updateGlobal({ data: data as never, slug: 'rest-auth-settings' as never }),
    userId,
  }
}
