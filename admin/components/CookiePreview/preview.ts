import type { RestAuthSettings } from '../../../src/settings/definitions.js'

import { csrfCookie, isJwtCsrfOn, jwtAccessCookie, jwtRefreshCookie, sessionCookie } from '../../../src/auth/cookies.js'
import { coreDefaultSettings } from '../../../src/settings/coreSettings.js'

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

/**
 * The JWT cookies of a login (src/jwt/login.ts): access and refresh cookies, and the CSRF cookie
 * when the JWT cookie is CSRF-checked. The session cookies have their own preview. Built by the
 * very functions a login uses (src/auth/cookies.ts), with placeholders for the values.
 */
export const jwtLoginPreview = (settings: RestAuthSettings): CookiePreview => {
  const notes: PreviewNote[] = []
  if (!settings.useJwt) {
    notes.push('jwt-off')
  }
  const cookies: PreviewCookie[] = []
  if (!settings.jwtAuthCookie && !settings.jwtAuthRefreshCookie) {
    return { cookies, notes: [...notes, 'no-jwt-cookies'] }
  }
  if (settings.jwtAuthCookie) {
    cookies.push(...jwtAccessCookie(settings, PLACEHOLDERS.access).map((header) => ({ header, role: 'access' as const })))
  } else {
    notes.push('no-access-cookie')
  }
  if (settings.jwtAuthRefreshCookie) {
    cookies.push(...jwtRefreshCookie(settings, PLACEHOLDERS.refresh).map((header) => ({ header, role: 'refresh' as const })))
  } else {
    notes.push('no-refresh-cookie')
  }
  if (isJwtCsrfOn(settings)) {
    cookies.unshift({ header: csrfCookie(settings, PLACEHOLDERS.csrf), role: 'csrf' })
  }
  return { cookies, notes }
}

/** The cookies SESSION_LOGIN adds to every login (src/auth/sessionCookies.ts). */
export const sessionLoginPreview = (settings: RestAuthSettings): CookiePreview =>
  settings.sessionLogin
    ? {
        cookies: [
          { header: csrfCookie(settings, PLACEHOLDERS.csrf), role: 'csrf' },
          { header: sessionCookie(settings, PLACEHOLDERS.session), role: 'session' },
        ],
        notes: [],
      }
    : { cookies: [], notes: ['session-off'] }

export const cookiePreview = (kind: PreviewKind, values: Record<string, unknown>): CookiePreview => {
  const settings = settingsFromForm(values)
  return kind === 'jwt' ? jwtLoginPreview(settings) : sessionLoginPreview(settings)
}
