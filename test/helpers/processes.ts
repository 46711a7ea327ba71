import type { ChildProcess } from 'node:child_process'

import { spawn } from 'node:child_process'
import net from 'node:net'

/** The environment of a production child (`next build`, `next start`, Payload's CLI): no vitest variables. */
export const childEnv = (extra: Record<string, string>): Record<string, string> => {
  const env: Record<string, string> = {}
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('VITEST') && key !== 'NODE_OPTIONS' && key !== 'TEST') {
      env[key] = value
    }
  }
  return { ...env, NEXT_TELEMETRY_DISABLED: '1', NODE_ENV: 'production', NODE_OPTIONS: '--no-deprecation', ...extra }
}

export type Spawned = { args: string[]; command?: string; cwd: string; env: Record<string, string> }

/** Starts `command` (node by default) with its output collected in `log`. */
export const spawnLogged = ({ args, command = process.execPath, cwd, env }: Spawned, log: string[]): ChildProcess => {
  const child = spawn(command, args, { cwd, env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] })
  child.stdout?.on('data', (chunk: Buffer) => log.push(chunk.toString()))
  child.stderr?.on('data', (chunk: Buffer) => log.push(chunk.toString()))
  return child
}

/** Runs to completion; a non-zero exit rejects with the end of the output. */
export const run = (spawned: Spawned, log: string[], what: string): Promise<void> =>
  new Promise((resolve, reject) => {
    const child = spawnLogged(spawned, log)
    child.on('error', reject)
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${what} exited with ${code}:\n${log.join('').slice(-4000)}`))))
  })

export const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = net.createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo
      server.close(() => resolve(port))
    })
  })

export const stop = (child: ChildProcess): Promise<void> =>
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

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Waits until `url` answers 403 (the plugin's answer without credentials: Payload is up). */
export const waitForServer = async (url: string, child: ChildProcess, log: string[], timeoutMs = 90_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`next start exited with ${child.exitCode}:\n${log.join('').slice(-4000)}`)
    }
    try {
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
