import type { PayloadRequest } from 'payload'

import type { RestAuthSettings } from '../types.js'

/**
 * The origin links in mails point at: the site domain when asked (PASSWORD_RESET_USE_SITES_DOMAIN),
 * else Payload's `serverURL`, else the request's own origin. Set one of the first two in
 * production so a forged Host header cannot redirect links.
 */
export const linkOrigin = (req: PayloadRequest, settings: RestAuthSettings, { useSiteDomain = false } = {}): string => {
  if (useSiteDomain) {
    return `${settings.sessionCookieSecure || settings.jwtAuthSecure ? 'https' : 'http'}://${settings.siteDomain}`
  }
  const serverURL = req.payload.config.serverURL
  if (serverURL) {
    return serverURL.replace(/\/+$/, '')
  }
  return req.origin ?? new URL(req.url ?? 'http://localhost').origin
}

/** Fills `{name}` placeholders, URL-encoding each value. */
export const fillTemplate = (template: string, values: Record<string, string>): string =>
  template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in values ? (name === 'origin' ? values[name]! : encodeURIComponent(values[name]!)) : whole,
  )
