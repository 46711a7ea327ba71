import type { Page } from 'playwright-core'

import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'

import type { TestBrowser } from '../helpers/browser.js'
import type { PackedHost } from '../helpers/packedHost.js'

import { launchBrowser, screenshot } from '../helpers/browser.js'
import { call } from '../helpers/client.js'
import { startPackedHost } from '../helpers/packedHost.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const PASSWORD = 'Xk9!pq2mZz'

const stylesheetsOf = (dir: string): string[] =>
  readdirSync(path.join(root, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.css'))
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)))

/**
 * payload-rest-auth as a user gets it: `npm pack`, installed into a copy of test/host-app (a Payload
 * app with its own `users` collection and extra fields, and a second auth collection `customers`;
 * no path into src/), its import map and types generated, `tsc` over the app, `next build`, the
 * migrations made and run, `next start`; then the API over HTTP and the packed admin screens in
 * chromium. See test/helpers/packedHost.ts for how the install avoids a second download of Payload.
 */
describe('the packed package in an app it did not create', () => {
  let host: PackedHost
  let api: string
  let adminToken: string
  let annKey: string
  let annId: number | string

  beforeAll(async () => {
    host = await startPackedHost()
    api = `${host.baseUrl}/api/dj-rest-auth`
    const t = host.timings
    console.info(
      `packaging test: pack ${t.packMs} ms, install ${t.installMs} ms, import map + types ${t.importMapMs} ms, tsc ${t.tscMs} ms, next build ${t.buildMs} ms (${host.output().match(/Finished TypeScript in \S+/)?.[0] ?? 'reused'}), migrations ${t.migrateMs} ms`,
    )
  }, 1_200_000)

  afterAll(async () => {
    await host?.close()
  })

  const asAdmin = { authorization: '' }

  it('ships the build and nothing else: dist with every entry point, declarations, source maps and stylesheets', () => {
    const outside = host.packedFiles.filter((file) => !file.startsWith('dist/'))
    expect(outside.sort()).toEqual(['LICENSE', 'README.md', 'package.json'])
    expect(host.packedFiles.filter((file) => /\.tsx?$/.test(file) && !file.endsWith('.d.ts'))).toEqual([])
    const manifest = host.installedManifest as unknown as { exports: Record<string, { import: string; types: string }> }
    for (const [entry, target] of Object.entries(manifest.exports).filter(([entry]) => entry !== './package.json')) {
      expect(host.packedFiles, entry).toContain(target.import.slice(2))
      expect(host.packedFiles, entry).toContain(target.types.slice(2))
      expect(host.packedFiles, entry).toContain(`${target.import.slice(2)}.map`)
    }
    expect(Object.keys(manifest.exports).sort()).toEqual(['.', './client', './client-sdk', './migrate', './package.json', './rsc', './server', './types'])
    const stylesheets = [...stylesheetsOf('src'), ...stylesheetsOf('admin')].map((file) => `dist/${file}`)
    expect(stylesheets.length).toBeGreaterThan(0)
    expect(host.packedFiles).toEqual(expect.arrayContaining(stylesheets))
  })

  it('imports nothing it does not declare: every bare import of dist/ is a dependency, a peer or a Node built-in', () => {
    const manifest = host.installedManifest
    const declared = new Set([...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})])
    const packageDir = path.join(host.dir, 'node_modules/payload-rest-auth')
    const imported = new Set<string>()
    for (const file of host.packedFiles.filter((name) => /\.(js|d\.ts)$/.test(name))) {
      const code = readFileSync(path.join(packageDir, file), 'utf8')
      for (const [, specifier] of code.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"\s]+)['"]/g)) {
        if (!specifier!.startsWith('.') && !specifier!.startsWith('node:')) {
          imported.add(specifier!.startsWith('@') ? specifier!.split('/').slice(0, 2).join('/') : specifier!.split('/')[0]!)
        }
      }
    }
    expect(imported.size).toBeGreaterThan(5)
    expect([...imported].filter((name) => !declared.has(name))).toEqual([])
    // Everything declared is used: no runtime dependency rides along for nothing.
    expect(Object.keys(manifest.dependencies ?? {}).filter((name) => !imported.has(name))).toEqual([])
  })

  it('puts the packed components into the app’s import map', () => {
    expect(host.importMap).toContain('"payload-rest-auth/rsc#UserAccountField"')
    expect(host.importMap).toContain('"payload-rest-auth/rsc#DashboardStats"')
    expect(host.importMap).toContain('"payload-rest-auth/client#CookiePreview"')
    expect(host.importMap).toContain('"payload-rest-auth/rsc#AdminLoginView"')
    expect(host.importMap).toContain("from 'payload-rest-auth/rsc'")
  })

  it('makes the first user from Payload’s first-register the admin (is_staff)', async () => {
    const first = await call(`${host.baseUrl}/api/users/first-register`, 'POST', {
      body: { company: 'Host Inc.', email: 'admin@example.com', password: PASSWORD, username: 'admin' },
    })
    expect(first.status, first.text).toBe(200)
    expect(first.body.user).toMatchObject({ company: 'Host Inc.', is_staff: true, plan: 'free', username: 'admin' })
    adminToken = first.body.token
    asAdmin.authorization = `JWT ${adminToken}`
  })

  it('registers, logs in and serves user/ with the app’s own field (userDetailsFields)', async () => {
    const registered = await call(`${api}/registration/`, 'POST', {
      body: { email: 'ann@example.com', password1: PASSWORD, password2: PASSWORD, username: 'ann' },
    })
    // SESSION_LOGIN (on by default) answers 204 with the session cookie, as dj-rest-auth.
    expect(registered.status, registered.text).toBe(204)
    const login = await call(`${api}/login/`, 'POST', { body: { password: PASSWORD, username: 'ann' } })
    expect(login.status, login.text).toBe(200)
    expect(Object.keys(login.body)).toEqual(['key'])
    annKey = login.body.key

    const read = await call(`${api}/user/`, 'GET', { token: annKey })
    expect(read.status).toBe(200)
    expect(read.body).toEqual({ company: '', email: 'ann@example.com', first_name: '', last_name: '', pk: expect.anything(), username: 'ann' })
    annId = read.body.pk

    const patched = await call(`${api}/user/`, 'PATCH', { body: { company: 'Acme', first_name: 'Ann' }, token: annKey })
    expect(patched.status, patched.text).toBe(200)
    expect(patched.body).toMatchObject({ company: 'Acme', first_name: 'Ann' })

    // The app's own fields, through Payload's REST API: the plugin's write landed, the app's default stayed.
    const viaPayload = await call(`${host.baseUrl}/api/users/${annId}?depth=0`, 'GET', { headers: asAdmin })
    expect(viaPayload.body).toMatchObject({ company: 'Acme', first_name: 'Ann', is_staff: false, plan: 'free' })
  })

  it('lets the admin read and change the settings global over HTTP, and the API follows at once', async () => {
    const anonymous = await call(`${host.baseUrl}/api/globals/rest-auth-settings`, 'GET')
    expect(anonymous.status).toBe(403)
    const settings = await call(`${host.baseUrl}/api/globals/rest-auth-settings`, 'GET', { headers: asAdmin })
    expect(settings.status, settings.text).toBe(200)
    // The host's plugin option is the default until an admin saves another value.
    expect(settings.body).toMatchObject({ accountEmailVerification: 'optional', registrationOpen: true })

    const closed = await call(`${host.baseUrl}/api/globals/rest-auth-settings`, 'POST', { body: { registrationOpen: false }, headers: asAdmin })
    expect(closed.status, closed.text).toBe(200)
    const refused = await call(`${api}/registration/`, 'POST', {
      body: { email: 'bob@example.com', password1: PASSWORD, password2: PASSWORD, username: 'bob' },
    })
    expect(refused.status).toBe(403)
    const reopened = await call(`${host.baseUrl}/api/globals/rest-auth-settings`, 'POST', { body: { registrationOpen: true }, headers: asAdmin })
    expect(reopened.status).toBe(200)
  })

  it('leaves the second auth collection to Payload: customers log in there, not through the plugin', async () => {
    const created = await call(`${host.baseUrl}/api/customers`, 'POST', {
      body: { email: 'carol@example.com', name: 'Carol', password: PASSWORD },
      headers: asAdmin,
    })
    expect(created.status, created.text).toBe(201)
    const login = await call(`${host.baseUrl}/api/customers/login`, 'POST', { body: { email: 'carol@example.com', password: PASSWORD } })
    expect(login.status, login.text).toBe(200)
    const me = await call(`${host.baseUrl}/api/customers/me`, 'GET', { headers: { authorization: `JWT ${login.body.token}` } })
    expect(me.body.user).toMatchObject({ collection: 'customers', email: 'carol@example.com', name: 'Carol' })

    const viaPlugin = await call(`${api}/login/`, 'POST', { body: { email: 'carol@example.com', password: PASSWORD, username: 'carol' } })
    expect(viaPlugin.status).toBe(400)
    expect(viaPlugin.body).toEqual({ non_field_errors: ['Unable to log in with provided credentials.'] })
  })

  it('adds its Django import command to the app’s Payload CLI (config.bin points into dist/)', async () => {
    const dump = path.join(root, 'test/fixtures/django/dumpdata.json')
    const printed = await host.payload(['rest-auth:import-django', dump, '--dry-run', '--json'])
    // The report is the one JSON object of the output; Payload's own log lines come around it.
    const report = JSON.parse(printed.match(/^\{$[\s\S]*?^\}$/m)?.[0] ?? 'null') as { dryRun: boolean; users: { created: number } }
    expect(report.dryRun).toBe(true)
    expect(report.users.created).toBeGreaterThan(0)
  })

  it('adds its OpenAPI command to the app’s Payload CLI too', async () => {
    const printed = await host.payload(['rest-auth:openapi'])
    // Pretty-printed JSON: the document's last line is the one `}` at the start of a line.
    const document = JSON.parse(printed.match(/^\{$[\s\S]*^\}$/m)?.[0] ?? 'null') as { openapi: string; paths: Record<string, unknown> }
    expect(document.openapi).toBe('3.1.0')
    expect(Object.keys(document.paths)).toContain('/login/')
  })

  it('serves the API without Next.js: payload rest-auth:serve from dist/, beside next start on the same database', async () => {
    const server = await host.serve(['--routes=plugin'])
    try {
      const read = await call(`${server.url}/api/dj-rest-auth/user/`, 'GET', { token: annKey })
      expect(read.status, read.text).toBe(200)
      expect(read.body).toMatchObject({ company: 'Acme', first_name: 'Ann', username: 'ann' })
      expect(read.headers.get('x-powered-by')).toBeNull()
      expect((await call(`${server.url}/api/users`, 'GET')).status).toBe(404)
      expect((await call(`${server.url}/health`, 'GET')).body).toEqual({ status: 'ok' })
    } finally {
      expect(await server.stop(), server.output()).toBe(0)
    }
  })

  describe('admin screens of the packed plugin in chromium', () => {
    let browser: TestBrowser
    let page: Page
    const pageErrors: string[] = []

    beforeAll(async () => {
      browser = await launchBrowser({ baseUrl: host.baseUrl })
      await browser.context.addCookies([{ name: 'payload-token', url: host.baseUrl, value: adminToken }])
      page = await browser.context.newPage()
      page.on('pageerror', (err) => pageErrors.push(err.message))
    })

    afterAll(async () => {
      await browser?.close()
    })

    afterEach(() => {
      pageErrors.length = 0
    })

    it('renders the settings screen: tabs, the Set-Cookie preview, the endpoints list', async () => {
      await page.goto('/admin/globals/rest-auth-settings')
      await page.waitForLoadState('networkidle')
      await page.getByRole('button', { name: 'JWT and cookies' }).click()
      await page.getByTestId('cookie-preview-jwt').waitFor()
      // The packed stylesheet is in the bundle: the preview is laid out by it.
      const border = await page.locator('.rest-auth-cookie-preview').first().evaluate((el) => getComputedStyle(el).borderTopStyle)
      expect(border).toBe('solid')
      await page.getByRole('button', { name: 'Endpoints' }).click()
      const endpoints = page.getByTestId('rest-auth-endpoints')
      await endpoints.waitFor()
      expect(await endpoints.textContent()).toContain(`${host.baseUrl}/api/dj-rest-auth/login/`)
      await screenshot(page, 'host-app-settings')
      // Hydration included: React reports a server render that differs from the browser's here.
      expect(pageErrors).toEqual([])
    })

    it('renders a user’s page with the account panel (addresses, tokens)', async () => {
      await page.goto(`/admin/collections/users/${annId}`)
      const panel = page.getByTestId('rest-auth-account')
      await panel.waitFor()
      await panel.locator(`tr[data-token-key="${annKey.slice(0, 8)}"]`).waitFor()
      expect(await panel.textContent()).toContain('ann@example.com')
      await screenshot(page, 'host-app-user')
      expect(pageErrors).toEqual([])
    })

    it('logs in on the admin’s login screen, the plugin’s from the package', async () => {
      await browser.context.clearCookies()
      await page.goto('/admin/login')
      await page.waitForLoadState('networkidle')
      await page.fill('#field-username', 'admin')
      await page.fill('#field-password', PASSWORD)
      await page.click('button[type="submit"]')
      await page.waitForURL(/\/admin\/?$/, { timeout: 60_000 })
      await page.getByTestId('rest-auth-dashboard').waitFor()
      expect(pageErrors).toEqual([])
    })
  })
})
