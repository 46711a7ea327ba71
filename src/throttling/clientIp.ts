import type { RestAuthSettings } from '../types.js'

const MAX_ADDRESS_LENGTH = 64

/**
 * The client address for rate limits, from X-Forwarded-For. Each reverse proxy appends the address
 * it received the request from (nginx's `$proxy_add_x_forwarded_for`), so with `trustedProxyCount`
 * proxies in front of the app the client is that many entries from the right; entries further left
 * are client-written and never trusted. With 0, the right-most entry is used: Next.js fills the
 * header with the peer address only when the request has none, so without a proxy a client can
 * choose its address — deploy behind one (see README).
 */
export const clientIp = (headers: Headers, settings: Pick<RestAuthSettings, 'trustedProxyCount'>): string => {
  const entries = (headers.get('x-forwarded-for') ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
  const index = entries.length - Math.max(1, settings.trustedProxyCount)
  const address = (index >= 0 ? entries[index] : entries[0]) ?? 'unknown'
  return address.replace(/^::ffff:/i, '').slice(0, MAX_ADDRESS_LENGTH)
}
