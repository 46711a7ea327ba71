import type { ChildProcess } from 'node:child_process'

import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import { childEnv, freePort, isAlive, run, sleep, spawnLogged, stop, waitForServer } from './processes.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const devDir = path.join(root, 'dev')
const nextBin = path.join(root, 'node_modules/next/dist/bin/next')
const payloadBin = path.join(root, 'node_modules/payload/bin.js')
const configPath = path.join(devDir, 'payload.config.ts')
const BUILD_PREFIX = 'browser-test-'
const BUILD_TIMEOUT_MS = 15 * 60_000

export type ProductionApp = {
  /** `http://127.0.0.1:<port>` */
  baseUrl: string
  close: () => Promise<void>
  /** What the server printed, for failure messages. */
  output: () => string
  /** `buildMs` is 0 when another test file of the run had already built. */
  timings: { buildMs: number; databaseMs: number; startMs: number }
}

/** Builds of earlier runs whose vitest process is gone. */
const removeStaleBuilds = (current: string) => {
  const nextDir = path.join(devDir, '.next')
  if (!existsSync(nextDir)) {
    return
  }
  for (const name of readdirSync(nextDir)) {
    const pid = Number(name.slice(BUILD_PREFIX.length))
    if (name.startsWith(BUILD_PREFIX) && name !== current && Number.isInteger(pid) && !isAlive(pid)) {
      rmSync(path.join(nextDir, name), { force: true, recursive: true })
    }
  }
}

/**
 * One production build per test run, shared by every browser test file: the build lives in
 * dev/.next/browser-test-<pid of the vitest process> (git-ignored), so it never disturbs `next dev`
 * or another run. The first file to get here builds under a lock directory; the others wait for
 * its marker. `dev/next-env.d.ts`, which Next rewrites, is put back.
 */
export const ensureBuild = async (log: string[]): Promise<{ buildMs: number; distDir: string }> => {
  if (process.env.BROWSER_TEST_BUILD_DIR) {
    return { buildMs: 0, distDir: process.env.BROWSER_TEST_BUILD_DIR }
  }
  const name = `${BUILD_PREFIX}${process.ppid}`
  removeStaleBuilds(name)
  const buildDir = path.join(devDir, '.next', name)
  const distDir = path.join('.next', name, 'build')
  const done = path.join(buildDir, 'done')
  const failed = path.join(buildDir, 'failed')
  const lock = path.join(buildDir, 'lock')
  const started = Date.now()
  mkdirSync(buildDir, { recursive: true })
  while (Date.now() - started < BUILD_TIMEOUT_MS) {
    if (existsSync(done)) {
      return { buildMs: 0, distDir }
    }
    if (existsSync(failed)) {
      throw new Error(`the shared production build failed:\n${readFileSync(failed, 'utf8')}`)
    }
    try {
      mkdirSync(lock)
    } catch {
      const owner = Number(readFileSafe(path.join(lock, 'pid')))
      if (owner && !isAlive(owner)) {
        rmSync(lock, { force: true, recursive: true })
      }
      await sleep(500)
      continue
    }
    writeFileSync(path.join(lock, 'pid'), String(process.pid))
    const nextEnvFile = path.join(devDir, 'next-env.d.ts')
    const nextEnv = existsSync(nextEnvFile) ? readFileSync(nextEnvFile, 'utf8') : undefined
    const tsconfigPath = path.join('.next', name, 'tsconfig.json')
    writeFileSync(path.join(devDir, tsconfigPath), `${JSON.stringify({ extends: '../../tsconfig.json' })}\n`)
    try {
      // The types `next dev` leaves behind, so the build's type check sees the plugin's sources
      // against the app's generated slugs, as a developer's `npm run build` does.
      // NODE_ENV=production: the dev config refuses to load without a secret there (it signs nothing here).
      const typesEnv = childEnv({ PAYLOAD_CONFIG_PATH: configPath, PAYLOAD_SECRET: `types-${randomBytes(12).toString('hex')}` })
      await run({ args: [payloadBin, 'generate:types'], cwd: root, env: typesEnv }, log, 'payload generate:types')
      const env = childEnv({ NEXT_DIST_DIR: distDir, NEXT_TSCONFIG_PATH: tsconfigPath })
      await run({ args: [nextBin, 'build', '--webpack', 'dev'], cwd: root, env }, log, 'next build')
      writeFileSync(done, '')
      return { buildMs: Date.now() - started, distDir }
    } catch (err) {
      writeFileSync(failed, String(err))
      throw err
    } finally {
      if (nextEnv !== undefined) {
        writeFileSync(nextEnvFile, nextEnv)
      }
      rmSync(lock, { force: true, recursive: true })
    }
  }
  throw new Error(`no production build within ${BUILD_TIMEOUT_MS} ms`)
}

