import type { CookieOptions } from '../http/cookies.js'
import type { RestAuthSettings } from '../settings/definitions.js'

import { deleteCookie, serializeCookie } from '../http/cookies.js'

/**
 * One builder per cookie the API sets: the CSRF cookie, the session cookie, the JWT access and
 * refresh cookies. Login, JWT refresh, logout, password change and the admin's cookie preview all
 * build them here, so the preview shows exactly what a login sends. Values are parameters (the
 * preview passes placeholders): nothing here needs Node, so the admin's browser bundle can use it.
 */

/** Django's CSRF_COOKIE_AGE: one year. */
export const CSRF_COOKIE_AGE = 31449600

/**
 * Django's CSRF cookie, rotated at login so that a cookie-authenticated client can echo it in
 * X-CSRFToken; readable by scripts, like Django's. Secure with the session cookie, or (a JWT login
 * without SESSION_LOGIN) with either cookie setting.
 */
export const csrfCookie = (settings: RestAuthSettings, value: string): string =>
  serializeCookie(settings.csrfCookieName, value, {
    maxAge: CSRF_COOKIE_AGE,
    path: '/',
    sameSite: 'Lax',
    secure: settings.sessionLogin ? settings.sessionCookieSecure : settings.sessionCookieSecure || settings.jwtAuthSecure,
  })

/** Django's sessionid: HttpOnly, SESSION_COOKIE_AGE. */
export const sessionCookie = (settings: RestAuthSettings, key: string): string =>
  serializeCookie(settings.sessionCookieName, key, {
    httpOnly: true,
    maxAge: settings.sessionCookieAge,
    path: '/',
    sameSite: 'Lax',
    secure: settings.sessionCookieSecure,
  })

export const clearSessionCookie = (settings: RestAuthSettings): string =>
  deleteCookie(settings.sessionCookieName, { path: '/', sameSite: 'Lax' })

const jwtAttributes = (settings: RestAuthSettings): CookieOptions => ({
  httpOnly: settings.jwtAuthHttpOnly,
  sameSite: settings.jwtAuthSameSite as CookieOptions['sameSite'],
  secure: settings.jwtAuthSecure,
})

/** set_jwt_access_cookie: nothing when JWT_AUTH_COOKIE is empty. */
export const jwtAccessCookie = (settings: RestAuthSettings, token: string): string[] =>
  settings.jwtAuthCookie
    ? [serializeCookie(settings.jwtAuthCookie, token, { ...jwtAttributes(settings), maxAge: settings.accessTokenLifetime, path: '/' })]
    : []

/** set_jwt_refresh_cookie: nothing when JWT_AUTH_REFRESH_COOKIE is empty. */
export const jwtRefreshCookie = (settings: RestAuthSettings, token: string): string[] =>
  settings.jwtAuthRefreshCookie
    ? [
        serializeCookie(settings.jwtAuthRefreshCookie, token, {
          ...jwtAttributes(settings),
          maxAge: settings.refreshTokenLifetime,
          path: settings.jwtAuthRefreshCookiePath || '/',
        }),
      ]
    : []

/** unset_jwt_cookies: `name=""; expires=…1970…; Max-Age=0; Path=…; SameSite=…`. */
export const clearJwtCookies = (settings: RestAuthSettings): string[] => {
  const options = { sameSite: settings.jwtAuthSameSite as CookieOptions['sameSite'], secure: settings.jwtAuthSameSite === 'None' }
  return [
    ...(settings.jwtAuthCookie ? [deleteCookie(settings.jwtAuthCookie, { ...options, path: '/' })] : []),
    ...(settings.jwtAuthRefreshCookie
      ? [deleteCookie(settings.jwtAuthRefreshCookie, { ...options, path: settings.jwtAuthRefreshCookiePath || '/' })]
      : []),
  ]
}

/** Whether the JWT cookie is CSRF-checked, so a login hands out the CSRF cookie with it. */
export const isJwtCsrfOn = (settings: RestAuthSettings): boolean =>
  Boolean(settings.jwtAuthCookie) && (settings.jwtAuthCookieUseCsrf || settings.jwtAuthCookieEnforceCsrfOnUnauthenticated)
