import type { ChildProcess } from 'node:child_process'

import { mkdtempSync, rmSync } from 'node:fs'
import http from 'node:http'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'

import { parseServeCommand } from '../../src/server/serveCommand.js'
import { testDatabases } from '../helpers/database.js'
import { freePort, isAlive, sleep, spawnLogged } from '../helpers/processes.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const dir = mkdtempSync(path.join(tmpdir(), 'rest-auth-serve-'))

/** `npx payload rest-auth:serve …` on a SQLite file of the test's own. */
const serve = (args: string[], env: Record<string, string>, log: string[]): ChildProcess =>
  spawnLogged(
    {
      args: [path.join(root, 'node_modules/payload/bin.js'), 'rest-auth:serve', ...args],
      cwd: root,
      env: {
        ...(process.env as Record<string, string>),
        PAYLOAD_CONFIG_PATH: path.join(root, 'test/fixtures/serve/cli.config.ts'),
        SERVE_TEST_DATABASE_URL: `file:${path.join(dir, 'serve.db')}`,
        ...env,
      },
    },
    log,
  )

const waitForHealth = async (url: string, child: ChildProcess, log: string[]) => {
  const deadline = Date.now() + 120_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`payload rest-auth:serve exited with ${child.exitCode}:\n${log.join('')}`)
    }
    try {
      if ((await fetch(`${url}/health`)).status === 200) {
        return
      }
    } catch {
      // not listening yet
    }
    await sleep(250)
  }
  throw new Error(`no health from ${url}:\n${log.join('')}`)
}

const exitOf = (child: ChildProcess) =>
  new Promise<null | number>((resolve) => {
    if (child.exitCode !== null) {
      resolve(child.exitCode)
      return
    }
    child.once('exit', (code) => resolve(code))
  })

type Answer = { body: any; status: number }

/** A request over `agent` (false: a connection of its own; cluster mode hands connections, not requests, to workers). */
const request = (url: string, { agent = false, body, method = 'GET', token }: { agent?: false | http.Agent; body?: unknown; method?: string; token?: string } = {}) =>
  new Promise<Answer>((resolve, reject) => {
    const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' }
    if (token) {
      headers.authorization = `Token ${token}`
    }
    const req = http.request(url, { agent, headers, method }, (res) => {
      let text = ''
      res.on('data', (chunk: Buffer) => (text += chunk.toString()))
      res.on('end', () => resolve({ body: text ? JSON.parse(text) : undefined, status: res.statusCode ?? 0 }))
    })
    req.on('error', reject)
    req.end(body === undefined ? undefined : JSON.stringify(body))
  })

const pidOf = async (url: string, agent: false | http.Agent = false) => (await request(`${url}/api/pid`, { agent })).body.pid as number

/** A keep-alive connection to each of two different workers. */
const agentsOnTwoWorkers = async (url: string) => {
  const first = new http.Agent({ keepAlive: true, maxSockets: 1 })
  const firstPid = await pidOf(url, first)
  for (let i = 0; i < 20; i += 1) {
    const second = new http.Agent({ keepAlive: true, maxSockets: 1 })
    if ((await pidOf(url, second)) !== firstPid) {
      return [first, second] as const
    }
    second.destroy()
  }
  throw new Error('every connection went to one worker')
}

describe('payload rest-auth:serve', () => {
  const children: ChildProcess[] = []
  afterAll(() => {
    children.forEach((child) => child.exitCode === null && child.kill('SIGKILL'))
    rmSync(dir, { force: true, recursive: true })
  })

  it('reads its options and refuses bad ones', () => {
    expect(parseServeCommand(['--port=0', '--workers=auto', '--routes=plugin', '--host=127.0.0.1'])).toEqual({
      args: { healthPath: undefined, host: '127.0.0.1', port: 0, routes: 'plugin', workers: 'auto' },
    })
    for (const bad of [['--port=x'], ['--workers=0'], ['--routes=admin'], ['extra'], ['--unknown']]) {
      expect(parseServeCommand(bad)).toHaveProperty('error')
    }
  })

  // The process model does not depend on the database: one run, on SQLite.
  it.runIf(testDatabases().includes('sqlite'))(
    'serves until SIGTERM, then drains and exits 0; --workers=2 serves from two processes and drains both',
    async () => {
      const log: string[] = []
      const port = await freePort()
      const url = `http://127.0.0.1:${port}`
      // Development mode: Payload pushes the schema into the fresh file.
      const single = serve([`--port=${port}`, '--host=127.0.0.1'], { NODE_ENV: 'development' }, log)
      children.push(single)
      await waitForHealth(url, single, log)
      expect((await fetch(`${url}/api/dj-rest-auth/user/`)).status).toBe(403)
      single.kill('SIGTERM')
      expect(await exitOf(single), log.join('')).toBe(0)
      expect(log.join('')).toContain('SIGTERM: draining the API server')

      const clusterLog: string[] = []
      const primary = serve([`--port=${port}`, '--host=127.0.0.1', '--workers=2'], { NODE_ENV: 'production' }, clusterLog)
      children.push(primary)
      await waitForHealth(url, primary, clusterLog)
      // The port answers as soon as one worker listens; the primary says when all do.
      while (!clusterLog.join('').includes('API server: 2 workers listening')) {
        await sleep(100)
      }
      const pids = new Set<number>()
      for (let i = 0; i < 12 && pids.size < 2; i += 1) {
        pids.add(await pidOf(url))
      }
      expect(pids.size).toBe(2)
      expect(pids.has(primary.pid!)).toBe(false)

      // Without Redis, the workers still agree: a logout on one is refused by the other at once,
      // and the rate limits count requests to both.
      const [a, b] = await agentsOnTwoWorkers(url)
      const api = `${url}/api/dj-rest-auth`
      const signUp = { email: 'ann@example.com', password1: 'Xk9!pq2mZz', password2: 'Xk9!pq2mZz', username: 'ann' }
      expect((await request(`${api}/registration/`, { agent: a, body: signUp, method: 'POST' })).status).toBeLessThan(300)
      const login = await request(`${api}/login/`, { agent: a, body: { password: 'Xk9!pq2mZz', username: 'ann' }, method: 'POST' })
      expect(login.status).toBe(200)
      const key = login.body.key as string
      expect((await request(`${api}/user/`, { agent: b, token: key })).status).toBe(200)
      const logout = await request(`${api}/logout/`, { agent: a, method: 'POST', token: key })
      expect(logout.status, JSON.stringify(logout.body) + clusterLog.join('').slice(-3000)).toBe(200)
      expect((await request(`${api}/user/`, { agent: b, token: key })).status).toBe(403)
      const statuses: number[] = []
      for (let i = 0; i < 11; i += 1) {
        const agent = i % 2 === 0 ? a : b
        statuses.push((await request(`${api}/login/`, { agent, body: { password: 'wrong', username: 'ann' }, method: 'POST' })).status)
      }
      // throttleLoginAccount is 10/min: the 11th attempt is refused, though each worker saw only 5 or 6.
      expect(statuses.slice(0, 9).every((status) => status === 400)).toBe(true)
      expect(statuses.at(-1)).toBe(429)
      a.destroy()
      b.destroy()

      primary.kill('SIGTERM')
      expect(await exitOf(primary), clusterLog.join('')).toBe(0)
      expect(clusterLog.join('')).toContain('SIGTERM: draining 2 workers')
      for (const pid of pids) {
        expect(isAlive(pid)).toBe(false)
      }
    },
    300_000,
  )
})