const readFileSafe = (file: string): string => {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    return ''
  }
}

/**
 * How a test app's fresh SQLite file gets its schema:
 * - `push`: Payload pushes it from the dev config the way `next dev` does (drizzle push runs
 *   whenever NODE_ENV is not production), in a child process so every app reads its own
 *   DATABASE_URI. Fast, and always the schema of the code under test.
 * - `migrations`: the README's production path, `npm run payload -- migrate:create` then
 *   `npm run payload -- migrate`, into a migration directory of the test's own (MIGRATION_DIR), so
 *   no committed migration can fall behind the collections being added alongside.
 */
export type SchemaSetup = 'migrations' | 'push'

export const prepareDatabase = async (schema: SchemaSetup, env: Record<string, string>, log: string[]): Promise<number> => {
  const started = Date.now()
  if (schema === 'migrations') {
    for (const command of ['migrate:create', 'migrate']) {
      await run({ args: ['run', 'payload', '--', command], command: 'npm', cwd: root, env }, log, `npm run payload -- ${command}`)
    }
    return Date.now() - started
  }
  const script = [
    "const { getPayload } = await import('payload')",
    "const { default: config } = await import('./dev/payload.config.ts')",
    'const payload = await getPayload({ config })',
    'await payload.destroy()',
    'process.exit(0)',
  ].join(';')
  await run(
    {
      args: ['--import', 'tsx', '--input-type=module', '-e', script],
      cwd: root,
      env: { ...env, NODE_ENV: 'development', PAYLOAD_FORCE_DRIZZLE_PUSH: 'true' },
    },
    log,
    'the schema push',
  )
  return Date.now() - started
}

/**
 * The dev app as production runs it: `next build --webpack dev` (once per test run, see
 * ensureBuild) and `next start dev` on a free port, against a fresh SQLite file of its own.
 * `env` adds variables for the server (SMTP_HOST…). `BROWSER_TEST_BUILD_DIR=.next/<dir>` reuses
 * an existing build while iterating on tests.
 */
export const startProductionApp = async ({
  env: extraEnv = {},
  schema = 'push',
}: { env?: Record<string, string>; schema?: SchemaSetup } = {}): Promise<ProductionApp> => {
  const log: string[] = []
  const databaseDir = mkdtempSync(path.join(tmpdir(), 'rest-auth-browser-'))
  const secret = `browser-test-${randomBytes(12).toString('hex')}`
  // Migrations import the app's database adapter: they live in the app, where dev/.next is git-ignored.
  const migrationDir = path.join(devDir, '.next', `migrations-${randomBytes(6).toString('hex')}`)
  const appEnv = {
    DATABASE_URI: `file:${path.join(databaseDir, 'app.db')}`,
    MIGRATION_DIR: migrationDir,
    PAYLOAD_SECRET: secret,
    ...extraEnv,
  }
  let server: ChildProcess | undefined

  const cleanUp = async () => {
    if (server) {
      await stop(server)
    }
    rmSync(databaseDir, { force: true, recursive: true })
    rmSync(migrationDir, { force: true, recursive: true })
  }

  try {
    const [{ buildMs, distDir }, databaseMs] = await Promise.all([ensureBuild(log), prepareDatabase(schema, childEnv(appEnv), log)])
    const port = await freePort()
    const startedAt = Date.now()
    const baseUrl = `http://127.0.0.1:${port}`
    // In production the plugin builds links in mails and callbacks only from serverURL.
    const serverEnv = { SERVER_URL: baseUrl, ...appEnv, NEXT_DIST_DIR: distDir }
    server = spawnLogged({ args: [nextBin, 'start', 'dev', '-p', String(port), '-H', '127.0.0.1'], cwd: root, env: childEnv(serverEnv) }, log)
    await waitForServer(`${baseUrl}/api/dj-rest-auth/user/`, server, log)
    return {
      baseUrl,
      close: cleanUp,
      output: () => log.join(''),
      timings: { buildMs, databaseMs, startMs: Date.now() - startedAt },
    }
  } catch (err) {
    await cleanUp()
    throw err
  }
}
