import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { Payload, SanitizedConfig } from 'payload'

import cluster from 'node:cluster'
import http from 'node:http'
import { availableParallelism } from 'node:os'

import { getPayload, handleEndpoints } from 'payload'

import { stopCacheInvalidation } from '../cache/invalidation.js'
import { closeRateLimitStores } from '../throttling/limiters.js'
import { pluginOptionsOf } from '../utilities/pluginOptions.js'
import { runClusterPrimary } from './cluster.js'
import { checkHealth } from './health.js'
import { sendJson, sendResponse, toFetchRequest, urlOrigin } from './nodeHttp.js'

export type ApiServerOptions = {
  /** The Payload config, or the promise a config module exports. */
  config: Promise<SanitizedConfig> | SanitizedConfig
  /**
   * How long a shutdown waits for requests in flight before it cuts their connections (ms).
   * @default 10000
   */
  drainTimeoutMs?: number
  /**
   * How long a shutdown keeps accepting and serving, the health route answering 503, before it
   * closes the listener (ms): the time the load balancer needs to see the 503 (or the
   * orchestrator to drop the instance from its endpoints) and stop sending.
   * @default 0
   */
  drainDelayMs?: number
  /**
   * On SIGTERM and SIGINT: drain, `payload.destroy()`, exit 0.
   * @default true
   */
  handleSignals?: boolean
  /**
   * The health route (GET or HEAD, outside Payload's routes); `false` serves none.
   * @default '/health'
   */
  healthPath?: false | string
  /**
   * The interface to listen on.
   * @default process.env.HOST, else every interface
   */
  host?: string
  /**
   * How long an idle keep-alive connection stays open (ms). Above the idle timeout of the load
   * balancer in front (AWS ALB: 60 s), so it is never the server that closes a connection the
   * balancer is about to reuse.
   * @default 65000
   */
  keepAliveTimeoutMs?: number
  /** Payload's instance cache key, for several Payload apps in one process (tests). */
  payloadInstanceCacheKey?: string
  /**
   * @default process.env.PORT, else 3001
   */
  port?: number
  /**
   * Longest time to receive a whole request (ms); Node's requestTimeout.
   * @default 30000
   */
  requestTimeoutMs?: number
  /**
   * `all`: Payload's whole REST API under `routes.api`; `plugin`: only the plugin's routes
   * (`/api/<routePrefix>/…`), every other path 404.
   * @default 'all'
   */
  routes?: 'all' | 'plugin'
  /**
   * Processes serving the port (node:cluster); `'auto'` is one per core. Each worker has its own
   * caches and, without Redis, its own rate-limit counters (see the README).
   * @default 1
   */
  workers?: 'auto' | number
}

export type ApiServer = {
  /** Drain, then `payload.destroy()` (in cluster mode: drain every worker). */
  close: () => Promise<void>
  /** Settles once the server is closed, whoever closed it. */
  closed: Promise<void>
  /** This process's Payload; absent in cluster mode's primary, which serves nothing itself. */
  payload?: Payload
  /** This process's HTTP server; absent in cluster mode's primary. */
  server?: Server
  /** `http://<host>:<port>` */
  url: string
}

const workerCount = (workers: ApiServerOptions['workers']): number =>
  workers === 'auto' ? availableParallelism() : Math.max(1, Math.floor(workers ?? 1))

const isUnder = (pathname: string, base: string) => pathname === base || pathname.startsWith(`${base}/`)

/**
 * Payload's REST API on node:http, through the same `handleEndpoints` as the Next.js route: no
 * Next.js, no admin. See the README, "Standalone API server".
 */
