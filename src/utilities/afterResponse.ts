/**
 * Runs work once the current answer is on its way (mails that must not make known accounts slower
 * to answer than unknown ones). Errors are the task's own to log; nothing is awaited.
 */
export const afterResponse = (task: () => Promise<unknown>): void => {
  setImmediate(() => {
    task().catch(() => undefined)
  })
}
