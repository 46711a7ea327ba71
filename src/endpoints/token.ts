import type { EndpointContext } from '../http/defineEndpoint.js'
import type { Schema } from '../http/fields.js'

import { jwtAccessCookie, jwtRefreshCookie } from '../auth/cookies.js'
import { messages } from '../errors/messages.js'
import { fieldErrorsResponse, objectSchema, schemaRef, stringSchema } from '../http/contract.js'
import { readCookie } from '../http/cookies.js'
import { defineEndpoint } from '../http/defineEndpoint.js'
import { describeFields } from '../http/metadata.js'
import { jsonResponse } from '../http/responses.js'
import { fromTokenError, jwtAuthError } from '../jwt/errors.js'
import { isCookielessClient } from '../jwt/login.js'
import { exchangeRefreshToken } from '../jwt/refresh.js'
import { formatExpiration, signClaims, verifyToken } from '../jwt/tokens.js'

/** TokenVerifySerializer's field. */
const verifyFields = { token: { required: true } } satisfies Schema

/** CookieTokenRefreshSerializer's `refresh` (the help text is dj-rest-auth's, typo included): else the refresh cookie. */
const refreshFields = { refresh: { helpText: 'WIll override cookie.' } } satisfies Schema

const refusedResponse = { description: "simplejwt's InvalidToken: the token is bad, expired or blacklisted.", schema: schemaRef('TokenError') }

/** POST token/verify/ (USE_JWT only): 200 `{}` for a good token of any type, else simplejwt's 401. */
export const tokenVerifyEndpoint = defineEndpoint({
  body: { fields: verifyFields },
  handlers: {
    post: async ({ body, req, settings }) => {
      try {
        verifyToken(req.payload, settings, body.token, 'untyped')
      } catch (err) {
        throw fromTokenError(err)
      }
      return jsonResponse({})
    },
  },
  ignoresCredentials: true,
  isEnabled: (settings) => settings.useJwt,
  metadata: {
    actions: () => ({ POST: describeFields(verifyFields) }),
    description: `Takes a token and indicates if it is valid.  This view provides no
information about a token's fitness for a particular use.`,
    name: 'Token Verify',
  },
  path: '/token/verify',
  responses: {
    200: { description: 'The token is valid.', schema: objectSchema({}) },
    400: fieldErrorsResponse,
    401: refusedResponse,
  },
  summary: 'Check a JWT (access or refresh)',
})

type RefreshBody = { refresh?: string }

/** The refresh token: the `refresh` field, else the refresh cookie. */
const presentedRefreshToken = ({ body, req, settings }: EndpointContext<RefreshBody>): { source: 'body' | 'cookie'; token: string } => {
  if (body.refresh !== undefined) {
    return { source: 'body', token: body.refresh }
  }
  const cookie = settings.jwtAuthRefreshCookie ? readCookie(req.headers, settings.jwtAuthRefreshCookie) : undefined
  if (cookie === undefined) {
    throw jwtAuthError({ detail: messages.jwt.noValidRefreshToken })
  }
  return { source: 'cookie', token: cookie }
}

/**
 * POST token/refresh/ (USE_JWT only): `refresh` in the body, else the refresh cookie (see
 * exchangeRefreshToken). dj-rest-auth's view is the undocumented class RefreshViewWithCookieSupport,
 * hence its name and empty description.
 */
export const tokenRefreshEndpoint = defineEndpoint({
  body: { fields: refreshFields },
  handlers: {
    post: async (ctx) => {
      const { req, settings } = ctx
      const { source, token } = presentedRefreshToken(ctx)
      const { access, atMs, refresh } = await exchangeRefreshToken(ctx, token)
      const cookieless = isCookielessClient(ctx, settings)
      const accessToken = signClaims(req.payload, settings, access)
      const refreshToken = refresh ? signClaims(req.payload, settings, refresh) : null
      // With HttpOnly cookies a rotated refresh token goes into the cookie only, unless a cookieless
      // client sent its refresh token in the body: one read from the cookie never reaches a script.
      const isRefreshInBody = refreshToken !== null && (!settings.jwtAuthHttpOnly || (cookieless && source === 'body'))
      const answer: Record<string, unknown> = { access: accessToken }
      if (isRefreshInBody) {
        answer.refresh = refreshToken
      }
      answer.access_expiration = formatExpiration(atMs + settings.accessTokenLifetime * 1000)
      if (isRefreshInBody) {
        answer.refresh_expiration = formatExpiration(atMs + settings.refreshTokenLifetime * 1000)
      }
      const cookies = cookieless ? [] : [...jwtAccessCookie(settings, accessToken), ...(refreshToken ? jwtRefreshCookie(settings, refreshToken) : [])]
      return jsonResponse(answer, { cookies })
    },
  },
  ignoresCredentials: true,
  isEnabled: (settings) => settings.useJwt,
  metadata: {
    actions: () => ({
      POST: { ...describeFields(refreshFields), access: { type: 'string', required: false, read_only: true, label: 'Access' } },
    }),
    description: '',
    name: 'Refresh View With Cookie Support',
  },
  path: '/token/refresh',
  responses: {
    200: {
      description: 'A new access token (and, with rotation, a new refresh token: in the body unless it lives in an HttpOnly cookie).',
      headers: ['Set-Cookie'],
      schema: objectSchema(
        { access: stringSchema, refresh: stringSchema, access_expiration: stringSchema, refresh_expiration: stringSchema },
        { optional: ['refresh', 'refresh_expiration'] },
      ),
    },
    400: fieldErrorsResponse,
    401: refusedResponse,
  },
  summary: 'Exchange a refresh token for a new access token',
  throttle: 'tokenRefresh',
})
