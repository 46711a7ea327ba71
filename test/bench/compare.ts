/**
 * npm run bench (last part), or alone: npm run bench:compare. The same dev app, one PostgreSQL
 * database, three ways of serving it, running side by side and measured in turns in one run:
 *   - `next start` (the production build of dev/),
 *   - the standalone API server (`payload rest-auth:serve`, node:http + handleEndpoints),
 *   - the standalone API server in cluster mode (`--workers=auto`: one process per core),
 * for anonymous, token and JWT `user/`, `login/` and `token/refresh/`, and prints the ratios.
 * Beside them the bare rate of the password derivation a login costs (pbkdf2-sha256, 600,000
 * iterations) on the same cores, measured just before and after each server's login/.
 *
 * Bounded: BENCH_SECONDS (default 3) per target plus 1 s of warm-up. The Next.js build is made once
 * (test/helpers/devServer.ts, minutes); BROWSER_TEST_BUILD_DIR=.next/<dir> reuses one.
 * BENCH_SERVERS=standalone,cluster leaves `next start` (and its build) out while iterating.
 */
import type { ChildProcess } from 'node:child_process'

import { pbkdf2, randomBytes } from 'node:crypto'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

import type { Result, Target } from './load.js'

import { call } from '../helpers/client.js'
import { createPostgresDatabase } from '../helpers/database.js'
import { ensureBuild } from '../helpers/devServer.js'
import { childEnv, freePort, run, sleep, spawnLogged, stop } from '../helpers/processes.js'
import { PASSWORD } from '../helpers/users.js'
import { HOLD_MS } from '../../src/cache/holds.js'
import { load, measure, steadyRate } from './load.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const seconds = Number(process.env.BENCH_SECONDS ?? 3)
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10)
// The plugin's default maxPasswordChecksInFlight: more concurrent logins per process answer 503 by design.
const LOGIN_CONNECTIONS = 8
// login/ and the bare derivation take seconds per request on a busy machine: counted in a steady window (see steadyRate).
const LOGIN_SECONDS = Number(process.env.BENCH_LOGIN_SECONDS ?? Math.max(6, seconds * 2))
const LOGIN_WARM_SECONDS = 3
const ITERATIONS = 600_000

type Server = { key: string; name: string; start: (port: number, log: string[]) => ChildProcess }

const wanted = (process.env.BENCH_SERVERS ?? 'next,standalone,cluster').split(',').map((name) => name.trim())

const log: string[] = []
const database = await createPostgresDatabase()
const appEnv = { DATABASE_URI: database.url, PAYLOAD_SECRET: `bench-${randomBytes(12).toString('hex')}` }

/** Derivations per second on this machine, as many in flight as the logins (libuv's pool runs 4 at once). */
const bareDerivationRate = async (): Promise<number> => {
  const derive = promisify(pbkdf2)
  const salt = randomBytes(32).toString('hex')
  const { rate } = await steadyRate(() => derive(PASSWORD, salt, ITERATIONS, 32, 'sha256'), {
    concurrency: LOGIN_CONNECTIONS,
    seconds: LOGIN_SECONDS,
    warmSeconds: LOGIN_WARM_SECONDS,
  })
  return rate
}

/** login/ per second, by the same method as the bare derivation. */
const loginRate = async (url: string): Promise<Result> => {
  const { failures, rate } = await steadyRate(
    async () => {
      const res = await fetch(`${url}/login/`, {
        body: JSON.stringify({ password: PASSWORD, username: 'bench' }),
        headers: { 'content-type': 'application/json' },
        method: 'POST',
      })
      await res.arrayBuffer()
      if (res.status !== 200) {
        throw new Error(String(res.status))
      }
    },
    { concurrency: LOGIN_CONNECTIONS, seconds: LOGIN_SECONDS, warmSeconds: LOGIN_WARM_SECONDS },
  )
  return { mean: 0, name: 'login/', non2xx: failures, p50: 0, p99: 0, rps: rate }
}

