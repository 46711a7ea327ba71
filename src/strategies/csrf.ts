import type { RestAuthSettings } from '../types.js'

import { messages } from '../errors/messages.js'
import { readCookie } from '../http/cookies.js'
import { safeEqual } from '../utilities/crypto.js'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE'])

export const isSafeMethod = (method: string | undefined): boolean => SAFE_METHODS.has((method ?? 'GET').toUpperCase())

/**
 * Django's double-submit check for cookie-authenticated requests: the X-CSRFToken header must
 * repeat the CSRF cookie. Returns the failure message, or undefined when the request passes.
 */
export const csrfFailure = ({
  headers,
  method,
  settings,
}: {
  headers: Headers
  method: string | undefined
  settings: RestAuthSettings
}): string | undefined => {
  if (isSafeMethod(method)) {
    return undefined
  }
  const cookie = readCookie(headers, settings.csrfCookieName)
  if (!cookie) {
    return messages.csrfNoCookie
  }
  const header = headers.get('x-csrftoken') ?? ''
  return header && safeEqual(header, cookie) ? undefined : messages.csrfBadToken
}
