import type { Page } from 'playwright-core'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { TestBrowser } from '../helpers/browser.js'
import type { ProductionApp } from '../helpers/devServer.js'
import type { MockProviders } from '../helpers/mockProviders.js'
import type { Mailbox } from '../helpers/smtp.js'

import { launchBrowser, openDemo, screenshot, waitForNotice } from '../helpers/browser.js'
import { call } from '../helpers/client.js'
import { startProductionApp } from '../helpers/devServer.js'
import { startMockProviders } from '../helpers/mockProviders.js'
import { linkIn, startMailbox } from '../helpers/smtp.js'

const PASSWORD = 'Xk9!pq2mZz'
const NEW_PASSWORD = 'Qw7#rt5nLp'

/**
 * The demo SPA (dev/demo) in Debian's chromium against the production build of the dev app, with
 * mails delivered over SMTP: sign-up → confirm from the mail → log in → edit details → change
 * password → log out → reset from the mail → log in again, in token mode and in JWT HttpOnly-cookie mode;
 * then social login, connect and disconnect through the buttons, against mock providers on loopback.
 */
describe('demo client in a browser', () => {
  let app: ProductionApp
  let mailbox: Mailbox
  let browser: TestBrowser
  let adminToken: string
  let mocks: MockProviders

  beforeAll(async () => {
    mocks = await startMockProviders()
    mailbox = await startMailbox()
    app = await startProductionApp({ env: { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(mailbox.port) } })
    browser = await launchBrowser({ baseUrl: app.baseUrl })
    const admin = { email: 'admin@example.com', password: PASSWORD, username: 'admin' }
    const first = await call(`${app.baseUrl}/api/users/first-register`, 'POST', { body: admin })
    expect(first.status, first.text).toBeLessThan(300)
    adminToken = (await call(`${app.baseUrl}/api/users/login`, 'POST', { body: { password: PASSWORD, username: 'admin' } })).body.token
  }, 600_000)

  afterAll(async () => {
    await browser?.close()
    await app?.close()
    await mailbox?.close()
    await mocks?.close()
  })

  const saveSettings = async (data: Record<string, unknown>) => {
    const res = await call(`${app.baseUrl}/api/globals/rest-auth-settings`, 'POST', { body: data, headers: { authorization: `JWT ${adminToken}` } })
    expect(res.status, res.text).toBe(200)
  }


  const fill = async (page: Page, values: Record<string, string>) => {
    for (const [name, value] of Object.entries(values)) {
      await page.fill(`input[name="${name}"]`, value)
    }
    await page.click('button[type="submit"]')
  }


  const walkEveryFlow = async (name: string, mode: RegExp) => {
    const username = `${name}user`
    const email = `${name}@example.com`
    await browser.context.clearCookies()
    const page = await browser.context.newPage()
    try {
      // Sign up, with a field error first.
      await openDemo(page, '/signup')
      let since = mailbox.messages.length
      await fill(page, { email, password1: '12345678', password2: '12345678', username })
      await page.waitForSelector('[data-testid="errors-password1"]')
      expect(await page.textContent('[data-testid="errors-password1"]')).toContain('This password is too common.')
      await fill(page, { password1: PASSWORD, password2: PASSWORD })
      await waitForNotice(page, 'Check your mailbox')

      // Log in before confirming: the API's non-field error shows above the form.
      await openDemo(page, '/login')
      await fill(page, { password: PASSWORD, username })
      await page.waitForSelector('[data-testid="form-errors"]')
      expect(await page.textContent('[data-testid="form-errors"]')).toContain('E-mail is not verified.')

      // Confirm from the delivered mail: the link opens the demo's page, which posts the key.
      const confirmLink = linkIn(await mailbox.waitFor(email, { since }))
      expect(confirmLink).toContain('/demo/account-confirm-email/')
      await page.goto(confirmLink)
      await waitForNotice(page, 'Your e-mail address is confirmed')

      // Log in, see and edit the details.
      await openDemo(page, '/login')
      await fill(page, { password: PASSWORD, username })
      await page.waitForSelector('[data-testid="user-details"]')
      expect(await page.textContent('[data-testid="mode"]')).toMatch(mode)
      await page.fill('input[name="first_name"]', 'Ada')
      await page.click('button[type="submit"]')
      await page.waitForSelector('[data-testid="user-first_name"]:has-text("Ada")')
      await screenshot(page, `demo-${name}-account`)

      // Change the password.
      await openDemo(page, '/password-change')
      await page.waitForSelector('text=Logged in as')
      await fill(page, { new_password1: NEW_PASSWORD, new_password2: NEW_PASSWORD })
      await waitForNotice(page, 'New password has been saved.')

      // Log out.
      await page.click('nav >> text=Log out')
      await waitForNotice(page, 'Successfully logged out.')
      await openDemo(page, '/profile')
      await page.waitForSelector('text=You are not logged in.')

      // Reset the password from the mail, then log in with it.
      await openDemo(page, '/password-reset')
      since = mailbox.messages.length
      await fill(page, { email })
      await waitForNotice(page, 'Password reset e-mail has been sent.')
      const resetLink = linkIn(await mailbox.waitFor(email, { since }))
      expect(resetLink).toContain('/demo/password-reset/confirm/')
      await page.goto(resetLink)
      await page.waitForSelector('main[data-ready]')
      await fill(page, { new_password1: PASSWORD, new_password2: PASSWORD })
      await waitForNotice(page, 'Password has been reset with the new password.')
      await openDemo(page, '/login')
      await fill(page, { password: PASSWORD, username })
      await page.waitForSelector('[data-testid="user-details"]')
      expect(await page.textContent('[data-testid="user-first_name"]')).toBe('Ada')
      await screenshot(page, `demo-${name}-done`)
    } finally {
      await page.close()
    }
  }

  it('walks every flow in token mode', async () => {
    await saveSettings({ accountAuthenticationMethod: 'username', accountEmailRequired: true, accountEmailVerification: 'mandatory' })
    await walkEveryFlow('token', /mode: token/)
  }, 180_000)

  it('walks every flow in JWT HttpOnly-cookie mode, refreshing silently', async () => {
    await saveSettings({
      jwtAuthCookie: 'app-auth',
      jwtAuthHttpOnly: true,
      jwtAuthRefreshCookie: 'app-refresh',
      sessionLogin: false,
      useJwt: true,
    })
    await walkEveryFlow('jwt', /mode: jwt-cookie/)
    // With 3-second access tokens, a reload after they expired still shows the account: the SPA
    // refreshed through token/refresh/ with the HttpOnly refresh cookie. (Only this part runs with
    // such short tokens: under load, a whole walk's requests can each outlast them.)
    await saveSettings({ accessTokenLifetime: 3 })
    const page = await browser.context.newPage()
    await openDemo(page, '/login')
    await fill(page, { password: PASSWORD, username: 'jwtuser' })
    await page.waitForSelector('[data-testid="user-details"]')
    const cookies = await browser.context.cookies()
    expect(cookies.find((c) => c.name === 'app-refresh')?.httpOnly).toBe(true)
    await page.waitForTimeout(4000)
    await openDemo(page, '/profile')
    await page.waitForSelector('[data-testid="user-username"]:has-text("jwtuser")')
    await page.close()
  }, 180_000)

  it('logs in, connects and disconnects social accounts through the provider buttons', async () => {
    mocks.google.profiles.set('ann', { email: 'ann@example.com', email_verified: true, name: 'Ann Lee', sub: '108000000000000000001' })
    mocks.github.profiles.set('gus', { email: null, id: 5550001, login: 'gus-hub', name: 'Gus Grey' })
    mocks.github.emails.set('gus', [{ email: 'gus@example.com', primary: true, verified: true, visibility: 'private' }])
    mocks.twitter.profiles.set('tia', { id_str: '1234567890123456789', name: 'Tia Tan', screen_name: 'tia_t' })
    mocks.facebook.profiles.set('fred', { email: 'fred@example.com', id: '10160000000000001', name: 'Fred Fox' })
    // The dev app's callback URLs ({origin}/demo/social/callback/<provider>/) stay as they are.
    const providerSettings = Object.fromEntries(Object.entries(mocks.settings()).filter(([key]) => !key.endsWith('CallbackUrl')))
    await saveSettings({ ...providerSettings, accountEmailVerification: 'optional', sessionLogin: true, useJwt: false })
    await browser.context.clearCookies()
    const page = await browser.context.newPage()
    const consent = async (button: string, choice: string) => {
      await page.click(`[data-testid="${button}"]`)
      await page.waitForSelector(`button:has-text("${choice}")`)
      await page.click(`button:has-text("${choice}")`)
    }
    const linked = async () => (await page.locator('[data-testid="social-accounts"] li').allTextContents()).map((text) => text.split(':')[0])
    try {
      // Anonymous: one login button per enabled provider, no callback hint (the {origin} URLs match).
      await openDemo(page, '/social')
      await page.waitForSelector('[data-testid="login-google"]')
      const buttons = await page.locator('.providers button').allTextContents()
      expect(buttons).toEqual(['Log in with Facebook', 'Log in with Google', 'Log in with GitHub', 'Log in with Twitter'])
      expect(await page.locator('.providers small').allTextContents()).toEqual([])

      // Google: the consent page, back to the callback page, which posts the code with PKCE.
      await consent('login-google', 'Continue as ann')
      await waitForNotice(page, 'Logged in with Google.')
      expect(await page.textContent('[data-testid="user-username"]')).toBe('ann')
      expect(mocks.google.authorizations.at(-1)!.challenge).toMatch(/^[\w-]{43}$/)
      expect(mocks.google.tokenRequests().at(-1)!.params.get('code_verifier')).toMatch(/^[\w-]{43}$/)

      // Connect GitHub (OAuth 2) and Twitter (OAuth 1.0a through twitter/request_token/).
      await page.click('nav >> text=Social accounts')
      await page.waitForSelector('[data-testid="connect-github"]')
      await consent('connect-github', 'Continue as gus')
      await waitForNotice(page, 'Connected your GitHub account.')
      await page.waitForSelector('[data-testid="account-github"]')
      await consent('connect-twitter', 'Continue as tia')
      await waitForNotice(page, 'Connected your Twitter account.')
      await page.waitForSelector('[data-testid="account-twitter"]')
      expect((await linked()).sort()).toEqual(['github', 'google', 'twitter'])
      await screenshot(page, 'demo-social-accounts')

      // Disconnect GitHub.
      await page.click('[data-testid="account-github"] >> text=Disconnect')
      await page.waitForSelector('[data-testid="account-github"]', { state: 'detached' })
      expect((await linked()).sort()).toEqual(['google', 'twitter'])

      // Log out, log in with the connected Twitter account: the same user.
      await page.click('nav >> text=Log out')
      await waitForNotice(page, 'Successfully logged out.')
      await openDemo(page, '/social')
      await consent('login-twitter', 'Continue as tia')
      await waitForNotice(page, 'Logged in with Twitter.')
      expect(await page.textContent('[data-testid="user-username"]')).toBe('ann')

      // A cancelled consent shows the provider's reason; a replayed callback is refused.
      await page.click('nav >> text=Log out')
      await waitForNotice(page, 'Successfully logged out.')
      await openDemo(page, '/social')
      await consent('login-facebook', 'Cancel')
      await page.waitForSelector('[data-testid="social-errors"]:has-text("The user denied access.")')
      await openDemo(page, '/social')
      await consent('login-facebook', 'Continue as fred')
      await waitForNotice(page, 'Logged in with Facebook.')
      expect(await page.textContent('[data-testid="user-username"]')).toBe('fred')
      await page.goto('/demo/social/callback/facebook/?code=4%2Fstale&state=forged')
      await page.waitForSelector('[data-testid="social-errors"]:has-text("not started here")')

      // In JWT HttpOnly-cookie mode the same button logs in with cookies.
      await page.click('nav >> text=Log out')
      await waitForNotice(page, 'Successfully logged out.')
      await saveSettings({ jwtAuthCookie: 'app-auth', jwtAuthHttpOnly: true, jwtAuthRefreshCookie: 'app-refresh', sessionLogin: false, useJwt: true })
      await browser.context.clearCookies()
      await openDemo(page, '/social')
      await consent('login-google', 'Continue as ann')
      await waitForNotice(page, 'Logged in with Google.')
      expect(await page.textContent('[data-testid="mode"]')).toMatch(/Logged in as ann · mode: jwt-cookie/)
      expect((await browser.context.cookies()).find((c) => c.name === 'app-auth')?.httpOnly).toBe(true)
    } finally {
      await page.close()
    }
  }, 180_000)
})
