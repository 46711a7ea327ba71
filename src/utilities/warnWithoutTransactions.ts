import type { Payload } from 'payload'

/**
 * Says once at start when the database adapter has no transactions (Payload's SQLite default,
 * MongoDB without a replica set): sign-ups then undo their own writes when a step fails, but
 * other multi-step writes (a password reset and the revocations it triggers) are not atomic.
 */
export const warnWithoutTransactions = async (payload: Payload): Promise<void> => {
  let id: null | number | string | undefined
  try {
    id = await payload.db.beginTransaction()
  } catch {
    id = null
  }
  if (id) {
    await payload.db.rollbackTransaction(id)
    return
  }
  payload.logger.info({
    msg: `payload-rest-auth: the ${payload.db.name} database adapter runs without transactions; failed sign-ups undo their own writes, other multi-step writes are not atomic (MongoDB: use a replica set; PostgreSQL always has them).`,
  })
}
