import type { PayloadRequest } from 'payload'

import { AsyncLocalStorage } from 'node:async_hooks'
import { APIError } from 'payload'

import { messages } from '../errors/messages.js'
import { RestAuthError } from '../errors/RestAuthError.js'

/*
 * Password derivations (pbkdf2, about 100 ms of CPU each) run on libuv's thread pool, which also
 * serves file, DNS and zlib work. Unbounded, a login flood queues thousands of them and every
 * other request that needs the pool waits behind them. A process-wide count of derivations in
 * flight refuses the excess at once with 503 instead: it is the process's pool that is shared.
 */

/** Twice libuv's thread pool: enough to keep it busy, short enough to wait behind. */
export const defaultMaxPasswordChecks = (): number => 2 * (Number(process.env.UV_THREADPOOL_SIZE) || 4)

let limit = defaultMaxPasswordChecks()
let inFlight = 0
/** Set inside a slot: a check made of several derivations (a Django hash, then the rest of the cost) takes one. */
const insideSlot = new AsyncLocalStorage<true>()

/** Set by the plugin from its `maxPasswordChecksInFlight` option (the last plugin instance wins). */
export const setMaxPasswordChecks = (value: number): void => {
  limit = Math.max(1, Math.floor(value))
}

const busyError = (): RestAuthError =>
  new RestAuthError({ body: { detail: messages.account.passwordChecksBusy }, headers: { 'Retry-After': '1' }, status: 503 })

/** Payload's error for its own routes; its name sets the log level (see the plugin's `loggingLevels`). */
export class PasswordChecksBusyError extends APIError {
  constructor() {
    super(messages.account.passwordChecksBusy, 503, null, true)
    this.name = 'PasswordChecksBusyError'
  }
}

/**
 * Refuses like a full slot would, for a caller whose derivation Payload runs (its `users/login`):
 * 503 in Payload's error shape, with Retry-After.
 */
export const assertPasswordCheckSlotFree = (req: PayloadRequest): void => {
  if (inFlight >= limit) {
    req.responseHeaders = new Headers({ ...Object.fromEntries(req.responseHeaders ?? []), 'Retry-After': '1' })
    throw new PasswordChecksBusyError()
  }
}

/**
 * Runs one derivation when a slot is free, else throws 503 `{"detail": …}` with Retry-After. Known
 * and unknown accounts take a slot alike, so a refusal says nothing about the account.
 */
export const withPasswordCheckSlot = async <T>(work: () => Promise<T>): Promise<T> => {
  if (insideSlot.getStore()) {
    return work()
  }
  if (inFlight >= limit) {
    throw busyError()
  }
  inFlight += 1
  try {
    return await insideSlot.run(true, work)
  } finally {
    inFlight -= 1
  }
}
