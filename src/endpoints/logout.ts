import type { EndpointContext, EndpointHandler } from '../http/defineEndpoint.js'
import type { RequestData } from '../http/parseBody.js'

import { clearJwtCookies, clearSessionCookie } from '../auth/cookies.js'
import { messages } from '../errors/messages.js'
import { detailResponse } from '../http/contract.js'
import { readCookie } from '../http/cookies.js'
import { defineEndpoint } from '../http/defineEndpoint.js'
import { jsonResponse } from '../http/responses.js'
import { jwtAuthError } from '../jwt/errors.js'
import { blacklistOnLogout } from '../jwt/logout.js'
import { getRequestAuth, markSessionUsed } from '../strategies/requestAuth.js'
import { endSession } from '../sessions/endSessions.js'
import { revokeTokenKey } from '../tokens/tokenStore.js'

type LogoutBody = { refresh?: string }

/** LogoutView reads `request.data['refresh']` as it comes (no serializer): any value but "" is tried as a token. */
const readLogoutBody = ({ data }: { data: RequestData }): LogoutBody => {
  const { refresh } = data
  if (refresh === undefined || refresh === '') {
    return {}
  }
  return { refresh: typeof refresh === 'string' ? refresh.trim() : String(refresh) }
}

/**
 * LogoutView with USE_JWT and the blacklist app: both JWT cookies are cleared whatever happens, and
 * the refresh token (body `refresh`, else the refresh cookie) is blacklisted with its family.
 * Without a usable refresh token the answer is dj-rest-auth's 401, which clears the cookies too.
 */
const jwtLogout = async (ctx: EndpointContext<LogoutBody>, cookies: string[]): Promise<Response> => {
  const { body, req, settings } = ctx
  const allCookies = [...cookies, ...clearJwtCookies(settings)]
  const token = body.refresh ?? (settings.jwtAuthRefreshCookie ? readCookie(req.headers, settings.jwtAuthRefreshCookie) : undefined)
  const refused =
    token === undefined ? { detail: messages.jwt.refreshNotIncluded } : await blacklistOnLogout({ ...ctx, token })
  if (refused) {
    throw jwtAuthError({ ...refused, cookies: allCookies, view: 'logout' })
  }
  return jsonResponse({ detail: messages.account.loggedOut }, { cookies: allCookies })
}

/**
 * Deletes the presented token and ends the session; anonymous logout succeeds too, as dj-rest-auth's.
 * The login the credential belongs to ends as a whole (its auth-sessions row, and every credential
 * of it: a token and a cookie session issued together go together).
 */
const logout: EndpointHandler<LogoutBody> = async (ctx) => {
  const { options, req, settings } = ctx
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
    return jwtLogout(ctx, cookies)
  }
  return jsonResponse({ detail: messages.account.loggedOut }, { cookies })
}

export const logoutEndpoint = defineEndpoint({
  allowedMethods: (settings) => (settings.logoutOnGet ? ['get', 'post'] : ['post']),
  body: { fields: { refresh: { helpText: 'With USE_JWT: the refresh token to blacklist; else the refresh cookie.' } }, read: readLogoutBody },
  handlers: { get: logout, post: logout },
  metadata: {
    description: `Calls Django logout method and delete the Token object
assigned to the current User object.

Accepts/Returns nothing.`,
    name: 'Logout',
  },
  path: '/logout',
  responses: ({ settings }) => ({
    200: { ...detailResponse('Logged out: the token deleted, the session ended, the cookies cleared.', messages.account.loggedOut), headers: ['Set-Cookie'] },
    ...(settings.useJwt
      ? {
          401: {
            ...detailResponse("No usable refresh token: simplejwt's reason (the JWT cookies are cleared all the same)."),
            headers: ['Set-Cookie'],
          },
        }
      : {}),
  }),
  summary: 'Log out',
})
