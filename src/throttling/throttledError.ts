import { RestAuthError } from '../errors/RestAuthError.js'

/** DRF's Throttled: 429, the wait in whole seconds in the message and in Retry-After. */
export const throttledError = (msBeforeNext: number): RestAuthError => {
  const wait = Math.max(1, Math.ceil(msBeforeNext / 1000))
  return new RestAuthError({
    body: { detail: `Request was throttled. Expected available in ${wait} second${wait === 1 ? '' : 's'}.` },
    headers: { 'Retry-After': String(wait) },
    status: 429,
  })
}