/** Until user/ answers (401: the settings put JWT authentication first), or the server exits. */
const waitForApi = async (url: string, child: ChildProcess, timeoutMs = 180_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline && child.exitCode === null) {
    const status = await fetch(`${url}/user/`, { signal: AbortSignal.timeout(10_000) }).then((res) => res.status, () => 0)
    if (status === 401) {
      return
    }
    await sleep(250)
  }
  throw new Error(`${url}/user/ did not answer 401 within ${timeoutMs} ms (exit code ${child.exitCode})`)
}

const serveCommand = (workers: string): Server['start'] => (port, output) =>
  spawnLogged(
    {
      args: [path.join(root, 'node_modules/payload/bin.js'), 'rest-auth:serve', `--port=${port}`, '--host=127.0.0.1', `--workers=${workers}`],
      cwd: root,
      env: childEnv({ ...appEnv, PAYLOAD_CONFIG_PATH: path.join(root, 'dev/payload.config.ts'), SERVER_URL: `http://127.0.0.1:${port}` }),
    },
    output,
  )

const targets = (url: string, auth: { access: string; key: string; refresh: string }): Target[] => [
  { name: 'anonymous GET user/ (403)', url: `${url}/user/` },
  { headers: { authorization: `Token ${auth.key}` }, name: 'token GET user/', url: `${url}/user/` },
  { headers: { authorization: `Bearer ${auth.access}` }, name: 'JWT GET user/', url: `${url}/user/` },
  { body: { refresh: auth.refresh }, method: 'POST', name: 'token/refresh/', url: `${url}/token/refresh/` },
]

