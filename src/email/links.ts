import type { PayloadRequest } from 'payload'

import type { RestAuthSettings } from '../types.js'

import { logOriginRefused, siteOrigin } from '../http/forwarded.js'

/** Fills `{name}` placeholders, URL-encoding each value. */
export const fillTemplate = (template: string, values: Record<string, string>): string =>
  template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in values ? (name === 'origin' ? values[name]! : encodeURIComponent(values[name]!)) : whole,
  )

/**
 * A link for a mail: `template` with `{domain}` (the site domain), `{origin}` and `values` filled
 * in. `{origin}` is the site domain when asked (PASSWORD_RESET_USE_SITES_DOMAIN), else Payload's
 * `serverURL`, else — outside production only — the request's own origin. Null when production
 * would need the request's Host header: the caller does not send the mail (this logs why).
 */
export const mailLink = ({
  purpose,
  req,
  settings,
  template,
  useSiteDomain = false,
  values,
}: {
  purpose: string
  req: PayloadRequest
  settings: RestAuthSettings
  template: string
  useSiteDomain?: boolean
  values: Record<string, string>
}): null | string => {
  let origin = ''
  if (template.includes('{origin}')) {
    const found = useSiteDomain
      ? `${settings.sessionCookieSecure || settings.jwtAuthSecure ? 'https' : 'http'}://${settings.siteDomain}`
      : siteOrigin({ headers: req.headers, payload: req.payload, settings, url: req.url })
    if (found === null) {
      logOriginRefused(req.payload, purpose)
      return null
    }
    origin = found
  }
  return fillTemplate(template, { domain: settings.siteDomain, ...values, origin })
}
