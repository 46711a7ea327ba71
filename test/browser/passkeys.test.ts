import type { CDPSession, Page } from 'playwright-core'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { TestBrowser } from '../helpers/browser.js'
import type { ProductionApp } from '../helpers/devServer.js'

import { launchBrowser, openDemo, screenshot } from '../helpers/browser.js'
import { call } from '../helpers/client.js'
import { startProductionApp } from '../helpers/devServer.js'

const PASSWORD = 'Xk9!pq2mZz'

/**
 * Passkeys in the demo (dev/demo/Passkeys.tsx, @simplewebauthn/browser) in Debian's chromium with
 * the DevTools virtual authenticator (CTAP2, internal transport, resident keys, user verification):
 * a user registers a passkey on the Passkeys page, logs out, and logs in with it alone. The page is
 * opened as http://localhost:<port> — WebAuthn refuses IP addresses as RP IDs — so the RP ID and
 * origin are set for that host (the server's serverURL names 127.0.0.1).
 */
describe('passkeys in the demo, with a virtual authenticator', () => {
  let app: ProductionApp
  let browser: TestBrowser
  let origin: string

  beforeAll(async () => {
    app = await startProductionApp()
    origin = app.baseUrl.replace('127.0.0.1', 'localhost')
    const admin = { email: 'admin@example.com', password: PASSWORD, username: 'admin' }
    const first = await call(`${app.baseUrl}/api/users/first-register`, 'POST', { body: admin })
    expect(first.status, first.text).toBeLessThan(300)
    const adminToken = (await call(`${app.baseUrl}/api/users/login`, 'POST', { body: { password: PASSWORD, username: 'admin' } })).body.token
    const asAdmin = { authorization: `JWT ${adminToken}`, origin: app.baseUrl }
    const settings = await call(`${app.baseUrl}/api/globals/rest-auth-settings`, 'POST', {
      body: { webauthnEnabled: true, webauthnLoginEnabled: true, webauthnOrigins: origin, webauthnRpId: 'localhost' },
      headers: asAdmin,
    })
    expect(settings.status, settings.text).toBe(200)
    // A user whose address is verified (passkeys need it), made by the admin.
    const user = await call(`${app.baseUrl}/api/users`, 'POST', { body: { email: 'pia@example.com', password: PASSWORD, username: 'pia' }, headers: asAdmin })
    expect(user.status, user.text).toBe(201)
    const addresses = await call(`${app.baseUrl}/api/email-addresses?where[user][equals]=${user.body.doc.id}`, 'GET', { headers: asAdmin })
    const verified = await call(`${app.baseUrl}/api/email-addresses/${addresses.body.docs[0].id}`, 'PATCH', { body: { verified: true }, headers: asAdmin })
    expect(verified.status, verified.text).toBe(200)
    browser = await launchBrowser({ baseUrl: origin })
  }, 900_000)

  afterAll(async () => {
    await browser?.close()
    await app?.close()
  })


  const addVirtualAuthenticator = async (cdp: CDPSession): Promise<string> => {
    await cdp.send('WebAuthn.enable')
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        automaticPresenceSimulation: true,
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        protocol: 'ctap2',
        transport: 'internal',
      },
    })
    return authenticatorId
  }

  it('registers a passkey on the Passkeys page and logs in with it alone', async () => {
    const page = await browser.context.newPage()
    const errors: string[] = []
    page.on('pageerror', (err) => errors.push(err.message))
    try {
      const cdp = await browser.context.newCDPSession(page)
      const authenticatorId = await addVirtualAuthenticator(cdp)

      await openDemo(page, '/login')
      await page.fill('input[name="username"]', 'pia')
      await page.fill('input[name="password"]', PASSWORD)
      await page.click('button[type="submit"]')
      await page.waitForSelector('[data-testid="mode"]:has-text("Logged in as pia")')

      await openDemo(page, '/passkeys')
      await page.waitForSelector('text=You have no passkey yet.')
      await page.fill('input[name="passkey-name"]', 'Chromium')
      await page.click('[data-testid="add-passkey"]')
      await page.waitForSelector('[data-testid="passkey-message"]:has-text("Passkey \\"Chromium\\" added.")', { timeout: 20_000 })
      await page.waitForSelector('[data-testid="passkey"]:has-text("Chromium (passwordless)")')
      const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId })
      expect(credentials).toHaveLength(1)
      expect(credentials[0]).toMatchObject({ isResidentCredential: true, rpId: 'localhost' })
      await screenshot(page, 'passkeys-registered')

      await page.click('nav >> text=Log out')
      await page.waitForSelector('[data-testid="notice"]:has-text("Successfully logged out.")')
      await openDemo(page, '/login')
      await page.click('[data-testid="passkey-login"]')
      await page.waitForSelector('[data-testid="notice"]:has-text("Logged in with your passkey.")', { timeout: 20_000 })
      await page.waitForSelector('[data-testid="mode"]:has-text("Logged in as pia")')
      await page.waitForSelector('[data-testid="user-username"]:has-text("pia")')
      const after = await cdp.send('WebAuthn.getCredentials', { authenticatorId })
      expect(after.credentials[0]!.signCount).toBeGreaterThan(credentials[0]!.signCount)
      await screenshot(page, 'passkeys-logged-in')

      // The passkey shows its use; deleting it leaves nothing to log in with.
      await openDemo(page, '/passkeys')
      await page.waitForSelector('[data-testid="passkey"]:not(:has-text("last used never"))')
      await page.click('[data-testid="delete-passkey-Chromium"]')
      await page.waitForSelector('text=You have no passkey yet.')
      await page.click('nav >> text=Log out')
      await page.waitForSelector('[data-testid="notice"]:has-text("Successfully logged out.")')
      await openDemo(page, '/login')
      await page.click('[data-testid="passkey-login"]')
      await page.waitForSelector('[data-testid="passkey-login-errors"]:has-text("Unable to log in with provided credentials.")', { timeout: 20_000 })
      expect(errors).toEqual([])
    } catch (err) {
      await screenshot(page, 'passkeys-failure').catch(() => undefined)
      throw new Error(`${String(err)}\n--- server output ---\n${app.output().slice(-4000)}`)
    } finally {
      await page.close()
    }
  }, 300_000)
})
