import type { PayloadRequest } from 'payload'

import { commitTransaction, initTransaction, killTransaction } from 'payload'

/** Runs `fn` in one database transaction joined by every Local API call that passes `req`. */
export const withTransaction = async <T>(req: PayloadRequest, fn: () => Promise<T>): Promise<T> => {
  const isOwner = await initTransaction(req)
  try {
    const result = await fn()
    if (isOwner) {
      await commitTransaction(req)
    }
    return result
  } catch (err) {
    if (isOwner) {
      await killTransaction(req)
    }
    throw err
  }
}
