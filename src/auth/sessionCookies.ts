import type { RestAuthSettings } from '../types.js'

import { deleteCookie, serializeCookie } from '../http/cookies.js'
import { randomString } from '../utilities/crypto.js'

const CSRF_COOKIE_AGE = 31449600

/** The session cookie and a fresh CSRF cookie: Django rotates the CSRF token at login. */
export const sessionCookies = ({ key, settings }: { key: string; settings: RestAuthSettings }): string[] => {
  const secure = settings.sessionCookieSecure
  return [
    serializeCookie(settings.csrfCookieName, randomString(24), { maxAge: CSRF_COOKIE_AGE, path: '/', sameSite: 'Lax', secure }),
    serializeCookie(settings.sessionCookieName, key, {
      httpOnly: true,
      maxAge: settings.sessionCookieAge,
      path: '/',
      sameSite: 'Lax',
      secure,
    }),
  ]
}

export const clearSessionCookie = (settings: RestAuthSettings): string =>
  deleteCookie(settings.sessionCookieName, { path: '/', sameSite: 'Lax' })
