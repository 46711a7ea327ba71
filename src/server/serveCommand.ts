import type { SanitizedConfig } from 'payload'

import { parseArgs } from 'node:util'

import type { ApiServerOptions } from './startApiServer.js'

import { startApiServer } from './startApiServer.js'

const COMMAND = 'rest-auth:serve'

const USAGE = `Usage: payload ${COMMAND} [--port=3001] [--host=0.0.0.0] [--routes=all|plugin] [--workers=1|auto] [--health-path=/health]

Serves Payload's REST API on node:http (no Next.js, no admin) until SIGTERM or SIGINT.
  --port         default: PORT, else 3001
  --host         default: HOST, else every interface
  --routes       all: Payload's whole REST API (default); plugin: only /api/<routePrefix>/…
  --workers      processes on the port (node:cluster); auto: one per core (default 1)
  --health-path  the health route (default /health)`

type ServeArgs = Omit<ApiServerOptions, 'config'>

/** The command line after the command's name, or the reason it is wrong. */
export const parseServeCommand = (argv: string[]): { args: ServeArgs } | { error: string } => {
  try {
    const { positionals, values } = parseArgs({
      allowPositionals: true,
      args: argv,
      options: {
        'health-path': { type: 'string' },
        host: { type: 'string' },
        port: { type: 'string' },
        routes: { type: 'string' },
        workers: { type: 'string' },
      },
    })
    const port = values.port === undefined ? undefined : Number(values.port)
    const workers = values.workers === undefined || values.workers === 'auto' ? values.workers : Number(values.workers)
    const isBadPort = port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)
    const isBadWorkers = typeof workers === 'number' && (!Number.isInteger(workers) || workers < 1)
    const isBadRoutes = values.routes !== undefined && values.routes !== 'all' && values.routes !== 'plugin'
    if (positionals.length > 0 || isBadPort || isBadWorkers || isBadRoutes) {
      return { error: USAGE }
    }
    return {
      args: {
        healthPath: values['health-path'],
        host: values.host,
        port,
        routes: values.routes as ServeArgs['routes'],
        workers: workers as ServeArgs['workers'],
      },
    }
  } catch (err) {
    return { error: `${(err as Error).message}\n\n${USAGE}` }
  }
}

/** What `payload rest-auth:serve` runs; returns once the server has drained (Payload's CLI then exits). */
export const script = async (config: SanitizedConfig): Promise<void> => {
  const parsed = parseServeCommand(process.argv.slice(process.argv.findIndex((arg) => arg.toLowerCase() === COMMAND) + 1))
  if ('error' in parsed) {
    process.stdout.write(`${parsed.error}\n`)
    process.exit(2)
  }
  const server = await startApiServer({ ...parsed.args, config })
  await server.closed
}
