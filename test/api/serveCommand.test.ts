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

/** One request on a connection of its own (cluster mode hands connections, not requests, to workers). */
const pidOf = (url: string) =>
  new Promise<number>((resolve, reject) => {
    http
      .get(`${url}/api/pid`, { agent: false }, (res) => {
        let text = ''
        res.on('data', (chunk: Buffer) => (text += chunk.toString()))
        res.on('end', () => resolve((JSON.parse(text) as { pid: number }).pid))
      })
      .on('error', reject)
  })

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
      const pids = new Set<number>()
      for (let i = 0; i < 12 && pids.size < 2; i += 1) {
        pids.add(await pidOf(url))
      }
      expect(pids.size).toBe(2)
      expect(pids.has(primary.pid!)).toBe(false)
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
