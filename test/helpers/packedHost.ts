import type { ChildProcess } from 'node:child_process'

import { randomBytes } from 'node:crypto'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import semver from 'semver'

import { childEnv, freePort, run, spawnLogged, stop, waitForServer } from './processes.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const hostTemplate = path.join(root, 'test/host-app')
const PACKAGE = 'payload-rest-auth'

type Manifest = {
  dependencies?: Record<string, string>
  devDependencies?: Record<string, string>
  name: string
  peerDependencies?: Record<string, string>
  version: string
}

const readManifest = (dir: string): Manifest => JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as Manifest

export type PackedHostTimings = {
  buildMs: number
  importMapMs: number
  installMs: number
  migrateMs: number
  packMs: number
  tscMs: number
}

export type PackedHost = {
  /** `http://127.0.0.1:<port>` of `next start`. */
  baseUrl: string
  close: () => Promise<void>
  /** The copy of test/host-app the package was installed into. */
  dir: string
  /** The host's `app/(payload)/admin/importMap.js` as `payload generate:importmap` wrote it. */
  importMap: string
  /** package.json of the installed package, as the tarball shipped it. */
  installedManifest: Manifest
  /** Every file of the tarball, relative to the package root. */
  packedFiles: string[]
  output: () => string
  /** `payload <args>` in the host, against the running app's database; answers what it printed. */
  payload: (args: string[]) => Promise<string>
  /**
   * `payload rest-auth:serve <args>` in the host on a free port, against the app's database (the
   * split deployment: admin on Next.js, API on the standalone server); `stop` sends SIGTERM and
   * answers the exit code.
   */
  serve: (args: string[]) => Promise<{ output: () => string; stop: () => Promise<null | number>; url: string }>
  timings: PackedHostTimings
}

/** Runs a step; answers how long it took. */
const timed = async (step: () => Promise<unknown>): Promise<number> => {
  const started = Date.now()
  await step()
  return Date.now() - started
}

/**
 * `npm pack` of this repository (its `prepack` builds dist/), into a directory of its own.
 */
const pack = async (workDir: string, log: string[]): Promise<{ files: string[]; tarball: string }> => {
  const jsonLog: string[] = []
  await run(
    { args: ['pack', '--json', '--pack-destination', workDir], command: 'npm', cwd: root, env: childEnv({ NODE_ENV: 'development' }) },
    jsonLog,
    'npm pack',
  )
  log.push(...jsonLog)
  // npm prints the prepack script's output before the JSON report.
  const text = jsonLog.join('')
  const report = JSON.parse(text.slice(text.indexOf('\n[') + 1)) as { filename: string; files: { path: string }[] }[]
  return { files: report[0]!.files.map((file) => file.path), tarball: path.join(workDir, report[0]!.filename) }
}

/**
 * What this repository's npm installed for the given packages: the packages themselves and every
 * package they depend on, transitively (`npm query`), as their top-level locations.
 */
const installedClosure = async (names: string[]): Promise<string[]> => {
  const ids = names.map((name) => `#${name}`).join(', ')
  const out: string[] = []
  // From the directory that really holds node_modules: in a git worktree whose node_modules links to
  // another checkout's, npm would report every location relative to this one (`../main/node_modules/…`).
  const cwd = path.dirname(realpathSync(path.join(root, 'node_modules')))
  await run({ args: ['query', `:root > :is(${ids}), :root > :is(${ids}) *`], command: 'npm', cwd, env: childEnv({}) }, out, 'npm query')
  const locations = (JSON.parse(out.join('')) as { location: string }[]).map((node) => node.location)
  return [...new Set(locations.filter((location) => location.lastIndexOf('node_modules/') === 0))].map((location) => location.slice('node_modules/'.length))
}

/**
 * Installs the tarball the way an app gets it from the registry, without a second install of
 * Payload and Next.js:
 * - `npm install <tarball>` in an empty project brings the package and its `dependencies` (from
 *   npm's cache, the registry only for what the cache lacks) — nothing else, peers excluded;
 * - the app's own dependencies (payload, next, react…) and everything they depend on are links to
 *   this repository's installed copies, where npm's hoisting would have put them, at exactly the
 *   versions the host's package.json names; they must satisfy the package's `peerDependencies`.
 * The host lives outside the repository and gets nothing else of it (no test tooling, none of the
 * repository's copies of the package's dependencies), so an import the package forgot to declare
 * fails here as it would in a user's app.
 */
