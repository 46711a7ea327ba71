import type { Page } from 'playwright-core'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { TestBrowser, Theme } from '../helpers/browser.js'
import type { ProductionApp } from '../helpers/devServer.js'

import { launchBrowser, screenshot } from '../helpers/browser.js'
import { call } from '../helpers/client.js'
import { startProductionApp } from '../helpers/devServer.js'

const PASSWORD = 'Xk9!pq2mZz'

/**
 * The admin screens in Debian's chromium against the production build of the dev app: the first
 * admin created through the UI, a setting changed on the settings screen taking effect on the API
 * at once, and a token revoked from the user's page refused by the API. Keyboard only where it
 * matters; screenshots in light and dark mode go to artifacts/screenshots.
 */
describe('admin screens in a browser', () => {
  let app: ProductionApp
  let browser: TestBrowser
  let page: Page
  let api: string
  let annKey: string

  beforeAll(async () => {
    app = await startProductionApp()
    api = `${app.baseUrl}/api/dj-rest-auth`
    browser = await launchBrowser({ baseUrl: app.baseUrl })
    page = await browser.context.newPage()
    console.info(`admin browser test: build ${app.timings.buildMs} ms, database ${app.timings.databaseMs} ms, start ${app.timings.startMs} ms`)
  }, 900_000)

  afterAll(async () => {
    await browser?.close()
    await app?.close()
  })

  /** Light then dark (the reload drops unsaved edits: call it on saved pages only), back to light. */
  const screenshots = async (name: string, ready: () => Promise<unknown>) => {
    for (const theme of ['light', 'dark'] as Theme[]) {
      await browser.setTheme(page, theme)
      await ready()
      expect(await page.getAttribute('html', 'data-theme')).toBe(theme)
      await screenshot(page, `${name}-${theme}`)
    }
    await browser.setTheme(page, 'light')
    await ready()
  }

  /**
   * Payload's REST with the admin's cookie, as the admin's own pages call it: with their Origin. The
   * app has a serverURL, so Payload keeps a CSRF list and ignores the cookie of a request that has
   * neither Origin nor Sec-Fetch-Site (what playwright's request API sends by itself).
   */
  const adminRest = {
    get: (path: string) => page.request.get(path, { headers: { origin: app.baseUrl } }),
    post: (path: string, data: Record<string, unknown>) => page.request.post(path, { data, headers: { origin: app.baseUrl } }),
  }

  const waitForToast = (text: string | RegExp) => page.getByText(text).first().waitFor({ timeout: 20_000 })

  it('creates the first admin through the UI and shows the dashboard counts', async () => {
    await page.goto('/admin')
    await page.waitForURL(/\/admin\/create-first-user/)
    // Under load the form can be on screen before React has hydrated it; a click then does nothing.
    await page.waitForLoadState('networkidle')
    await page.fill('#field-email', 'admin@example.com')
    await page.fill('#field-username', 'admin')
    await page.fill('#field-password', PASSWORD)
    await page.fill('#field-confirm-password', PASSWORD)
    await page.click('button[type="submit"]')
    await page.waitForURL(/\/admin\/?$/, { timeout: 60_000 })
    const dashboard = page.getByTestId('rest-auth-dashboard')
    await dashboard.waitFor()
    expect(await dashboard.locator('[data-stat="stat-users"] dd').textContent()).toBe('1')
    expect(await dashboard.locator('[data-stat="stat-signups"] dd').textContent()).toBe('1')
    await screenshots('admin-dashboard', () => dashboard.waitFor())
  })

  it('turns USE_JWT on in the settings screen: the Set-Cookie preview follows, login answers with JWTs at once', async () => {
    const registered = await call(`${api}/registration/`, 'POST', {
      body: { email: 'ann@example.com', password1: PASSWORD, password2: PASSWORD, username: 'ann' },
    })
    expect(registered.status, registered.text).toBeLessThan(300)
    const before = await call(`${api}/login/`, 'POST', { body: { password: PASSWORD, username: 'ann' } })
    expect(Object.keys(before.body)).toEqual(['key'])
    annKey = before.body.key

    await page.goto('/admin/globals/rest-auth-settings')
    const jwtTab = page.getByRole('button', { name: 'JWT and cookies' })
    await jwtTab.focus()
    await page.keyboard.press('Enter')
    const preview = page.getByTestId('cookie-preview-jwt')
    await preview.waitFor()
    expect(await preview.textContent()).toContain('USE_JWT is off')
    expect(await preview.locator('code').count()).toBe(0)

    // Keyboard only: type the cookie name, toggle USE_JWT with the space bar.
    await page.focus('#field-jwtAuthCookie')
    await page.keyboard.type('app-auth')
    await page.focus('#field-useJwt')
    await page.keyboard.press('Space')
    await expect.poll(() => preview.locator('code').first().textContent(), { timeout: 10_000 }).toMatch(
      /^Set-Cookie: app-auth=ACCESS_TOKEN; expires=.+; HttpOnly; Max-Age=300; Path=\/; SameSite=Lax$/,
    )
    expect(await preview.textContent()).not.toContain('USE_JWT is off')
    await screenshot(page, 'admin-settings-jwt-editing-light')

    const saved = page.waitForResponse((r) => r.url().includes('/api/globals/rest-auth-settings') && r.request().method() === 'POST')
    await page.keyboard.press('Control+s')
    expect((await saved).status()).toBe(200)

    // The API answers in JWT form on the next request, without a restart.
    const after = await call(`${api}/login/`, 'POST', { body: { password: PASSWORD, username: 'ann' } })
    expect(after.status).toBe(200)
    expect(Object.keys(after.body).sort()).toEqual(['access', 'refresh', 'user'])
    expect(after.body.refresh).toBe('')
    expect(after.cookies.some((cookie) => cookie.startsWith('app-auth='))).toBe(true)

    // The endpoints tab reloads its list after the save: the token routes are now enabled.
    await page.getByRole('button', { name: 'Endpoints' }).click()
    const enabled = page.getByRole('table', { name: /^Enabled/ })
    await expect.poll(() => enabled.textContent(), { timeout: 10_000 }).toContain('/token/refresh/')
    expect(await enabled.textContent()).toContain(`${app.baseUrl}/api/dj-rest-auth/token/refresh/`)
    await screenshots('admin-settings-endpoints', () => page.getByTestId('rest-auth-endpoints').waitFor())
    await screenshots('admin-settings-jwt', async () => {
      await page.getByRole('button', { name: 'JWT and cookies' }).click()
      await preview.waitFor()
    })
    // The provider cards, once the settings table has a social group.
    const socialTab = page.getByRole('button', { name: 'Social providers' })
    if ((await socialTab.count()) > 0) {
      // A write-only secret, set from its own input (Enter), masked on the provider's card.
      await socialTab.click()
      const googleCard = page.getByTestId('provider-google')
      expect(await googleCard.textContent()).not.toContain('••••••••')
      await page.focus('#field-secret-googleSecret')
      await page.keyboard.type('google-client-secret')
      await page.keyboard.press('Enter')
      await waitForToast('Google secret saved.')
      await expect.poll(() => googleCard.textContent()).toContain('••••••••')
      expect(await page.content()).not.toContain('google-client-secret')
      await screenshots('admin-settings-social', async () => {
        await page.getByRole('button', { name: 'Social providers' }).click()
        await page.locator('[data-testid^="provider-"]').first().waitFor()
      })
    }
  })

  it('revokes a user’s token from the user’s page: the API refuses it at once', async () => {
    // Back to token mode: with USE_JWT on, only JWTs authenticate (dj-rest-auth's documented
    // authentication classes), and this is about opaque tokens.
    expect((await adminRest.post('/api/globals/rest-auth-settings', { useJwt: false })).status()).toBe(200)
    expect((await call(`${api}/user/`, 'GET', { token: annKey })).status).toBe(200)
    // A linked GitHub account, created the way an admin could in the Social accounts collection.
    const users = await adminRest.get('/api/users?where[username][equals]=ann&depth=0')
    const annId = (await users.json()).docs[0].id
    const linked = await adminRest.post('/api/social-accounts', { provider: 'github', uid: '4242', user: annId })
    expect(linked.status()).toBe(201)
    const me = await (await adminRest.get('/api/users/me')).json()
    expect((await adminRest.post('/api/social-accounts', { provider: 'google', uid: 'g-1', user: me.user.id })).status()).toBe(201)

    await page.goto('/admin/collections/users')
    const annRow = page.locator('tr', { has: page.getByRole('link', { name: 'ann', exact: true }) })
    expect(await annRow.textContent()).toContain('Unverified')
    expect(await annRow.textContent()).toContain('GitHub')
    // The plugin's columns by their translated labels, not Payload's words for the field names.
    const headings = (await page.locator('thead th').allTextContents()).map((text) => text.trim())
    expect(headings).toEqual(expect.arrayContaining(['E-mail verified', 'Social accounts', 'Active', 'Staff']))
    expect(headings.join(' ')).not.toMatch(/Is_active|Is_staff/)
    await page.getByRole('link', { name: 'ann', exact: true }).click()
    const panel = page.getByTestId('rest-auth-account')
    await panel.waitFor()
    const row = panel.locator(`tr[data-token-key="${annKey.slice(0, 8)}"]`)
    await row.waitFor()

    // Keyboard only: focus the row's Revoke button and press Enter.
    await row.getByRole('button', { name: /^Revoke API token/ }).focus()
    await page.keyboard.press('Enter')
    await row.waitFor({ state: 'detached', timeout: 20_000 })
    await waitForToast(`API token ${annKey.slice(0, 8)} revoked.`)
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('rest-auth-account-tokens')

    const refused = await call(`${api}/user/`, 'GET', { token: annKey })
    expect(refused.status).toBe(403)
    expect(refused.body).toEqual({ detail: 'Invalid token.' })

    // Mark the address verified, with the space bar this time; the list shows it.
    await panel.getByRole('button', { name: 'Mark verified: ann@example.com' }).focus()
    await page.keyboard.press('Space')
    await waitForToast('ann@example.com is verified.')
    await screenshots('admin-user-account', () => panel.waitFor())

    // Disconnect the GitHub account: Enter opens Payload's confirmation modal, Enter confirms.
    await panel.getByRole('button', { name: 'Disconnect: GitHub 4242' }).focus()
    await page.keyboard.press('Enter')
    const dialog = page.locator('.confirmation-modal')
    await dialog.getByText('Disconnect GitHub?').waitFor()
    await dialog.getByRole('button', { name: 'Disconnect' }).focus()
    await page.keyboard.press('Enter')
    await waitForToast('GitHub account disconnected.')
    await panel.getByText('No linked social account.').waitFor()

    await page.goto('/admin/collections/users')
    await expect.poll(() => annRow.textContent(), { timeout: 10_000 }).toContain('Verified')
    expect(await annRow.textContent()).not.toContain('Unverified')
    await screenshots('admin-users-list', () => annRow.waitFor())

    await page.goto('/admin')
    const dashboard = page.getByTestId('rest-auth-dashboard')
    await dashboard.waitFor()
    expect(await dashboard.locator('[data-stat="stat-users"] dd').textContent()).toBe('2')
    // ann, and the first admin, whose address first-register verified.
    expect(await dashboard.locator('[data-stat="stat-verified-users"] dd').textContent()).toBe('2')
    expect(await dashboard.locator('[data-provider="google"] dd').textContent()).toBe('1')
    await screenshots('admin-dashboard-later', () => dashboard.waitFor())
  })
})
