import type { CookieOptions } from '../../../src/http/cookies.js'
import type { RestAuthSettings } from '../../../src/settings/definitions.js'

import { serializeCookie } from '../../../src/http/cookies.js'
import { coreDefaultSettings } from '../../../src/settings/coreSettings.js'

/** Django's CSRF_COOKIE_AGE (one year), as src/auth/sessionCookies.ts and src/jwt/cookies.ts set it. */
export const CSRF_COOKIE_AGE = 31449600

export const PLACEHOLDERS = {
  access: 'ACCESS_TOKEN',
  csrf: 'CSRF_TOKEN',
  refresh: 'REFRESH_TOKEN',
  session: 'SESSION_KEY',
} as const

export type PreviewCookieRole = keyof typeof PLACEHOLDERS

export type PreviewCookie = {
  /** The Set-Cookie value, token values replaced by placeholders. */
  header: string
  role: PreviewCookieRole
}

export type PreviewNote = 'jwt-off' | 'no-access-cookie' | 'no-jwt-cookies' | 'no-refresh-cookie' | 'session-off'

export type CookiePreview = { cookies: PreviewCookie[]; notes: PreviewNote[] }

export type PreviewKind = 'jwt' | 'session'

/** Form values arrive loosely typed (null while a number input is empty): fall back to the defaults. */
export const settingsFromForm = (values: Record<string, unknown>): RestAuthSettings => {
  // The core defaults: the providers' settings (and their code) stay out of the browser bundle.
  const settings = { ...coreDefaultSettings } as Record<string, unknown>
  for (const [key, fallback] of Object.entries(coreDefaultSettings)) {
    const value = values[key]
    if (value !== null && value !== undefined && typeof value === typeof fallback) {
      settings[key] = value
    }
  }
  return settings as RestAuthSettings
}

/** Login rotates the CSRF cookie: the session's when SESSION_LOGIN is on, else the JWT one. */
const csrfCookie = (settings: RestAuthSettings): PreviewCookie => ({
  header: serializeCookie(settings.csrfCookieName, PLACEHOLDERS.csrf, {
    maxAge: CSRF_COOKIE_AGE,
    path: '/',
    sameSite: 'Lax',
    secure: settings.sessionLogin ? settings.sessionCookieSecure : settings.sessionCookieSecure || settings.jwtAuthSecure,
  }),
  role: 'csrf',
})

/**
 * The JWT cookies of a login (src/jwt/login.ts): access and refresh cookies, and the CSRF cookie
 * when the JWT cookie is CSRF-checked. The session cookies have their own preview.
 */
export const jwtLoginPreview = (settings: RestAuthSettings): CookiePreview => {
  const notes: PreviewNote[] = []
  if (!settings.useJwt) {
    notes.push('jwt-off')
  }
  const attributes: CookieOptions = {
    httpOnly: settings.jwtAuthHttpOnly,
    sameSite: settings.jwtAuthSameSite as CookieOptions['sameSite'],
    secure: settings.jwtAuthSecure,
  }
  const cookies: PreviewCookie[] = []
  if (!settings.jwtAuthCookie && !settings.jwtAuthRefreshCookie) {
    return { cookies, notes: [...notes, 'no-jwt-cookies'] }
  }
  if (settings.jwtAuthCookie) {
    cookies.push({
      header: serializeCookie(settings.jwtAuthCookie, PLACEHOLDERS.access, {
        ...attributes,
        maxAge: settings.accessTokenLifetime,
        path: '/',
      }),
      role: 'access',
    })
  } else {
    notes.push('no-access-cookie')
  }
  if (settings.jwtAuthRefreshCookie) {
    cookies.push({
      header: serializeCookie(settings.jwtAuthRefreshCookie, PLACEHOLDERS.refresh, {
        ...attributes,
        maxAge: settings.refreshTokenLifetime,
        path: settings.jwtAuthRefreshCookiePath || '/',
      }),
      role: 'refresh',
    })
  } else {
    notes.push('no-refresh-cookie')
  }
  const isCsrfChecked =
    Boolean(settings.jwtAuthCookie) && (settings.jwtAuthCookieUseCsrf || settings.jwtAuthCookieEnforceCsrfOnUnauthenticated)
  if (isCsrfChecked) {
    cookies.unshift(csrfCookie(settings))
  }
  return { cookies, notes }
}

/** The cookies SESSION_LOGIN adds to every login (src/auth/sessionCookies.ts). */
export const sessionLoginPreview = (settings: RestAuthSettings): CookiePreview => {
  if (!settings.sessionLogin) {
    return { cookies: [], notes: ['session-off'] }
  }
  const secure = settings.sessionCookieSecure
  return {
    cookies: [
      {
        header: serializeCookie(settings.csrfCookieName, PLACEHOLDERS.csrf, { maxAge: CSRF_COOKIE_AGE, path: '/', sameSite: 'Lax', secure }),
        role: 'csrf',
      },
      {
        header: serializeCookie(settings.sessionCookieName, PLACEHOLDERS.session, {
          httpOnly: true,
          maxAge: settings.sessionCookieAge,
          path: '/',
          sameSite: 'Lax',
          secure,
        }),
        role: 'session',
      },
    ],
    notes: [],
  }
}

export const cookiePreview = (kind: PreviewKind, values: Record<string, unknown>): CookiePreview => {
  const settings = settingsFromForm(values)
  return kind === 'jwt' ? jwtLoginPreview(settings) : sessionLoginPreview(settings)
}
