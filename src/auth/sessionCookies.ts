import type { PayloadRequest } from 'payload'

import type { RestAuthSettings, SanitizedRestAuthOptions } from '../types.js'

import { deleteCookie, serializeCookie } from '../http/cookies.js'
import { createToken } from '../tokens/tokenStore.js'
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

/** Starts a session for the user (Django's login()) and returns the cookies that carry it. */
export const startSession = async ({
  options,
  req,
  sessionId,
  settings,
  userId,
}: {
  options: SanitizedRestAuthOptions
  req: PayloadRequest
  /** The login's auth-sessions row (its public id). */
  sessionId: string | undefined
  settings: RestAuthSettings
  userId: number | string
}): Promise<string[]> => {
  const session = await createToken({ kind: 'session', lifetimeSeconds: settings.sessionCookieAge, options, req, sessionId, userId })
  return sessionCookies({ key: session.key, settings })
}
