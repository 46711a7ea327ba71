import type { Page } from 'playwright-core'

import { TOTP } from 'otpauth'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { TestBrowser } from '../helpers/browser.js'
import type { ProductionApp } from '../helpers/devServer.js'

import { launchBrowser, screenshot } from '../helpers/browser.js'
import { call } from '../helpers/client.js'
import { startProductionApp } from '../helpers/devServer.js'

const PASSWORD = 'Xk9!pq2mZz'

/** The code of the time step after the one `used`, once that step has begun (each step works once). */
const nextStepCode = async (secret: string, used: number): Promise<{ code: string; step: number }> => {
  const totp = new TOTP({ secret })
  while (totp.counter() <= used) {
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
  return { code: totp.generate(), step: totp.counter() }
}

/**
 * The demo SPA (dev/demo) in chromium against the production build of the dev app: a user enrols an
 * authenticator app on the Two-factor screen (the secret the page shows feeds the test's own TOTP
 * generator), sees the recovery codes, logs out, and logs in again in two steps with a generated code.
 */
describe('two-factor authentication in the demo', () => {
  let app: ProductionApp
  let browser: TestBrowser

  beforeAll(async () => {
    app = await startProductionApp()
    browser = await launchBrowser({ baseUrl: app.baseUrl })
    const admin = { email: 'admin@example.com', password: PASSWORD, username: 'admin' }
    expect((await call(`${app.baseUrl}/api/users/first-register`, 'POST', { body: admin })).status).toBeLessThan(300)
    const adminToken = (await call(`${app.baseUrl}/api/users/login`, 'POST', { body: { password: PASSWORD, username: 'admin' } })).body.token
    const asAdmin = { headers: { authorization: `JWT ${adminToken}` } }
    const signUp = await call(`${app.baseUrl}/api/dj-rest-auth/registration/`, 'POST', {
      body: { email: 'tia@example.com', password1: PASSWORD, password2: PASSWORD, username: 'tia' },
    })
    expect(signUp.status, signUp.text).toBeLessThan(300)
    // Enrolment needs a verified address: the admin marks it, as the account panel's button does.
    const address = (await call(`${app.baseUrl}/api/email-addresses?where[email][equals]=tia@example.com&depth=0`, 'GET', asAdmin)).body.docs[0]
    const verified = await call(`${app.baseUrl}/api/dj-rest-auth/admin/users/${address.user}/email-addresses/${address.id}/verify/`, 'POST', asAdmin)
    expect(verified.status, verified.text).toBe(200)
  }, 900_000)

  afterAll(async () => {
    await browser?.close()
    await app?.close()
  })

  const open = async (page: Page, path: string) => {
    await page.goto(`/demo${path}`)
    await page.waitForSelector('main[data-ready]')
    await page.waitForLoadState('networkidle')
  }

  const logIn = async (page: Page) => {
    await open(page, '/login')
    await page.fill('input[name="username"]', 'tia')
    await page.fill('input[name="password"]', PASSWORD)
    await page.click('button[type="submit"]')
  }

  it('enrols an authenticator app, then logs in with a generated code', async () => {
    const page = await browser.context.newPage()
    await logIn(page)
    await page.waitForSelector('[data-testid="user-details"]')

    await page.click('nav >> text=Two-factor')
    await page.waitForSelector('[data-testid="mfa-status"]:has-text("off")')
    await page.click('text=Set up an authenticator app')
    const secret = (await page.textContent('[data-testid="totp-secret"]'))!.trim()
    expect(await page.textContent('[data-testid="totp-url"]')).toContain('otpauth://totp/')
    const first = await nextStepCode(secret, -1)
    await page.fill('input[name="code"]', first.code)
    await page.click('button[type="submit"]')
    await page.waitForSelector('[data-testid="recovery-codes"] li')
    expect(await page.locator('[data-testid="recovery-codes"] li').count()).toBe(10)
    await page.waitForSelector('[data-testid="mfa-status"]:has-text("10 recovery codes left")')
    await screenshot(page, 'demo-mfa-enrolled')

    await page.click('nav >> text=Log out')
    await page.waitForSelector('[data-testid="notice"]:has-text("Successfully logged out.")')
    await logIn(page)
    await page.waitForSelector('[data-testid="notice"]:has-text("Enter the code from your authenticator app")')
    // The activation used its step: the login waits for the next one.
    const second = await nextStepCode(secret, first.step)
    await page.fill('input[name="code"]', second.code)
    await page.click('button[type="submit"]')
    await page.waitForSelector('[data-testid="user-details"]')
    expect(await page.textContent('[data-testid="mode"]')).toContain('Logged in as tia')
    await screenshot(page, 'demo-mfa-logged-in')
    await page.close()
  })
})
