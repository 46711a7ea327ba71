// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react'
import React from 'react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

import { cookiePreview, jwtLoginPreview, PLACEHOLDERS, sessionLoginPreview, settingsFromForm } from '../../admin/components/CookiePreview/preview.js'
import { jwtAccessCookie as accessCookie, jwtRefreshCookie as refreshCookie, sessionCookie } from '../../src/auth/cookies.js'
import { newCsrfCookie } from '../../src/auth/sessionCookies.js'
import { defaultSettings } from '../../src/settings/definitions.js'

/** What the admin has typed: Payload's form state, field path → { value }. */
const form: { fields: Record<string, { value: unknown }>; translations: Record<string, unknown> } = { fields: {}, translations: {} }

vi.mock('@payloadcms/ui', () => ({
  Banner: ({ children }: { children: React.ReactNode }) => <div role="note">{children}</div>,
  useAllFormFields: () => [form.fields, () => undefined],
  useTranslation: () => ({
    i18n: {
      language: 'en',
      t: (key: string) => {
        const [namespace, name] = key.split(':') as [string, string]
        return (form.translations[namespace] as Record<string, string> | undefined)?.[name] ?? key
      },
      translations: form.translations,
    },
  }),
}))

const { CookiePreview } = await import('../../admin/components/CookiePreview/index.client.js')

const setForm = (values: Record<string, unknown>) => {
  form.fields = Object.fromEntries(Object.entries({ ...defaultSettings, ...values }).map(([key, value]) => [key, { value }]))
}

/** The real Set-Cookie value with its random or signed value replaced by the preview's placeholder. */
const withValue = (header: string, value: string) => header.replace(/^([^=]+)=[^;]*/, `$1=${value}`)

describe('Set-Cookie preview logic', () => {
  beforeEach(() => {
    vi.useFakeTimers()
    vi.setSystemTime(new Date('2026-11-29T12:00:00Z'))
  })
  afterEach(() => vi.useRealTimers())

  it('produces exactly the JWT cookies the login answer sets, token values aside', () => {
    const settings = {
      ...defaultSettings,
      accessTokenLifetime: 600,
      jwtAuthCookie: 'my-access',
      jwtAuthCookieUseCsrf: true,
      jwtAuthHttpOnly: false,
      jwtAuthRefreshCookie: 'my-refresh',
      jwtAuthRefreshCookiePath: '/api/dj-rest-auth/token/refresh/',
      jwtAuthSameSite: 'Strict' as const,
      jwtAuthSecure: true,
      sessionLogin: false,
      useJwt: true,
    }
    const preview = jwtLoginPreview(settings)
    expect(preview.notes).toEqual([])
    expect(preview.cookies.map((cookie) => cookie.role)).toEqual(['csrf', 'access', 'refresh'])
    expect(preview.cookies[1]!.header).toBe(accessCookie(settings, PLACEHOLDERS.access)[0])
    expect(preview.cookies[2]!.header).toBe(refreshCookie(settings, PLACEHOLDERS.refresh)[0])
    expect(preview.cookies[0]!.header).toBe(withValue(newCsrfCookie(settings), PLACEHOLDERS.csrf))
    expect(preview.cookies[1]!.header).toBe(
      'my-access=ACCESS_TOKEN; expires=Sun, 29 Nov 2026 12:10:00 GMT; Max-Age=600; Path=/; SameSite=Strict; Secure',
    )
  })

  it('produces exactly the session cookies SESSION_LOGIN sets', () => {
    const settings = { ...defaultSettings, csrfCookieName: 'xsrf', sessionCookieAge: 3600, sessionCookieName: 'sid', sessionCookieSecure: true }
    // What startSession sends: a fresh CSRF cookie, then the session's.
    const real = [newCsrfCookie(settings), sessionCookie(settings, PLACEHOLDERS.session)]
    const preview = sessionLoginPreview(settings)
    expect(preview.cookies.map((cookie) => cookie.header)).toEqual([withValue(real[0]!, PLACEHOLDERS.csrf), real[1]])
  })

  it('explains what is missing instead of showing nothing', () => {
    expect(cookiePreview('jwt', { ...defaultSettings }).notes).toEqual(['jwt-off', 'no-jwt-cookies'])
    expect(cookiePreview('jwt', { ...defaultSettings, jwtAuthRefreshCookie: 'r', useJwt: true }).notes).toEqual(['no-access-cookie'])
    expect(cookiePreview('session', { ...defaultSettings, sessionLogin: false })).toEqual({ cookies: [], notes: ['session-off'] })
  })

  it('falls back to the defaults for empty or mistyped form values', () => {
    const settings = settingsFromForm({ accessTokenLifetime: null, jwtAuthCookie: 42, jwtAuthRefreshCookiePath: '/x' })
    expect(settings.accessTokenLifetime).toBe(defaultSettings.accessTokenLifetime)
    expect(settings.jwtAuthCookie).toBe('')
    expect(settings.jwtAuthRefreshCookiePath).toBe('/x')
  })
})

describe('<CookiePreview> in the settings form', () => {
  afterEach(() => {
    cleanup()
    form.translations = {}
  })

  it('follows the form as the admin edits it', () => {
    setForm({})
    const { rerender } = render(<CookiePreview kind="jwt" />)
    const output = screen.getByTestId('cookie-preview-jwt')
    expect(output.textContent).toContain('USE_JWT is off')
    expect(output.textContent).toContain('JWT_AUTH_COOKIE and JWT_AUTH_REFRESH_COOKIE are empty')
    expect(output.querySelector('code')).toBeNull()

    setForm({ jwtAuthCookie: 'access', useJwt: true })
    rerender(<CookiePreview kind="jwt" />)
    expect(output.textContent).not.toContain('USE_JWT is off')
    const headers = [...output.querySelectorAll('code')].map((code) => code.textContent)
    expect(headers).toHaveLength(1)
    expect(headers[0]).toMatch(/^Set-Cookie: access=ACCESS_TOKEN; expires=.+; HttpOnly; Max-Age=300; Path=\/; SameSite=Lax$/)

    setForm({ jwtAuthCookie: 'access', jwtAuthHttpOnly: false, jwtAuthRefreshCookie: 'refresh', jwtAuthSecure: true, useJwt: true })
    rerender(<CookiePreview kind="jwt" />)
    const updated = [...output.querySelectorAll('code')].map((code) => code.textContent)
    expect(updated).toHaveLength(2)
    expect(updated[0]).not.toContain('HttpOnly')
    expect(updated[1]).toMatch(/^Set-Cookie: refresh=REFRESH_TOKEN; .*Max-Age=86400; Path=\/; SameSite=Lax; Secure$/)
    expect(output.getAttribute('aria-live')).toBe('polite')
  })

  it('labels the session cookies and speaks the admin’s language when it has the keys', () => {
    setForm({})
    form.translations = { 'plugin-rest-auth': { 'cookie-preview-title-session': 'Vorschau: Sitzung' } }
    render(<CookiePreview kind="session" />)
    expect(screen.getByRole('heading', { name: 'Vorschau: Sitzung' })).toBeTruthy()
    // Keys the language lacks fall back to English rather than showing the key.
    expect(screen.getByText('Session')).toBeTruthy()
    expect(screen.getAllByText(/^Set-Cookie:/)).toHaveLength(2)
  })
})
