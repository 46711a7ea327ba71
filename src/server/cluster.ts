import type { Worker } from 'node:cluster'

import cluster from 'node:cluster'

import { RateLimiterClusterMaster } from 'rate-limiter-flexible'

import { CLUSTER_WORKER_ENV, relayBetweenWorkers } from '../cache/clusterChannel.js'

/*
 * node:cluster's primary: forks the workers (each re-runs the program that called startApiServer,
 * so each loads the config and serves on the shared port), replaces one that dies, and on
 * SIGTERM/SIGINT drains them all. The primary loads no Payload and opens no database connection;
 * it relays the workers' cache invalidations and keeps their rate-limit counters, so without
 * Redis the workers still agree (src/cache/clusterChannel.ts).
 */

export type ClusterPrimary = {
  close: () => Promise<void>
  closed: Promise<void>
  url: string
}

const FORCE_KILL_GRACE_MS = 5_000

const log = (message: string) => process.stdout.write(`[payload-rest-auth] ${message}\n`)

export const runClusterPrimary = async ({
  drainTimeoutMs,
  handleSignals,
  workers: count,
}: {
  drainTimeoutMs: number
  handleSignals: boolean
  workers: number
}): Promise<ClusterPrimary> => {
  let isStopping = false
  let resolveClosed: () => void = () => undefined
  const closed = new Promise<void>((resolve) => {
    resolveClosed = resolve
  })
  const live = new Set<Worker>()
  // Counters of the workers' RateLimiterCluster limiters (used when there is no Redis).
  new RateLimiterClusterMaster()
  relayBetweenWorkers()
  const fork = () => cluster.fork({ [CLUSTER_WORKER_ENV]: '1' })

  const url = await new Promise<string>((resolve, reject) => {
    let listening = 0
    const onExit = (worker: Worker, code: null | number, signal: null | string) => {
      live.delete(worker)
      if (isStopping) {
        if (live.size === 0) {
          resolveClosed()
        }
        return
      }
      if (listening < count) {
        // A worker that cannot start (bad config, port taken) would only die again.
        isStopping = true
        live.forEach((other) => other.process.kill('SIGTERM'))
        reject(new Error(`API server worker ${worker.process.pid} exited with ${signal ?? code} before it was listening`))
        return
      }
      log(`worker ${worker.process.pid} exited with ${signal ?? code}; starting another`)
      live.add(fork())
    }
    cluster.on('exit', onExit)
    cluster.on('listening', (_worker, address) => {
      listening += 1
      if (listening === count) {
        const host = !address.address || address.address === '::' || address.address === '0.0.0.0' ? '127.0.0.1' : address.address
        resolve(`http://${host.includes(':') ? `[${host}]` : host}:${address.port}`)
      }
    })
    for (let i = 0; i < count; i += 1) {
      live.add(fork())
    }
  })

  const close = async () => {
    if (!isStopping) {
      isStopping = true
      if (live.size === 0) {
        resolveClosed()
      }
      live.forEach((worker) => worker.process.kill('SIGTERM'))
      const timer = setTimeout(() => live.forEach((worker) => worker.process.kill('SIGKILL')), drainTimeoutMs + FORCE_KILL_GRACE_MS)
      timer.unref()
    }
    await closed
  }
  if (handleSignals) {
    const onSignal = (signal: NodeJS.Signals) => {
      log(`${signal}: draining ${live.size} workers`)
      void close().then(() => process.exit(0))
    }
    process.once('SIGTERM', onSignal)
    process.once('SIGINT', onSignal)
  }
  log(`API server: ${count} workers listening on ${url}`)
  return { close, closed, url }
}
