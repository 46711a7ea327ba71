import type { CookieOptions } from '../http/cookies.js'
import type { RestAuthSettings } from '../types.js'

import { deleteCookie, serializeCookie } from '../http/cookies.js'
import { randomString } from '../utilities/crypto.js'

const CSRF_COOKIE_AGE = 31449600

const sameSite = (settings: RestAuthSettings) => settings.jwtAuthSameSite as CookieOptions['sameSite']

const attributes = (settings: RestAuthSettings): CookieOptions => ({
  httpOnly: settings.jwtAuthHttpOnly,
  sameSite: sameSite(settings),
  secure: settings.jwtAuthSecure,
})

/** set_jwt_access_cookie: nothing when JWT_AUTH_COOKIE is empty. */
export const accessCookie = (settings: RestAuthSettings, token: string): string[] =>
  settings.jwtAuthCookie
    ? [serializeCookie(settings.jwtAuthCookie, token, { ...attributes(settings), maxAge: settings.accessTokenLifetime, path: '/' })]
    : []

/** set_jwt_refresh_cookie: nothing when JWT_AUTH_REFRESH_COOKIE is empty. */
export const refreshCookie = (settings: RestAuthSettings, token: string): string[] =>
  settings.jwtAuthRefreshCookie
    ? [
        serializeCookie(settings.jwtAuthRefreshCookie, token, {
          ...attributes(settings),
          maxAge: settings.refreshTokenLifetime,
          path: settings.jwtAuthRefreshCookiePath || '/',
        }),
      ]
    : []

/** unset_jwt_cookies: `name=""; expires=…1970…; Max-Age=0; Path=…; SameSite=…`. */
export const clearJwtCookies = (settings: RestAuthSettings): string[] => {
  const options = { sameSite: sameSite(settings), secure: settings.jwtAuthSameSite === 'None' }
  return [
    ...(settings.jwtAuthCookie ? [deleteCookie(settings.jwtAuthCookie, { ...options, path: '/' })] : []),
    ...(settings.jwtAuthRefreshCookie
      ? [deleteCookie(settings.jwtAuthRefreshCookie, { ...options, path: settings.jwtAuthRefreshCookiePath || '/' })]
      : []),
  ]
}

export const isJwtCsrfOn = (settings: RestAuthSettings): boolean =>
  Boolean(settings.jwtAuthCookie) && (settings.jwtAuthCookieUseCsrf || settings.jwtAuthCookieEnforceCsrfOnUnauthenticated)

/**
 * A fresh CSRF cookie, as Django rotates it at login, so that a client authenticated by the JWT
 * cookie can echo it in X-CSRFToken. Readable by scripts, like Django's.
 */
export const csrfCookie = (settings: RestAuthSettings): string =>
  serializeCookie(settings.csrfCookieName, randomString(24), {
    maxAge: CSRF_COOKIE_AGE,
    path: '/',
    sameSite: 'Lax',
    secure: settings.sessionCookieSecure || settings.jwtAuthSecure,
  })
