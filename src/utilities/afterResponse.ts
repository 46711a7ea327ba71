import { randomInt } from 'node:crypto'

/** Longest random delay before the work starts. */
const MAX_JITTER_MS = 250

/**
 * Runs work once the current answer is on its way: the mails that only known accounts get, so they
 * neither make those answers slower nor, started at a random moment within 250 ms, land their cost
 * on the client's very next request. Errors are the task's own to log; nothing is awaited.
 */
export const afterResponse = (task: () => Promise<unknown>): void => {
  setTimeout(() => {
    task().catch(() => undefined)
  }, randomInt(0, MAX_JITTER_MS + 1))
}
