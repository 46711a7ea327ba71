import type { BrowserContext, Page } from 'playwright-core'

import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

/** Screenshots of the browser tests (git-ignored). */
export const screenshotDir = path.join(root, 'artifacts', 'screenshots')

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

export type Theme = 'dark' | 'light'

export type TestBrowser = {
  close: () => Promise<void>
  context: BrowserContext
  /** Payload's theme (its `payload-theme` cookie) and the page's colour scheme; reloads the page. */
  setTheme: (page: Page, theme: Theme) => Promise<void>
}

/** Debian's chromium, headless, in a fresh profile directory that is removed afterwards. */
export const launchBrowser = async ({ baseUrl }: { baseUrl: string }): Promise<TestBrowser> => {
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'rest-auth-chromium-'))
  const context = await chromium.launchPersistentContext(userDataDir, {
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    baseURL: baseUrl,
    colorScheme: 'light',
    executablePath: CHROMIUM,
    headless: true,
    viewport: { height: 900, width: 1400 },
  })
  return {
    close: async () => {
      await context.close()
      rmSync(userDataDir, { force: true, recursive: true })
    },
    context,
    setTheme: async (page, theme) => {
      await context.addCookies([{ name: 'payload-theme', url: baseUrl, value: theme }])
      await page.emulateMedia({ colorScheme: theme })
      await page.reload({ waitUntil: 'networkidle' })
    },
  }
}

export const screenshot = async (page: Page, name: string): Promise<string> => {
  mkdirSync(screenshotDir, { recursive: true })
  const file = path.join(screenshotDir, `${name}.png`)
  await page.screenshot({ fullPage: true, path: file })
  return file
}

/**
 * Opens a page of the demo SPA (dev/demo) and waits until it is ready to act on: rendered, and the
 * session restore it runs on load (GET user/, maybe token/refresh/) settled.
 */
export const openDemo = async (page: Page, path: string): Promise<void> => {
  await page.goto(`/demo${path}`)
  await page.waitForSelector('main[data-ready]')
  await page.waitForLoadState('networkidle')
}

/** Waits for the demo's notice line to say `text`. */
export const waitForNotice = async (page: Page, text: string): Promise<void> => {
  await page.waitForSelector(`[data-testid="notice"]:has-text("${text}")`, { timeout: 20_000 })
}