export const startApiServer = async (options: ApiServerOptions): Promise<ApiServer> => {
  const drainTimeoutMs = options.drainTimeoutMs ?? 10_000
  const handleSignals = options.handleSignals ?? true
  const workers = workerCount(options.workers)
  if (workers > 1 && cluster.isPrimary) {
    return runClusterPrimary({ drainTimeoutMs, handleSignals, workers })
  }
  const config = await options.config
  const key = options.payloadInstanceCacheKey
  const payload = await getPayload({ config, ...(key ? { key } : {}) })
  const healthPath = options.healthPath ?? '/health'
  const pluginBase = `${config.routes.api}/${pluginOptionsOf(payload).routePrefix}`
  let isDraining = false
  let inFlight = 0
  let onIdle: (() => void) | undefined

  const serve = (req: IncomingMessage, res: ServerResponse): void => {
    const pathname = (req.url ?? '/').split('?')[0]!
    if (healthPath && pathname === healthPath && (req.method === 'GET' || req.method === 'HEAD')) {
      void checkHealth({ isDraining, payload }).then(({ body, status }) => sendJson(res, status, body))
      return
    }
    if (options.routes === 'plugin' && !isUnder(pathname, pluginBase)) {
      sendJson(res, 404, { detail: 'Not found.' })
      return
    }
    inFlight += 1
    res.once('close', () => {
      inFlight -= 1
      if (inFlight === 0) {
        onIdle?.()
      }
    })
    void (async () => {
      try {
        const request = toFetchRequest(req, urlOrigin(req))
        const response = await handleEndpoints({ config, payloadInstanceCacheKey: key, request })
        await sendResponse(response, req, res, { isClosing: isDraining })
      } catch (err) {
        // handleEndpoints answers its own errors; this is a failure of the transport (a client gone mid-body).
        payload.logger.error({ err, msg: 'payload-rest-auth: API server could not answer a request' })
        if (res.headersSent) {
          res.destroy()
        } else {
          sendJson(res, 500, { detail: 'A server error occurred.' }, { connection: 'close' })
        }
      }
    })()
  }

  const server = http.createServer(serve)
  server.keepAliveTimeout = options.keepAliveTimeoutMs ?? 65_000
  server.requestTimeout = options.requestTimeoutMs ?? 30_000
  // Node's rule: headers within the request's own limit.
  server.headersTimeout = Math.min(server.requestTimeout, 60_000)
  const port = options.port ?? Number(process.env.PORT ?? 3001)
  const host = options.host ?? process.env.HOST
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const address = server.address()
  const boundPort = typeof address === 'object' && address ? address.port : port
  const shownHost = !host || host === '::' || host === '0.0.0.0' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host
  const url = `http://${shownHost}:${boundPort}`

  let resolveClosed: () => void = () => undefined
  const closed = new Promise<void>((resolve) => {
    resolveClosed = resolve
  })
  let closing: Promise<void> | undefined
  const close = (): Promise<void> => {
    closing ??= (async () => {
      isDraining = true
      if (options.drainDelayMs) {
        await new Promise((resolve) => setTimeout(resolve, options.drainDelayMs))
      }
      // New connections are refused, idle keep-alive ones closed; busy ones close after their answer (Connection: close).
      const listenerClosed = new Promise<void>((resolve) => server.close(() => resolve()))
      server.closeIdleConnections()
      if (inFlight > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, drainTimeoutMs)
          onIdle = () => {
            clearTimeout(timer)
            resolve()
          }
        })
      }
      server.closeAllConnections()
      await listenerClosed
      await stopCacheInvalidation(payload)
      await payload.destroy()
      resolveClosed()
    })()
    return closing
  }
  if (handleSignals) {
    const onSignal = (signal: NodeJS.Signals) => {
      payload.logger.info({ msg: `payload-rest-auth: ${signal}: draining the API server` })
      void close()
        .then(closeRateLimitStores)
        .then(() => process.exit(0))
    }
    process.once('SIGTERM', onSignal)
    process.once('SIGINT', onSignal)
  }
  payload.logger.info({ msg: `payload-rest-auth: API server listening on ${url} (${options.routes === 'plugin' ? `${pluginBase}/ only` : `${config.routes.api}/`})` })
  return { close, closed, payload, server, url }
}
