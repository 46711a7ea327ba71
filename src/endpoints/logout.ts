import { clearSessionCookie } from '../auth/sessionCookies.js'
import { messages } from '../errors/messages.js'
import { defineEndpoint, type EndpointHandler } from '../http/defineEndpoint.js'
import { readCookie } from '../http/cookies.js'
import { jsonResponse } from '../http/responses.js'
import { jwtLogoutResponse } from '../jwt/logout.js'
import { getRequestAuth, markSessionUsed } from '../strategies/requestAuth.js'
import { revokeTokenKey } from '../tokens/tokenStore.js'

/** Deletes the presented token and ends the session; anonymous logout succeeds too, as dj-rest-auth's. */
const logout: EndpointHandler = async ({ data, options, req, settings }) => {
  const { credential } = getRequestAuth(req)
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