const install = async (tarball: string, hostDir: string, workDir: string, log: string[]): Promise<void> => {
  const staging = path.join(workDir, 'install')
  mkdirSync(staging)
  writeFileSync(path.join(staging, 'package.json'), `${JSON.stringify({ name: 'install-staging', private: true })}\n`)
  await run(
    {
      args: ['install', '--prefer-offline', '--legacy-peer-deps', '--no-audit', '--no-fund', '--no-package-lock', tarball],
      command: 'npm',
      cwd: staging,
      env: childEnv({ NODE_ENV: 'development' }),
    },
    log,
    `npm install ${path.basename(tarball)}`,
  )
  const modules = path.join(hostDir, 'node_modules')
  renameSync(path.join(staging, 'node_modules'), modules)

  const host = readManifest(hostDir)
  const installed = readManifest(path.join(modules, PACKAGE))
  const { [PACKAGE]: wantedPackage, ...wanted } = { ...host.dependencies, ...host.devDependencies }
  if (!wantedPackage || !semver.satisfies(installed.version, wantedPackage)) {
    throw new Error(`test/host-app/package.json wants ${PACKAGE}@${wantedPackage}, the tarball is ${installed.version}`)
  }
  for (const [name, version] of Object.entries(wanted)) {
    const target = path.join(root, 'node_modules', name)
    const available = existsSync(target) ? readManifest(target).version : 'nothing'
    if (available !== version) {
      throw new Error(`test/host-app/package.json names ${name}@${version}; the repository has ${available} (keep them equal)`)
    }
    if (existsSync(path.join(modules, name))) {
      throw new Error(`${PACKAGE} brought its own ${name}: it must be a peer dependency`)
    }
  }
  for (const name of await installedClosure(Object.keys(wanted))) {
    const link = path.join(modules, name)
    // Where the package's own dependencies overlap, npm's install for the package stands.
    if (!existsSync(link)) {
      mkdirSync(path.dirname(link), { recursive: true })
      symlinkSync(path.join(root, 'node_modules', name), link, 'dir')
    }
  }
  for (const [name, range] of Object.entries(installed.peerDependencies ?? {})) {
    const version = wanted[name]
    if (!version || !semver.satisfies(version, range)) {
      throw new Error(`the host has ${name}@${version ?? 'nothing'}, ${PACKAGE} asks for ${range}`)
    }
  }
}

/** `payload <command>` in the host, with the host's own payload binary. */
const payload = (hostDir: string, command: string[], env: Record<string, string>, log: string[]) =>
  run({ args: [path.join(hostDir, 'node_modules/payload/bin.js'), ...command], cwd: hostDir, env }, log, `payload ${command.join(' ')}`)

/**
 * The whole life of the package in an app it did not create: `npm pack`, install into a copy of
 * test/host-app (a Payload app with its own users and customers), `payload generate:importmap` and
 * `generate:types`, `tsc --noEmit` over the app and its generated types, `next build`, then the
 * README's production path: `payload migrate:create`, `payload migrate`, `next start` on a free port.
 * `PACKED_HOST_DIR=<dir>` keeps the installed and built host there and reuses it on the next run
 * (iterating on the tests; remove the directory after changing the package).
 */
