import type { PayloadRequest } from 'payload'

import { commitTransaction, initTransaction, killTransaction } from 'payload'

export type TransactionScope = {
  /**
   * How to take a step back if a later step fails while the database runs without transactions
   * (Payload's SQLite adapter by default, MongoDB without a replica set). Ignored when a real
   * transaction rolls everything back.
   */
  undoOnFailure: (undo: () => Promise<unknown>) => void
}

/** A transaction this call or an enclosing one really holds (not the `null` of an adapter without them). */
const hasTransaction = (req: PayloadRequest): boolean => Boolean(req.transactionID) && !(req.transactionID instanceof Promise)

/**
 * Runs `fn` in one database transaction joined by every Local API call that passes `req`. Without
 * transaction support, the undo steps `fn` registered run in reverse order when it fails, so a
 * failed sign-up leaves no half-made account behind.
 */
export const withTransaction = async <T>(req: PayloadRequest, fn: (scope: TransactionScope) => Promise<T>): Promise<T> => {
  const isOwner = await initTransaction(req)
  const isAtomic = isOwner || hasTransaction(req)
  const undos: (() => Promise<unknown>)[] = []
  try {
    const result = await fn({ undoOnFailure: (undo) => (isAtomic ? undefined : undos.push(undo)) })
    if (isOwner) {
      await commitTransaction(req)
    }
    return result
  } catch (err) {
    if (isOwner) {
      await killTransaction(req)
    }
    for (const undo of undos.reverse()) {
      await undo().catch((undoErr: unknown) =>
        req.payload.logger.error({ err: undoErr, msg: 'payload-rest-auth: could not undo a step of a failed write' }),
      )
    }
    throw err
  }
}