const results = new Map<string, Result[]>()
const derivations: number[] = []
const loginRatios = new Map<string, number>()
try {
  const [{ distDir }, seed] = await Promise.all([
    wanted.includes('next') ? ensureBuild(log) : { distDir: '' },
    (async () => {
      const output: string[] = []
      await run(
        {
          args: ['--import', 'tsx', 'test/bench/compareSeed.ts'],
          cwd: root,
          env: { ...childEnv(appEnv), NODE_ENV: 'development', PAYLOAD_FORCE_DRIZZLE_PUSH: 'true' },
        },
        output,
        'the seed',
      )
      const line = output.join('').split('\n').find((text) => text.startsWith('BENCH_SEED '))
      return JSON.parse(line!.slice('BENCH_SEED '.length)) as { key: string }
    })(),
  ])
  const allServers: Server[] = [
    {
      key: 'next',
      name: 'next start',
      start: (port, output) =>
        spawnLogged(
          {
            args: [path.join(root, 'node_modules/next/dist/bin/next'), 'start', 'dev', '-p', String(port), '-H', '127.0.0.1'],
            cwd: root,
            env: childEnv({ ...appEnv, NEXT_DIST_DIR: distDir, SERVER_URL: `http://127.0.0.1:${port}` }),
          },
          output,
        ),
    },
    { key: 'standalone', name: 'standalone', start: serveCommand('1') },
    { key: 'cluster', name: 'standalone, cluster', start: serveCommand('auto') },
  ]
  const servers = allServers.filter((server) => wanted.includes(server.key))
  // All servers run side by side (idle while another is measured) and every target is measured on each
  // in turn, so a change of the machine's load (it is shared) falls on all of them alike.
  const running: { child: ChildProcess; key: string; url: string }[] = []
  try {
    for (const server of servers) {
      const port = await freePort()
      const url = `http://127.0.0.1:${port}/api/dj-rest-auth`
      const output: string[] = []
      const child = server.start(port, output)
      running.push({ child, key: server.key, url })
      await waitForApi(url, child).catch((err: unknown) => {
        log.push(output.join(''))
        throw err
      })
      // In cluster mode the port answers as soon as one worker listens; the primary says when all do.
      while (server.key === 'cluster' && !output.join('').includes('workers listening on')) {
        await sleep(100)
      }
    }
    const login = await call(`${running[0]!.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'bench' } })
    const auth = { access: login.body.access as string, key: seed.key, refresh: login.body.refresh as string }
    // The login wrote last_login: for HOLD_MS no instance caches that user (src/cache/holds.ts).
    await sleep(HOLD_MS)
    // Warm every path (JIT, caches, connection pools), so no target pays for starting up.
    for (const { url } of running) {
      for (const target of targets(url, auth)) {
        await load(target, { connections, duration: 1 })
      }
    }
    running.forEach(({ key }) => results.set(key, []))
    // The order alternates from one target to the next, against drift within a target's turn.
    for (let i = 0; i < targets('', auth).length; i += 1) {
      for (const { key, url } of i % 2 === 0 ? running : [...running].reverse()) {
        results.get(key)!.push(await measure(targets(url, auth)[i]!, { connections, duration: seconds }))
      }
    }
    // Last: every login writes the user, which stops caching it for a while. Each server's login/ rate
    // is compared with the bare derivation rate measured just before and just after it.
    for (const { key, url } of running) {
      const before = await bareDerivationRate()
      const rate = await loginRate(url)
      const after = await bareDerivationRate()
      derivations.push(before, after)
      results.get(key)!.push(rate)
      loginRatios.set(key, rate.rps / ((before + after) / 2))
    }
  } finally {
    for (const { child } of running) {
      await stop(child)
    }
  }
} catch (err) {
  process.stderr.write(`${log.join('').slice(-4000)}\n`)
  throw err
} finally {
  await database.drop()
}

const [next, standalone, cluster] = ['next', 'standalone', 'cluster'].map((key) => results.get(key))
const rows = (next ?? standalone ?? cluster)!
const rps = (of: Result[] | undefined, i: number) => of?.[i]?.rps
const ratio = (a: number | undefined, b: number | undefined) => (a !== undefined && b ? (a / b).toFixed(2) : '-')
const cell = (value: number | undefined, width: number) => (value === undefined ? '-' : value.toFixed(value < 100 ? 1 : 0)).padStart(width)
console.log(
  `\n${connections} connections, ${seconds} s per target; login/: ${LOGIN_CONNECTIONS} in flight, ${LOGIN_SECONDS} s after ${LOGIN_WARM_SECONDS} s; PostgreSQL, one run\n`,
)
console.log(
  'target'.padEnd(27),
  'next start'.padStart(11),
  'standalone'.padStart(11),
  'cluster'.padStart(9),
  'standalone÷next'.padStart(16),
  'cluster÷next'.padStart(13),
)
rows.forEach((row, i) => {
  console.log(
    row.name.padEnd(27),
    cell(rps(next, i), 11),
    cell(rps(standalone, i), 11),
    cell(rps(cluster, i), 9),
    ratio(rps(standalone, i), rps(next, i)).padStart(16),
    ratio(rps(cluster, i), rps(next, i)).padStart(13),
  )
})
const unexpected = [...results].flatMap(([name, measured]) => measured.slice(1).filter((r) => r.non2xx > 0).map((r) => `${name} ${r.name}: ${r.non2xx}`))
if (unexpected.length > 0) {
  console.log(`\nnon-2xx answers (should be none): ${unexpected.join('; ')}`)
}
console.log(`\nbare pbkdf2-sha256 × ${ITERATIONS}: ${derivations.map((d) => d.toFixed(2)).join(', ')} /s (before and after each server's login/)`)
console.log(`token user/, standalone ÷ next start: ${ratio(rps(standalone, 1), rps(next, 1))} (goal ≥ 4)`)
console.log(
  `login/ ÷ bare derivation rate (the mean of the measures around it): ${['next', 'standalone', 'cluster'].map((key) => `${key} ${loginRatios.get(key)?.toFixed(2) ?? '-'}`).join(', ')} (goal ≥ 0.90)`,
)
process.exit(0)
