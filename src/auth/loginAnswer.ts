import type { ResponseSpec } from '../http/contract.js'
import type { RestAuthSettings } from '../types.js'

import { schemaRef } from '../http/contract.js'

/**
 * What completeLogin answers under these settings, for the OpenAPI document: simplejwt's pair and
 * the user with USE_JWT, the token key with token authentication, else nothing (204; the session
 * cookie is the credential). `issueToken: false` is registration with SESSION_LOGIN.
 */
export const loginAnswer = (settings: RestAuthSettings, { issueToken = true }: { issueToken?: boolean } = {}): ResponseSpec => {
  if (settings.useJwt && issueToken) {
    return {
      description: 'Logged in: JWTs and the user (the refresh token is "" when it lives in an HttpOnly cookie).',
      headers: ['Set-Cookie'],
      schema: schemaRef(settings.jwtAuthReturnExpiration ? 'JwtLoginWithExpiration' : 'JwtLogin'),
    }
  }
  if (settings.tokenAuthEnabled && issueToken) {
    return { description: "Logged in: the token key, for `Authorization: Token <key>`.", headers: ['Set-Cookie'], schema: schemaRef('TokenLogin') }
  }
  return { description: 'Logged in: the session cookie is the credential.', headers: ['Set-Cookie'] }
}

/** The status of that answer: 204 when it has no body. */
export const loginStatus = (settings: RestAuthSettings, { issueToken = true, status = 200 }: { issueToken?: boolean; status?: number } = {}): number =>
  (settings.useJwt || settings.tokenAuthEnabled) && issueToken ? status : 204
