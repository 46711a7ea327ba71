import type { Page } from 'playwright-core'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { TestBrowser } from '../helpers/browser.js'
import type { ProductionApp } from '../helpers/devServer.js'
import type { MockApple, MockOpenIdProvider } from '../helpers/mockOpenIdProviders.js'

import { launchBrowser, openDemo, screenshot, waitForNotice } from '../helpers/browser.js'
import { call } from '../helpers/client.js'
import { startProductionApp } from '../helpers/devServer.js'
import { startMockApple, startMockOpenId } from '../helpers/mockOpenIdProviders.js'

const PASSWORD = 'Xk9!pq2mZz'

/**
 * The demo SPA in Debian's chromium against the production build of the dev app: an OpenID Connect
 * provider an admin added (a Keycloak stand-in, discovered from its issuer) logs a user in through
 * its button — consent, callback, code with PKCE and nonce — and Sign in with Apple answers with a
 * form POST that the dev app's proxy turns into the callback page.
 */
describe('OpenID Connect in the demo, in a browser', () => {
  let app: ProductionApp
  let browser: TestBrowser
  let adminToken: string
  let keycloak: MockOpenIdProvider
  let okta: MockOpenIdProvider
  let apple: MockApple

  beforeAll(async () => {
    ;[keycloak, okta, apple] = await Promise.all([startMockOpenId({ name: 'Keycloak' }), startMockOpenId({ name: 'Okta' }), startMockApple()])
    app = await startProductionApp()
    browser = await launchBrowser({ baseUrl: app.baseUrl })
    const admin = { email: 'admin@example.com', password: PASSWORD, username: 'admin' }
    const first = await call(`${app.baseUrl}/api/users/first-register`, 'POST', { body: admin })
    expect(first.status, first.text).toBeLessThan(300)
    adminToken = (await call(`${app.baseUrl}/api/users/login`, 'POST', { body: { password: PASSWORD, username: 'admin' } })).body.token
    keycloak.profiles.set('kim', { email: 'kim@example.com', email_verified: true, family_name: 'Ko', given_name: 'Kim', preferred_username: 'kimko', sub: 'kc-0001' })
    apple.profiles.set('ava', { email: 'x7k2m9q4dr@privaterelay.appleid.com', email_verified: 'true', is_private_email: 'true', name: { firstName: 'Ava', lastName: 'Stone' }, sub: '001234.abcdef.0001' })
    // The dev app's own callback URL for Apple ({origin}/demo/social/callback/apple/) stays.
    const { appleCallbackUrl: _callback, ...appleSettings } = apple.settings
    const saved = await call(`${app.baseUrl}/api/globals/rest-auth-settings`, 'POST', {
      body: {
        ...appleSettings,
        accountEmailVerification: 'optional',
        oidcProviders: [keycloak.row('keycloak', { callbackUrl: '{origin}/demo/social/callback/keycloak/' })],
      },
      headers: { authorization: `JWT ${adminToken}` },
    })
    expect(saved.status, saved.text).toBe(200)
  }, 600_000)

  afterAll(async () => {
    await browser?.close()
    await app?.close()
    await Promise.all([keycloak?.close(), okta?.close(), apple?.close()])
  })



  it('logs in through the OpenID Connect provider’s button, then through Apple’s form POST', async () => {
    const page = await browser.context.newPage()
    try {
      await openDemo(page, '/social')
      await page.waitForSelector('[data-testid="login-keycloak"]')
      expect(await page.locator('.providers button').allTextContents()).toEqual(['Log in with Apple', 'Log in with Keycloak'])
      // The {origin} callback URLs match the demo's pages: no hint to fix them.
      expect(await page.locator('.providers small').allTextContents()).toEqual([])

      await page.click('[data-testid="login-keycloak"]')
      await page.click('button:has-text("Continue as kim")')
      await waitForNotice(page, 'Logged in with Keycloak.')
      expect(await page.textContent('[data-testid="user-username"]')).toBe('kimko')
      const consent = keycloak.received.filter((request) => request.path === '/authorize' && request.method === 'POST').at(-1)!
      expect(consent.params.get('nonce')).toMatch(/^[\w-]{22}$/)
      expect(consent.params.get('code_challenge_method')).toBe('S256')
      const exchange = keycloak.received.filter((request) => request.path === '/token').at(-1)!
      expect(String(exchange.headers.authorization)).toMatch(/^Basic /)
      await screenshot(page, 'demo-oidc-keycloak')

      await page.click('nav >> text=Log out')
      await waitForNotice(page, 'Successfully logged out.')
      await openDemo(page, '/social')
      await page.click('[data-testid="login-apple"]')
      await page.click('button:has-text("Continue as ava")')
      // Apple's page posts itself to the callback; the proxy hands the fields to the page.
      await waitForNotice(page, 'Logged in with Apple.')
      expect(await page.textContent('[data-testid="user-username"]')).toBe('avastone')
      expect(await page.textContent('[data-testid="user-first_name"]')).toBe('Ava')
      expect(new URL(page.url()).hash).toBe('')
      const tokenRequest = apple.received.filter((request) => request.path === '/auth/token').at(-1)!
      expect(tokenRequest.params.get('redirect_uri')).toBe(`${app.baseUrl}/demo/social/callback/apple/`)
    } finally {
      await page.close()
    }
  }, 180_000)

  it('an admin adds an OpenID Connect provider on the settings screen and sets its secret in its row', async () => {
    okta.profiles.set('oli', { email: 'oli@example.com', email_verified: true, name: 'Oli Ma', preferred_username: 'oli', sub: '00u-oli' })
    // The demo's session (Ava's) would be the request's user before Payload's own cookie is looked at.
    await browser.context.clearCookies()
    const page = await browser.context.newPage()
    try {
      // Logged in to the admin as Payload's own login does it: its cookie in the browser's jar.
      expect((await page.request.post('/api/users/login', { data: { password: PASSWORD, username: 'admin' } })).status()).toBe(200)
      await page.goto('/admin/globals/rest-auth-settings')
      await page.waitForLoadState('networkidle')
      await page.getByRole('button', { name: 'Social providers' }).click()
      expect(await page.getByTestId('provider-keycloak').textContent()).toContain('Keycloak')
      await page.getByRole('button', { name: 'Add OpenID Connect provider' }).click()
      await page.fill('#field-oidcProviders__1__slug', 'okta')
      await page.fill('#field-oidcProviders__1__label', 'Okta')
      await page.fill('#field-oidcProviders__1__issuer', okta.issuer)
      await page.fill('#field-oidcProviders__1__clientId', okta.clientId)
      await page.fill('#field-oidcProviders__1__callbackUrl', '{origin}/demo/social/callback/okta/')
      await page.check('input[name="oidcProviders.1.enabled"]')
      // The row's card follows the form; its secret waits for the row to be saved.
      const card = page.getByTestId('provider-okta')
      await expect.poll(() => card.textContent()).toContain(okta.clientId)
      const secret = page.locator('[data-testid^="secret-oidcProviders."]').nth(1)
      expect(await secret.textContent()).toContain('Save the provider first')
      const saved = page.waitForResponse((r) => r.url().includes('/api/globals/rest-auth-settings') && r.request().method() === 'POST')
      await page.keyboard.press('Control+s')
      expect((await saved).status()).toBe(200)

      await page.reload()
      await page.waitForLoadState('networkidle')
      await page.getByRole('button', { name: 'Social providers' }).click()
      const input = page.locator('[data-testid^="secret-oidcProviders."]').nth(1).locator('input[type="password"]')
      await input.fill(okta.secret)
      await input.press('Enter')
      await page.getByText('Secret saved.').first().waitFor({ timeout: 20_000 })
      await expect.poll(() => page.getByTestId('provider-okta').textContent()).toContain('••••••••')
      expect(await page.content()).not.toContain(okta.secret)
      await screenshot(page, 'admin-settings-oidc-providers')
    } finally {
      await page.close()
    }
    // The provider works with what the admin typed, its secret included.
    const api = `${app.baseUrl}/api/dj-rest-auth`
    expect(((await call(`${api}/social/providers/`, 'GET')).body as { provider: string }[]).map((entry) => entry.provider)).toContain('okta')
    const login = await call(`${api}/okta/`, 'POST', { body: { code: okta.issueCode('oli', { redirectUri: `${app.baseUrl}/demo/social/callback/okta/` }) } })
    expect(login.status, login.text).toBe(200)
  }, 180_000)
})
