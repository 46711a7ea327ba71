import { clearSessionCookie } from '../auth/sessionCookies.js'
import { messages } from '../errors/messages.js'
import { defineEndpoint, type EndpointHandler } from '../http/defineEndpoint.js'
import { readCookie } from '../http/cookies.js'
import { jsonResponse } from '../http/responses.js'
import { jwtLogoutResponse } from '../jwt/logout.js'
import { getRequestAuth, markSessionUsed } from '../strategies/requestAuth.js'
import { endSession } from '../sessions/endSessions.js'
import { revokeTokenKey } from '../tokens/tokenStore.js'

/**
 * Deletes the presented token and ends the session; anonymous logout succeeds too, as dj-rest-auth's.
 * The login the credential belongs to ends as a whole (its auth-sessions row, and every credential
 * of it: a token and a cookie session issued together go together).
 */
const logout: EndpointHandler = async ({ data, options, req, settings }) => {
  const { credential } = getRequestAuth(req)
  if (credential?.sessionId && credential.kind !== 'jwt') {
    await endSession({ options, publicId: credential.sessionId, reason: 'logout', req })
  }
  if (credential?.kind === 'token' && credential.key) {
    await revokeTokenKey({ key: credential.key, options, req })
  }
  const cookies: string[] = []
  if (settings.sessionLogin) {
    // Django's logout() flushes the session whether or not there was one.
    markSessionUsed(req)
  }
  const sessionKey = readCookie(req.headers, settings.sessionCookieName)
  if (sessionKey) {
    await revokeTokenKey({ key: sessionKey, options, req })
    cookies.push(clearSessionCookie(settings))
  }
  if (settings.useJwt) {
    return jwtLogoutResponse({ data, options, req, settings }, cookies)
  }
  return jsonResponse({ detail: messages.loggedOut }, { cookies })
}

export const logoutEndpoint = defineEndpoint({
  allowedMethods: (settings) => (settings.logoutOnGet ? ['get', 'post'] : ['post']),
  handlers: { get: logout, post: logout },
  metadata: {
    description: `Calls Django logout method and delete the Token object
assigned to the current User object.

Accepts/Returns nothing.`,
    name: 'Logout',
  },
  path: '/logout',
})
