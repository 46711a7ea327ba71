import type { Page } from 'playwright-core'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { TestBrowser } from '../helpers/browser.js'
import type { ProductionApp } from '../helpers/devServer.js'
import type { Mailbox } from '../helpers/smtp.js'

import { launchBrowser, openDemo, screenshot, waitForNotice } from '../helpers/browser.js'
import { call } from '../helpers/client.js'
import { codeIn, wrongCode } from '../helpers/codes.js'
import { startProductionApp } from '../helpers/devServer.js'
import { startMailbox } from '../helpers/smtp.js'

const PASSWORD = 'Xk9!pq2mZz'

/**
 * Login by a mailed code in the demo SPA (dev/demo), in Debian's chromium against the production
 * build of the dev app, with the mails delivered over SMTP: an account that never confirmed its
 * address logs in by typing the code (a wrong one first), and again through the mail's link, which
 * only fills the code in: the page posts it when the user clicks.
 */
describe('login by code in the demo, in a browser', () => {
  let app: ProductionApp
  let mailbox: Mailbox
  let browser: TestBrowser

  beforeAll(async () => {
    mailbox = await startMailbox()
    app = await startProductionApp({ env: { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(mailbox.port) } })
    browser = await launchBrowser({ baseUrl: app.baseUrl })
    const admin = { email: 'admin@example.com', password: PASSWORD, username: 'admin' }
    expect((await call(`${app.baseUrl}/api/users/first-register`, 'POST', { body: admin })).status).toBeLessThan(300)
    const adminToken = (await call(`${app.baseUrl}/api/users/login`, 'POST', { body: { password: PASSWORD, username: 'admin' } })).body.token
    const saved = await call(`${app.baseUrl}/api/globals/rest-auth-settings`, 'POST', {
      body: { accountEmailRequired: true, accountEmailVerification: 'mandatory', loginByCodeEnabled: true },
      headers: { authorization: `JWT ${adminToken}` },
    })
    expect(saved.status, saved.text).toBe(200)
    const signup = await call(`${app.baseUrl}/api/dj-rest-auth/registration/`, 'POST', {
      body: { email: 'cora@example.com', password1: PASSWORD, password2: PASSWORD, username: 'cora' },
    })
    expect(signup.status, signup.text).toBe(201)
  }, 600_000)

  afterAll(async () => {
    await browser?.close()
    await app?.close()
    await mailbox?.close()
  })

  const requestCode = async (page: Page) => {
    await openDemo(page, '/login')
    await page.click('text=Log in with a code by e-mail')
    const since = mailbox.messages.length
    await page.fill('input[name="email"]', 'cora@example.com')
    await page.click('button[type="submit"]')
    await waitForNotice(page, 'Check your mailbox')
    return mailbox.waitFor('cora@example.com', { since })
  }

  it('types the code from the mail (after a wrong one) and is logged in; the unconfirmed address is confirmed', async () => {
    const page = await browser.context.newPage()
    try {
      const mail = await requestCode(page)
      expect(mail.subject).toBe('[example.com] Sign-In Code')
      const code = codeIn(mail)
      await page.fill('input[name="code"]', wrongCode(code))
      await page.click('button[type="submit"]')
      await page.waitForSelector('[data-testid="errors-code"]:has-text("Incorrect code.")')
      await page.fill('input[name="code"]', code.toLowerCase())
      await page.click('button[type="submit"]')
      await waitForNotice(page, 'Logged in with your code.')
      expect(await page.textContent('[data-testid="user-username"]')).toBe('cora')
      expect(await page.textContent('[data-testid="mode"]')).toContain('mode: token')
      await screenshot(page, 'demo-code-login')
      // Mandatory verification: the code proved the address, so the password works now too.
      expect((await call(`${app.baseUrl}/api/dj-rest-auth/login/`, 'POST', { body: { password: PASSWORD, username: 'cora' } })).status).toBe(200)
      await page.click('nav >> text=Log out')
      await waitForNotice(page, 'Successfully logged out.')
    } finally {
      await page.close()
    }
  }, 180_000)

  it('the mail’s link opens the demo’s page with the code filled in; opening it uses nothing, the click logs in', async () => {
    const page = await browser.context.newPage()
    try {
      const mail = await requestCode(page)
      const link = /https?:\/\/\S+/.exec(mail.text ?? '')![0]
      expect(link).toBe(`${app.baseUrl}/demo/login/code/confirm/?code=${codeIn(mail)}`)
      // A mail scanner fetches the link first: a page, no API call.
      expect((await fetch(link)).status).toBe(200)
      await page.goto(link)
      await page.waitForSelector('main[data-ready]')
      expect(await page.inputValue('input[name="code"]')).toBe(codeIn(mail))
      await page.click('button[type="submit"]')
      await waitForNotice(page, 'Logged in with your code.')
      expect(await page.textContent('[data-testid="user-username"]')).toBe('cora')
    } finally {
      await page.close()
    }
  }, 180_000)
})
