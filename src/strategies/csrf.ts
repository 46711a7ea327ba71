import type { Payload } from 'payload'

import type { RestAuthSettings } from '../types.js'

import { messages } from '../errors/messages.js'
import { readCookie } from '../http/cookies.js'
import { requestOrigin, serverOrigin } from '../http/forwarded.js'
import { safeEqual } from '../utilities/crypto.js'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE'])

export const isSafeMethod = (method: string | undefined): boolean => SAFE_METHODS.has((method ?? 'GET').toUpperCase())

type TrustedOrigin = { host: string; isWildcard: boolean; port: string; scheme: string }

const ORIGIN_PATTERN = /^(https?):\/\/(\*\.)?([a-z\d-]+(?:\.[a-z\d-]+)*|\[[\da-f:.]+\])(?::(\d{1,5}))?\/?$/i

const defaultPort = (scheme: string): string => (scheme === 'https' ? '443' : '80')

/** CSRF_TRUSTED_ORIGINS: `scheme://host[:port]`, the host may start with `*.` for its subdomains. */
export const parseTrustedOrigins = (value: string): { invalid: string[]; origins: TrustedOrigin[] } => {
  const origins: TrustedOrigin[] = []
  const invalid: string[] = []
  for (const entry of value.split(/[\s,]+/).filter(Boolean)) {
    const match = ORIGIN_PATTERN.exec(entry)
    if (!match) {
      invalid.push(entry)
      continue
    }
    const scheme = match[1]!.toLowerCase()
    origins.push({ host: match[3]!.toLowerCase(), isWildcard: Boolean(match[2]), port: match[4] ?? defaultPort(scheme), scheme })
  }
  return { invalid, origins }
}

const toTrusted = (origin: string): null | TrustedOrigin => {
  const match = ORIGIN_PATTERN.exec(origin)
  if (!match || match[2]) {
    return null
  }
  const scheme = match[1]!.toLowerCase()
  return { host: match[3]!.toLowerCase(), isWildcard: false, port: match[4] ?? defaultPort(scheme), scheme }
}

/** Django's _origin_verified: this site's origin, or one of CSRF_TRUSTED_ORIGINS (`*.` matching subdomains). */
const isAllowedOrigin = (origin: string, ownOrigins: string[], settings: RestAuthSettings): boolean => {
  const candidate = toTrusted(origin)
  if (!candidate) {
    return false
  }
  const own = ownOrigins.map(toTrusted).filter((value): value is TrustedOrigin => value !== null)
  return [...own, ...parseTrustedOrigins(settings.csrfTrustedOrigins).origins].some(
    (allowed) =>
      allowed.scheme === candidate.scheme &&
      allowed.port === candidate.port &&
      (allowed.isWildcard ? candidate.host.endsWith(`.${allowed.host}`) : allowed.host === candidate.host),
  )
}

export type OriginCheck = {
  headers: Headers
  payload: Pick<Payload, 'config'>
  settings: RestAuthSettings
  url?: string
}

/**
 * Django's CsrfViewMiddleware before the token: an Origin header must name this site (serverURL,
 * or the host the request was sent to) or a CSRF_TRUSTED_ORIGINS entry; without one, a request to
 * an HTTPS site must carry a Referer from such an origin (`requireReferer`). Browsers send Origin
 * with every cross-origin POST, so a page elsewhere is refused even if it tossed a CSRF cookie
 * onto this site. Returns the failure message, or undefined.
 */
export const originFailure = ({ headers, payload, requireReferer, settings, url }: OriginCheck & { requireReferer: boolean }): string | undefined => {
  const own = requestOrigin({ headers, settings, url })
  const ownOrigins = [serverOrigin(payload), own].filter((value): value is string => Boolean(value))
  const origin = headers.get('origin')
  if (origin !== null) {
    return isAllowedOrigin(origin, ownOrigins, settings) ? undefined : messages.csrf.badOrigin(origin)
  }
  if (!own?.startsWith('https:')) {
    return undefined
  }
  const referer = headers.get('referer')
  if (referer === null) {
    return requireReferer ? messages.csrf.noReferer : undefined
  }
  let refererUrl: URL
  try {
    refererUrl = new URL(referer)
  } catch {
    return messages.csrf.malformedReferer
  }
  if (refererUrl.protocol !== 'https:') {
    return refererUrl.protocol === 'http:' ? messages.csrf.insecureReferer : messages.csrf.malformedReferer
  }
  return isAllowedOrigin(refererUrl.origin, ownOrigins, settings) ? undefined : messages.csrf.badReferer(refererUrl.origin)
}

/**
 * Django's checks for cookie-authenticated requests (SessionAuthentication's enforce_csrf): the
 * origin (see originFailure), then the X-CSRFToken header must repeat the CSRF cookie. Returns the
 * failure message, or undefined when the request passes.
 */
export const csrfFailure = ({ method, ...request }: OriginCheck & { method: string | undefined }): string | undefined => {
  if (isSafeMethod(method)) {
    return undefined
  }
  const badOrigin = originFailure({ ...request, requireReferer: true })
  if (badOrigin) {
    return badOrigin
  }
  const cookie = readCookie(request.headers, request.settings.csrfCookieName)
  if (!cookie) {
    return messages.csrf.noCookie
  }
  const header = request.headers.get('x-csrftoken') ?? ''
  return header && safeEqual(header, cookie) ? undefined : messages.csrf.badToken
}

const FORM_MEDIA_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data'])

/**
 * Login CSRF: an HTML form on another site can post these bodies without a preflight (and so log
 * the visitor into the attacker's account). A browser sends Origin with such a post; it must name
 * this site or a trusted origin. Clients that send neither Origin nor Referer (apps, scripts)
 * pass, as JSON bodies always do (a cross-site page cannot send JSON without CORS allowing it).
 */
export const crossSiteFormFailure = ({ method, ...request }: OriginCheck & { method: string | undefined }): string | undefined => {
  const mediaType = (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase()
  if (isSafeMethod(method) || !FORM_MEDIA_TYPES.has(mediaType)) {
    return undefined
  }
  return originFailure({ ...request, requireReferer: false })
}