export const startPackedHost = async (): Promise<PackedHost> => {
  const log: string[] = []
  const kept = process.env.PACKED_HOST_DIR ? path.resolve(process.env.PACKED_HOST_DIR) : undefined
  const workDir = kept ?? mkdtempSync(path.join(tmpdir(), 'rest-auth-package-'))
  const hostDir = path.join(workDir, 'host')
  const databaseDir = mkdtempSync(path.join(tmpdir(), 'rest-auth-host-db-'))
  const appEnv = { DATABASE_URI: `file:${path.join(databaseDir, 'host.db')}`, PAYLOAD_SECRET: `host-${randomBytes(12).toString('hex')}` }
  const timings: PackedHostTimings = { buildMs: 0, importMapMs: 0, installMs: 0, migrateMs: 0, packMs: 0, tscMs: 0 }
  let packedFiles: string[] = []
  let server: ChildProcess | undefined
  const close = async () => {
    if (server) {
      await stop(server)
    }
    rmSync(databaseDir, { force: true, recursive: true })
    if (!kept) {
      rmSync(workDir, { force: true, recursive: true })
    }
  }

  try {
    const packedFilesList = path.join(workDir, 'packed-files.json')
    if (kept && existsSync(path.join(hostDir, '.next/BUILD_ID'))) {
      packedFiles = JSON.parse(readFileSync(packedFilesList, 'utf8')) as string[]
    } else {
      rmSync(workDir, { force: true, recursive: true })
      mkdirSync(workDir, { recursive: true })
      cpSync(hostTemplate, hostDir, {
        filter: (source) => !/[/\\](node_modules|\.next|migrations)$|payload-types\.ts$|importMap\.js$|next-env\.d\.ts$|\.db$/.test(source),
        recursive: true,
      })
      let tarball = ''
      timings.packMs = await timed(async () => {
        ;({ files: packedFiles, tarball } = await pack(workDir, log))
      })
      timings.installMs = await timed(() => install(tarball, hostDir, workDir, log))
      writeFileSync(packedFilesList, JSON.stringify(packedFiles))
      const cliEnv = childEnv({ ...appEnv, NODE_ENV: 'development' })
      timings.importMapMs = await timed(async () => {
        await payload(hostDir, ['generate:importmap'], cliEnv, log)
        await payload(hostDir, ['generate:types'], cliEnv, log)
      })
      timings.tscMs = await timed(() =>
        run({ args: [path.join(hostDir, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', 'tsconfig.json'], cwd: hostDir, env: cliEnv }, log, 'tsc'),
      )
      timings.buildMs = await timed(() =>
        run({ args: [path.join(hostDir, 'node_modules/next/dist/bin/next'), 'build', '--webpack'], cwd: hostDir, env: childEnv(appEnv) }, log, 'next build'),
      )
    }
    timings.migrateMs = await timed(async () => {
      // In the app, as a user keeps them: a migration imports the app's database adapter.
      rmSync(path.join(hostDir, 'migrations'), { force: true, recursive: true })
      await payload(hostDir, ['migrate:create'], childEnv(appEnv), log)
      await payload(hostDir, ['migrate'], childEnv(appEnv), log)
    })
    const port = await freePort()
    server = spawnLogged(
      { args: [path.join(hostDir, 'node_modules/next/dist/bin/next'), 'start', '-p', String(port), '-H', '127.0.0.1'], cwd: hostDir, env: childEnv(appEnv) },
      log,
    )
    const baseUrl = `http://127.0.0.1:${port}`
    await waitForServer(`${baseUrl}/api/dj-rest-auth/user/`, server, log)
    return {
      baseUrl,
      close,
      dir: hostDir,
      importMap: readFileSync(path.join(hostDir, 'app/(payload)/admin/importMap.js'), 'utf8'),
      installedManifest: readManifest(path.join(hostDir, 'node_modules', PACKAGE)),
      output: () => log.join(''),
      packedFiles,
      payload: async (args) => {
        const out: string[] = []
        await payload(hostDir, args, childEnv(appEnv), out)
        return out.join('')
      },
      serve: async (args) => {
        const out: string[] = []
        const apiPort = await freePort()
        const command = [path.join(hostDir, 'node_modules/payload/bin.js'), 'rest-auth:serve', `--port=${apiPort}`, '--host=127.0.0.1', ...args]
        const child = spawnLogged({ args: command, cwd: hostDir, env: childEnv(appEnv) }, out)
        const url = `http://127.0.0.1:${apiPort}`
        await waitForServer(`${url}/api/dj-rest-auth/user/`, child, out)
        const exited = new Promise<null | number>((resolve) => child.once('exit', (code) => resolve(code)))
        return {
          output: () => out.join(''),
          stop: async () => {
            child.kill('SIGTERM')
            return exited
          },
          url,
        }
      },
      timings,
    }
  } catch (err) {
    await close()
    throw err
  }
}
