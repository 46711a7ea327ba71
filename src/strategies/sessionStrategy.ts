import type { AuthStrategy } from 'payload'

import type { SanitizedRestAuthOptions } from '../types.js'

import { detailError } from '../errors/RestAuthError.js'
import { readCookie } from '../http/cookies.js'
import { lookupToken } from '../tokens/tokenStore.js'
import { csrfFailure } from './csrf.js'
import { setRequestAuth } from './requestAuth.js'
import { strategyUser } from './strategyUser.js'

export const SESSION_STRATEGY = 'rest-auth-session'

/**
 * The session cookie that SESSION_LOGIN sets (Django's sessionid). Unsafe requests must pass the
 * CSRF check, as Django REST framework's SessionAuthentication enforces.
 */
export const sessionStrategy = (options: SanitizedRestAuthOptions): AuthStrategy => ({
  name: SESSION_STRATEGY,
  authenticate: async ({ headers, payload, req }) => {
    // A credential in the Authorization header is an explicit choice: it wins over a leftover cookie.
    if (headers.get('authorization')) {
      return { user: null }
    }
    const settings = await options.settingsStore.get(payload)
    const key = readCookie(headers, settings.sessionCookieName)
    if (!key) {
      return { user: null }
    }
    const result = await lookupToken({ key, kind: 'session', options, payload })
    if (result.status !== 'ok') {
      // Django treats a stale session cookie as anonymous.
      return { user: null }
    }
    const failure = csrfFailure({ headers, method: req?.method, payload, settings, url: req?.url })
    if (failure) {
      setRequestAuth(req, { failure: detailError(403, failure) })
      return { user: null }
    }
    setRequestAuth(req, { credential: { key, kind: 'session', sessionId: result.sessionId, tokenId: result.tokenId } })
    return { user: strategyUser(result.user, SESSION_STRATEGY, options.usersCollection) }
  },
})
