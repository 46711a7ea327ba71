import type { Page } from 'playwright-core'

import jsQR from 'jsqr'
import { TOTP } from 'otpauth'
import { PNG } from 'pngjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { TestBrowser } from '../helpers/browser.js'
import type { ProductionApp } from '../helpers/devServer.js'

import { launchBrowser, openDemo, screenshot } from '../helpers/browser.js'
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

/** What the QR code in an element's screenshot says. */
const readQrCode = (screenshot: Buffer): null | string => {
  const image = PNG.sync.read(screenshot)
  return jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data ?? null
}

/**
 * The demo SPA (dev/demo) in chromium against the production build of the dev app: a user enrols an
 * authenticator app on the Two-factor screen (the QR code the page draws is read back, and the secret
 * it shows feeds the test's own TOTP generator), sees the recovery codes, logs out, and logs in again
 * in two steps with a generated code. Then the admin: a staff user with an authenticator app logs in
 * on the admin's login screen, which asks for the code after the password.
 */
describe('two-factor authentication in the demo and the admin', () => {
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


  const logIn = async (page: Page) => {
    await openDemo(page, '/login')
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
    const totpUrl = (await page.textContent('[data-testid="totp-url"]'))!.trim()
    expect(totpUrl).toContain('otpauth://totp/')
    expect(totpUrl).toContain(`secret=${secret}`)
    // The QR code an app's camera would scan says exactly the URL.
    const qrCode = page.locator('[data-testid="totp-qr"]')
    await qrCode.waitFor()
    expect(readQrCode(await qrCode.screenshot())).toBe(totpUrl)
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
  it('a staff user with an authenticator app logs into the admin: the login screen asks for the code', async () => {
    const api = `${app.baseUrl}/api/dj-rest-auth`
    const key = (await call(`${api}/login/`, 'POST', { body: { password: PASSWORD, username: 'admin' } })).body.key as string
    const setup = await call(`${api}/mfa/totp/setup/`, 'POST', { body: {}, token: key })
    expect(setup.status, setup.text).toBe(200)
    const activated = await call(`${api}/mfa/totp/activate/`, 'POST', {
      body: { code: (await nextStepCode(setup.body.secret, -1)).code },
      token: key,
    })
    expect(activated.status, activated.text).toBe(200)
    const [recoveryCode] = activated.body.recovery_codes as string[]

    // Nobody logged in (the demo's user above still is, and Payload honours the plugin's credentials).
    await browser.context.clearCookies()
    const page = await browser.context.newPage()
    await page.goto('/admin/login')
    await page.waitForLoadState('networkidle')
    expect(await page.locator('#field-code').count()).toBe(0)
    await page.fill('#field-username', 'admin')
    await page.fill('#field-password', PASSWORD)
    await page.click('button[type="submit"]')
    // The password was right: the screen now asks for the second factor, where the cursor is.
    await page.getByText('Two-factor authentication required.').first().waitFor()
    await page.locator('#field-code').waitFor()
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('field-code')
    expect(page.url()).toMatch(/\/admin\/login/)
    await screenshot(page, 'admin-login-code')

    await page.fill('#field-code', '000000')
    await page.click('button[type="submit"]')
    await page.getByText('Incorrect code.').first().waitFor()
    expect(page.url()).toMatch(/\/admin\/login/)

    // A recovery code is a second factor too (the activation used this time step's TOTP code).
    await page.fill('#field-code', recoveryCode!)
    await page.click('button[type="submit"]')
    await page.waitForURL(/\/admin\/?$/, { timeout: 60_000 })
    await page.getByTestId('rest-auth-dashboard').waitFor()
    const unused = await call(`${api}/mfa/recovery-codes/`, 'GET', { token: key })
    expect(unused.body.unused_code_count).toBe(9)
    await page.close()
  })
})
