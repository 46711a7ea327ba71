import cluster from 'node:cluster'

/*
 * The workers of startApiServer's cluster mode, without Redis, still agree: the primary relays
 * each worker's cache invalidations to the other workers over node:cluster's IPC (and keeps the
 * rate-limit counters, see src/throttling/limiters.ts). Only for workers the plugin's own primary
 * forked (it marks them in the environment): elsewhere no one would relay.
 */

export const CLUSTER_WORKER_ENV = 'PAYLOAD_REST_AUTH_CLUSTER_WORKER'
const MESSAGE_TYPE = 'payload-rest-auth:invalidate'

type Envelope = { channel: string; text: string; type: typeof MESSAGE_TYPE }

const isEnvelope = (value: unknown): value is Envelope =>
  typeof value === 'object' &&
  value !== null &&
  (value as Envelope).type === MESSAGE_TYPE &&
  typeof (value as Envelope).channel === 'string' &&
  typeof (value as Envelope).text === 'string'

/** A worker of startApiServer's cluster mode (its primary relays and counts). */
export const isManagedClusterWorker = (): boolean =>
  cluster.isWorker && process.env[CLUSTER_WORKER_ENV] === '1' && typeof process.send === 'function'

const listeners = new Map<string, Set<(text: string) => void>>()
let isListening = false

/** Calls `onText` with every message another worker sends on `channel`; answers how to stop. */
export const listenToOtherWorkers = (channel: string, onText: (text: string) => void): (() => void) => {
  if (!isListening) {
    isListening = true
    process.on('message', (message: unknown) => {
      if (isEnvelope(message)) {
        listeners.get(message.channel)?.forEach((listener) => listener(message.text))
      }
    })
  }
  const set = listeners.get(channel) ?? new Set()
  set.add(onText)
  listeners.set(channel, set)
  return () => {
    set.delete(onText)
  }
}

/** Hands `text` to the primary, which passes it to every other worker. */
export const sendToOtherWorkers = (channel: string, text: string): Promise<void> =>
  new Promise((resolve, reject) => {
    const envelope: Envelope = { channel, text, type: MESSAGE_TYPE }
    process.send!(envelope, undefined, {}, (err: Error | null) => (err ? reject(err) : resolve()))
  })

/** Primary: relays each worker's invalidations to the others. */
export const relayBetweenWorkers = (): void => {
  cluster.on('message', (sender, message: unknown) => {
    if (!isEnvelope(message)) {
      return
    }
    for (const worker of Object.values(cluster.workers ?? {})) {
      if (worker && worker !== sender && worker.isConnected()) {
        worker.send(message)
      }
    }
  })
}
