import type { Payload } from 'payload'

type EventSource = { on: (event: string, listener: (...args: never[]) => void) => unknown }

/**
 * node-postgres emits 'error' on its pool and on pooled clients when the server drops a
 * connection (a restart, a failover). With no listener, Node treats that as an uncaught exception
 * and the whole app dies; Payload's PostgreSQL adapter adds none. Logged instead, the next query
 * gets a fresh connection and the API answers 503 until the database is back.
 */
export const guardDatabasePool = (payload: Payload): void => {
  const pool = (payload.db as unknown as { pool?: EventSource & { _clients?: EventSource[] } }).pool
  if (!pool || typeof pool.on !== 'function') {
    return
  }
  const log = (err: unknown) =>
    payload.logger.warn({ err, msg: 'payload-rest-auth: database connection lost' })
  pool.on('error', log)
  pool.on('connect', (client: EventSource) => client.on('error', log))
  pool._clients?.forEach((client) => client.on('error', log))
}
