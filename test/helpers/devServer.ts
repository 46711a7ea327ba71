import type { ChildProcess } from 'node:child_process'

import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const devDir = path.join(root, 'dev')
const nextBin = path.join(root, 'node_modules/next/dist/bin/next')
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

/** The environment of `next build` / `next start` and the schema push: no vitest variables. */
const childEnv = (extra: Record<string, string>): Record<string, string> => {
  const env: Record<string, string> = {}
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('VITEST') && key !== 'NODE_OPTIONS' && key !== 'TEST') {
      env[key] = value
    }
  }
  return { ...env, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production', NODE_OPTIONS: '--no-deprecation', ...extra }
}

const spawnLogged = (args: string[], env: Record<string, string>, log: string[]): ChildProcess => {
  const child = spawn(process.execPath, args, { cwd: root, env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] })
  child.stdout?.on('data', (chunk: Buffer) => log.push(chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => log.push(chunk.toString()))
  return child
}

const run = (args: string[], env: Record<string, string>, log: string[], what: string): Promise<void> =>
  new Promise((resolve, reject) => {
    const child = spawnLogged(args, env, log)
    child.on('error', reject)
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${what} exited with ${code}:\n${log.join('').slice(-4000)}`))))
  })

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = net.createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
  })

const stop = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve()
      return
    }
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
    child.once('exit', () => {
      clearTimeout(timer)
      resolve()
    })
    child.kill('SIGTERM')
  })

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

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
const ensureBuild = async (log: string[]): Promise<{ buildMs: number; distDir: string }> => {
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
      const env = childEnv({ NEXT_DIST_DIR: distDir, NEXT_TSCONFIG_PATH: tsconfigPath })
      await run([nextBin, 'build', '--webpack', 'dev'], env, log, 'next build')
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
 * The schema of a fresh SQLite file, pushed by Payload from the dev config the way `next dev`
 * does it (drizzle push runs whenever NODE_ENV is not production), in a child process so every
 * app reads its own DATABASE_URI. A production server never pushes, and committed migrations
 * would fall behind every schema change of the features being built alongside; pushing from the
 * config under test always matches the build under test.
 */
const prepareDatabase = async (env: Record<string, string>, log: string[]): Promise<number> => {
  const started = Date.now()
  const script = [
    "const { getPayload } = await import('payload')",
    "const { default: config } = await import('./dev/payload.config.ts')",
    'const payload = await getPayload({ config })',
    'await payload.destroy()',
    'process.exit(0)',
  ].join(';')
  await run(
    ['--import', 'tsx', '--input-type=module', '-e', script],
    { ...env, NODE_ENV: 'development', PAYLOAD_FORCE_DRIZZLE_PUSH: 'true' },
    log,
    'the schema push',
  )
  return Date.now() - started
}

const waitForServer = async (url: string, child: ChildProcess, log: string[], timeoutMs = 90_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`next start exited with ${child.exitCode}:\n${log.join('').slice(-4000)}`)
    }
    try {
      // Any answer of the plugin means Payload is up (403: no credentials).
      if ((await fetch(url, { signal: AbortSignal.timeout(10_000) })).status === 403) {
        return
      }
    } catch {
      // not listening yet
    }
    await sleep(250)
  }
  throw new Error(`the production server did not answer ${url} within ${timeoutMs} ms:\n${log.join('').slice(-4000)}`)
}

/**
 * The dev app as production runs it: `next build --webpack dev` (once per test run, see
 * ensureBuild) and `next start dev` on a free port, against a fresh SQLite file of its own.
 * `env` adds variables for the server (SMTP_HOST…). `BROWSER_TEST_BUILD_DIR=.next/<dir>` reuses
 * an existing build while iterating on tests.
 */
export const startProductionApp = async ({ env: extraEnv = {} }: { env?: Record<string, string> } = {}): Promise<ProductionApp> => {
  const log: string[] = []
  const databaseDir = mkdtempSync(path.join(tmpdir(), 'rest-auth-browser-'))
  const secret = `browser-test-${randomBytes(12).toString('hex')}`
  const appEnv = { DATABASE_URI: `file:${path.join(databaseDir, 'app.db')}`, PAYLOAD_SECRET: secret, ...extraEnv }
  let server: ChildProcess | undefined

  const cleanUp = async () => {
    if (server) {
      await stop(server)
    }
    rmSync(databaseDir, { force: true, recursive: true })
  }

  try {
    const [{ buildMs, distDir }, databaseMs] = await Promise.all([ensureBuild(log), prepareDatabase(childEnv(appEnv), log)])
    const port = await freePort()
    const startedAt = Date.now()
    const baseUrl = `http://127.0.0.1:${port}`
    // In production the plugin builds links in mails and callbacks only from serverURL.
    const serverEnv = { SERVER_URL: baseUrl, ...appEnv, NEXT_DIST_DIR: distDir }
    server = spawnLogged([nextBin, 'start', 'dev', '-p', String(port), '-H', '127.0.0.1'], childEnv(serverEnv), log)
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
