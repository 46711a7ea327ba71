import type { PayloadRequest } from 'payload'

import type { RestAuthSettings, SanitizedRestAuthOptions } from '../types.js'

import { createToken } from '../tokens/tokenStore.js'
import { randomString } from '../utilities/crypto.js'
import { csrfCookie, sessionCookie } from './cookies.js'

/** A fresh CSRF token's cookie: Django rotates the token at login. */
export const newCsrfCookie = (settings: RestAuthSettings): string => csrfCookie(settings, randomString(24))

/** Starts a session for the user (Django's login()) and returns the cookies that carry it: a fresh CSRF cookie and the session's. */
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
  return [newCsrfCookie(settings), sessionCookie(settings, session.key)]
}
