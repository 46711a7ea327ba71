import type { PayloadRequest } from 'payload'
import type { RateLimiterRes } from 'rate-limiter-flexible'

import type { RequestData } from '../http/parseBody.js'
import type { RestAuthSettings, SanitizedRestAuthOptions } from '../types.js'
import type { ThrottleScope } from './scopes.js'

import { clientAddress } from '../http/forwarded.js'
import { sha256Hex } from '../utilities/crypto.js'
import { limiterFor } from './limiters.js'
import { parseRate } from './parseRate.js'
import { throttledError } from './throttledError.js'
import { throttleScopes } from './scopes.js'

const isLimiterRes = (value: unknown): value is RateLimiterRes =>
  typeof value === 'object' && value !== null && 'msBeforeNext' in value

/**
 * Counts the request against its scope's limits; throws DRF's 429 when one is exhausted. `only:
 * 'account'` counts the per-account limit alone, for a handler that learns the account later than
 * dispatch (code/resend/ reads the address from its flow). With `account`, an account the handler
 * found (the user behind an `mfa_token`), only the scope's per-account limit is counted too:
 * dispatch counted the address already.
 */
export const checkThrottle = async ({
  account: foundAccount,
  data,
  only,
  options,
  req,
  scope,
  settings,
}: {
  account?: string
  data: RequestData
  only?: 'account'
  options: SanitizedRestAuthOptions
  req: PayloadRequest
  scope: ThrottleScope
  settings: RestAuthSettings
}): Promise<void> => {
  if (!settings.throttleEnabled) {
    return
  }
  const spec = throttleScopes[scope]
  const checks: { key: string; name: string; rate: string }[] =
    only === 'account' || foundAccount !== undefined ? [] : [{ key: clientAddress(req.headers, settings), name: `${scope}:ip`, rate: settings[spec.ip] as string }]
  if ('account' in spec) {
    const account = foundAccount ?? spec.accountOf(data, settings)
    if (typeof account === 'string' && account.trim()) {
      // Hashed: bounded key size, and no addresses in clear in Redis.
      checks.push({ key: sha256Hex(account.trim().toLowerCase()), name: `${scope}:account`, rate: settings[spec.account] as string })
    }
  }
  for (const { key, name, rate } of checks) {
    const parsed = rate ? parseRate(rate) : null
    if (!parsed) {
      continue
    }
    try {
      await limiterFor({ name, payload: req.payload, rate: parsed, store: options.rateLimitStore }).consume(key)
    } catch (err) {
      if (isLimiterRes(err)) {
        throw throttledError(err.msBeforeNext)
      }
      // The store failed and had no insurance: do not turn a Redis outage into refused logins.
      req.payload.logger.warn({ err, msg: 'payload-rest-auth: rate limit store unavailable' })
    }
  }
}
