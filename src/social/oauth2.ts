import type { AuthorizationPage, CodeGrant, CommonConfig, TokenSet } from './types.js'

import { describeAnswer, fetchFromProvider, isSuccess, join, jsonOrFormOf, refusal } from './providerCalls.js'
import { messages } from '../errors/messages.js'

/*
 * OAuth 2's two requests (RFC 6749), shared by every OAuth 2 provider: the consent page URL a client
 * sends the user to, and the exchange of the code the user comes back with.
 */

/** The consent page with client_id, response_type=code, redirect_uri and scope filled in. */
export const authorizationUrl = (config: CommonConfig, { params = {}, scopeSeparator = ' ', url }: AuthorizationPage): string => {
  const target = new URL(url)
  target.searchParams.set('client_id', config.clientId)
  target.searchParams.set('response_type', 'code')
  if (config.callbackUrl) {
    target.searchParams.set('redirect_uri', config.callbackUrl)
  }
  if (config.scopes.length > 0) {
    target.searchParams.set('scope', config.scopes.join(scopeSeparator))
  }
  for (const [name, value] of Object.entries(params)) {
    target.searchParams.set(name, value)
  }
  return target.toString()
}

/** How the client authenticates at the token endpoint: in the body (most providers) or with HTTP Basic (OpenID Connect's default). */
export type ClientAuthentication = 'client_secret_basic' | 'client_secret_post'

/**
 * Exchanges a code at the token endpoint (with PKCE's code_verifier when the client sent one).
 * Unlike dj-rest-auth, a refusal answers 400 with the provider's words (`invalid_grant: Bad Request`);
 * GitHub refuses with a 200 that carries `error` instead of a token.
 */
export const exchangeCode = async (
  config: CommonConfig,
  label: string,
  {
    authentication = 'client_secret_post',
    clientSecret = config.secret,
    grant,
    tokenUrl,
  }: { authentication?: ClientAuthentication; clientSecret?: string; grant: CodeGrant; tokenUrl: string },
): Promise<TokenSet> => {
  const body = new URLSearchParams({ code: grant.code, grant_type: 'authorization_code' })
  if (grant.redirectUri) {
    body.set('redirect_uri', grant.redirectUri)
  }
  if (grant.codeVerifier) {
    body.set('code_verifier', grant.codeVerifier)
  }
  const headers: Record<string, string> = { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' }
  if (authentication === 'client_secret_basic') {
    // RFC 6749 §2.3.1: both parts form-encoded before they are joined.
    const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, '+')
    headers.authorization = `Basic ${Buffer.from(`${encode(config.clientId)}:${encode(clientSecret)}`).toString('base64')}`
  } else {
    body.set('client_id', config.clientId)
    body.set('client_secret', clientSecret)
  }
  // A generated client secret (Apple's signed JWT) is as secret as the settings it is made from.
  const redacted = { secrets: [...config.secrets, clientSecret].filter(Boolean) }
  const answer = await fetchFromProvider(redacted, label, tokenUrl, { body, headers, method: 'POST' })
  if (!isSuccess(answer)) {
    throw refusal(redacted, describeAnswer(answer))
  }
  const result = jsonOrFormOf(answer.text)
  if (typeof result.access_token !== 'string' || result.access_token === '') {
    throw refusal(redacted, join(result.error, result.error_description) || messages.social.noAccessToken(label))
  }
  return { accessToken: result.access_token, idToken: typeof result.id_token === 'string' && result.id_token ? result.id_token : undefined }
}
