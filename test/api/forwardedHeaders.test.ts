import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'

import type { MockProviders } from '../helpers/mockProviders.js'
import type { TestApp } from '../helpers/server.js'
import type { Mailbox } from '../helpers/smtp.js'

import { call } from '../helpers/client.js'
import { testDatabases } from '../helpers/database.js'
import { startMockProviders } from '../helpers/mockProviders.js'
import { startTestApp } from '../helpers/server.js'
import { linkIn, startMailbox } from '../helpers/smtp.js'
import { createUser } from '../helpers/users.js'

const FORGED = { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' }

/** Runs `fn` as a production server would (NODE_ENV=production), then restores the environment. */
const inProduction = async <T>(fn: () => Promise<T>): Promise<T> => {
  const env = process.env as Record<string, string | undefined>
  const previous = env.NODE_ENV
  env.NODE_ENV = 'production'
  try {
    return await fn()
  } finally {
    env.NODE_ENV = previous
  }
}

/**
 * Forwarded headers are believed only from trusted proxies (trustedProxyCount, trustedProxies;
 * default: none), and links that leave the request — mails, provider callbacks — come from
 * serverURL, never from a header in production.
 */
describe.each(testDatabases())('forwarded headers on %s', (db) => {
  let mocks: MockProviders
  let mailbox: Mailbox

  beforeAll(async () => {
    mocks = await startMockProviders()
    mailbox = await startMailbox()
  })
  afterAll(async () => {
    await mocks?.close()
    await mailbox?.close()
  })

  describe('without serverURL', () => {
    let app: TestApp
    const errors: string[] = []
    const save = (data: Record<string, unknown>) => app.payload.updateGlobal({ data: data as never, slug: 'rest-auth-settings' as never })
    const callbackOf = async (headers: Record<string, string>) => {
      const res = await call(`${app.url}/social/providers/`, 'GET', { headers })
      expect(res.status, res.text).toBe(200)
      return (res.body as { callback_url: string; provider: string }[]).find((p) => p.provider === 'google')!.callback_url
    }
    const twitterCallbackSent = () => String(mocks.twitter.received.filter((r) => r.path === '/oauth/request_token').at(-1)!.headers.authorization)

    beforeAll(async () => {
      app = await startTestApp({
        config: { email: mailbox.adapter },
        db,
        plugin: {
          settings: {
            ...mocks.settings(),
            googleCallbackUrl: '{origin}/social/callback/google/',
            passwordResetConfirmUrl: '{origin}/reset/{uid}/{token}/',
            twitterCallbackUrl: '{origin}/social/callback/twitter/',
          } as never,
        },
      })
      await createUser(app.payload, { email: 'pat@example.com', username: 'pat' })
      vi.spyOn(app.payload.logger, 'error').mockImplementation(((entry: { msg?: string }) => {
        errors.push(String(entry?.msg))
      }) as never)
    })
    afterAll(async () => app?.close())
    afterEach(() => save({ trustedProxies: '', trustedProxyCount: 0 }))

    it('a forged X-Forwarded-Host steers neither a callback URL nor an OAuth 1.0a request token', async () => {
      const own = new URL(app.apiUrl).host
      expect(await callbackOf(FORGED)).toBe(`http://${own}/social/callback/google/`)
      const started = await call(`${app.url}/twitter/request_token/`, 'POST', { headers: FORGED })
      expect(started.status, started.text).toBe(200)
      expect(twitterCallbackSent()).toContain(`oauth_callback="${encodeURIComponent(`http://${own}/social/callback/twitter/`)}"`)
      // A proxy the settings trust may say where the client came in.
      await save({ trustedProxies: '127.0.0.1' })
      expect(await callbackOf(FORGED)).toBe('https://evil.example/social/callback/google/')
    })

    it('a forged X-Forwarded-Host never reaches a mailed link', async () => {
      const since = mailbox.messages.length
      const res = await call(`${app.url}/password/reset/`, 'POST', { body: { email: 'pat@example.com' }, headers: FORGED })
      expect(res.status).toBe(200)
      expect(linkIn(await mailbox.waitFor('pat@example.com', { since }))).toMatch(new RegExp(`^http://${new URL(app.apiUrl).host}/reset/`))
    })

    it('in production, links from the request are refused with a clear log line', async () => {
      const since = mailbox.messages.length
      errors.length = 0
      await inProduction(async () => {
        const reset = await call(`${app.url}/password/reset/`, 'POST', { body: { email: 'pat@example.com' } })
        expect(reset.status).toBe(200)
        expect(reset.body).toEqual({ detail: 'Password reset e-mail has been sent.' })
        for (const path of ['social/providers/', 'twitter/request_token/']) {
          const refused = await call(`${app.url}/${path}`, path.startsWith('social') ? 'GET' : 'POST')
          expect(refused.status).toBe(503)
          expect(refused.body).toEqual({ detail: "Social login is unavailable: this site's address (serverURL) is not configured." })
        }
        // The mail is prepared after the answer.
        await vi.waitFor(() =>
          expect(errors).toContain(
            "payload-rest-auth: refused to build the password reset link from the request's Host header in production; set serverURL in the Payload config (or a URL without {origin} in the settings).",
          ),
        )
      })
      expect(errors.some((line) => line.includes('refused to build the Google callback URL'))).toBe(true)
      await expect(mailbox.waitFor('pat@example.com', { since, timeoutMs: 1000 })).rejects.toThrow()
      // A template without {origin} needs no origin at all.
      await save({ passwordResetConfirmUrl: 'https://app.example.com/reset/{uid}/{token}/' })
      try {
        await inProduction(async () => {
          await call(`${app.url}/password/reset/`, 'POST', { body: { email: 'pat@example.com' } })
          expect(linkIn(await mailbox.waitFor('pat@example.com', { since }))).toMatch(/^https:\/\/app\.example\.com\/reset\//)
        })
      } finally {
        await save({ passwordResetConfirmUrl: '{origin}/reset/{uid}/{token}/' })
      }
    })
  })

  describe('with serverURL', () => {
    let app: TestApp
    beforeAll(async () => {
      app = await startTestApp({
        config: { email: mailbox.adapter, serverURL: 'https://auth.example.com' },
        db,
        plugin: { settings: { ...mocks.settings(), googleCallbackUrl: '{origin}/social/callback/google/' } as never },
      })
      await createUser(app.payload, { email: 'sam@example.com', username: 'sam' })
    })
    afterAll(async () => app?.close())

    it('mails and callbacks use it in production, whatever the headers say', async () => {
      const since = mailbox.messages.length
      await inProduction(async () => {
        const res = await call(`${app.url}/password/reset/`, 'POST', { body: { email: 'sam@example.com' }, headers: { ...FORGED, host: 'evil.example' } })
        expect(res.status).toBe(200)
        const providers = await call(`${app.url}/social/providers/`, 'GET', { headers: FORGED })
        expect(providers.body.find((p: { provider: string }) => p.provider === 'google').callback_url).toBe('https://auth.example.com/social/callback/google/')
        expect(linkIn(await mailbox.waitFor('sam@example.com', { since }))).toMatch(/^https:\/\/auth\.example\.com\/password-reset\/confirm\//)
      })
    })
  })
})
