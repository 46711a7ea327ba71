import { createHmac, randomBytes } from 'node:crypto'

import type { OAuth1Provider, ProviderConfig, TokenPair } from './types.js'

import { describeAnswer, fetchFromProvider, isSuccess, jsonOrFormOf, refusal } from './providerCalls.js'
import { messages } from '../errors/messages.js'

/*
 * OAuth 1.0a (RFC 5849) with HMAC-SHA1 signatures, for Twitter / X: the request-token and
 * access-token legs, and signed requests on the user's behalf.
 */

/** RFC 3986 percent-encoding, as RFC 5849 §3.6 requires (encodeURIComponent leaves !'()* alone). */
const percentEncode = (value: string): string =>
  encodeURIComponent(value).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`)

type Signer = { consumerKey: string; consumerSecret: string; token?: TokenPair }

/**
 * The Authorization header of one request: RFC 5849 §3.4.1's signature base string over the
 * method, the URL without its query, and every oauth_, query and form parameter, signed with the
 * consumer secret and the token secret.
 */
const signedAuthorization = ({
  consumerKey,
  consumerSecret,
  form = new URLSearchParams(),
  method,
  oauthParams = {},
  token,
  url,
}: { form?: URLSearchParams; method: string; oauthParams?: Record<string, string>; url: string } & Signer): string => {
  const target = new URL(url)
  const protocol: Record<string, string> = {
    oauth_consumer_key: consumerKey,
    oauth_nonce: randomBytes(16).toString('hex'),
    oauth_signature_method: 'HMAC-SHA1',
    oauth_timestamp: String(Math.floor(Date.now() / 1000)),
    oauth_version: '1.0',
    ...(token ? { oauth_token: token.token } : {}),
    ...oauthParams,
  }
  const normalized = [...Object.entries(protocol), ...target.searchParams, ...form]
    .map(([name, value]) => [percentEncode(name), percentEncode(value)] as const)
    .sort(([a, av], [b, bv]) => (a === b ? (av < bv ? -1 : av > bv ? 1 : 0) : a < b ? -1 : 1))
    .map(([name, value]) => `${name}=${value}`)
    .join('&')
  const baseUrl = `${target.protocol}//${target.host}${target.pathname}`
  const base = [method.toUpperCase(), percentEncode(baseUrl), percentEncode(normalized)].join('&')
  const key = `${percentEncode(consumerSecret)}&${percentEncode(token?.tokenSecret ?? '')}`
  const signature = createHmac('sha1', key).update(base).digest('base64')
  const header = Object.entries({ ...protocol, oauth_signature: signature })
    .map(([name, value]) => `${percentEncode(name)}="${percentEncode(value)}"`)
    .join(', ')
  return `OAuth ${header}`
}

const signerOf = (config: ProviderConfig, token?: TokenPair): Signer => ({ consumerKey: config.clientId, consumerSecret: config.secret, token })

/** A token leg: a signed POST answered with a form-encoded token pair. */
const tokenLeg = async (
  provider: OAuth1Provider,
  url: string,
  { oauthParams, token }: { oauthParams: Record<string, string>; token?: TokenPair },
): Promise<TokenPair> => {
  const { config, label } = provider
  const authorization = signedAuthorization({ ...signerOf(config, token), method: 'POST', oauthParams, url })
  const answer = await fetchFromProvider(config, label, url, {
    headers: { authorization, 'content-type': 'application/x-www-form-urlencoded' },
    method: 'POST',
  })
  if (!isSuccess(answer)) {
    throw refusal(config, describeAnswer(answer))
  }
  const result = jsonOrFormOf(answer.text)
  if (typeof result.oauth_token !== 'string' || !result.oauth_token || typeof result.oauth_token_secret !== 'string' || !result.oauth_token_secret) {
    throw refusal(config, messages.social.noAccessToken(label))
  }
  return { token: result.oauth_token, tokenSecret: result.oauth_token_secret }
}

/**
 * The first leg, which needs the consumer secret and so cannot be done by a browser client: a
 * request token bound to the callback URL, and the page to send the user to. The request token's
 * secret goes to the client, which sends it back with the verifier; without the consumer secret it
 * signs nothing.
 */
export const obtainRequestToken = async (provider: OAuth1Provider): Promise<TokenPair & { authorizationUrl: string }> => {
  const { authorizationUrl, requestTokenUrl } = provider.definition.endpoints(provider.config)
  // Without a callback URL, OAuth 1.0a's out-of-band flow: the provider shows the user a PIN, which
  // the client posts as oauth_verifier (what desktop and device apps do).
  const pair = await tokenLeg(provider, requestTokenUrl, { oauthParams: { oauth_callback: provider.config.callbackUrl || 'oob' } })
  const page = new URL(authorizationUrl)
  page.searchParams.set('oauth_token', pair.token)
  return { ...pair, authorizationUrl: page.toString() }
}

/** The last leg: the request token and the callback's verifier exchanged for the user's access token pair. */
export const exchangeVerifier = (provider: OAuth1Provider, { token, tokenSecret, verifier }: TokenPair & { verifier: string }): Promise<TokenPair> =>
  tokenLeg(provider, provider.definition.endpoints(provider.config).accessTokenUrl, {
    oauthParams: { oauth_verifier: verifier },
    token: { token, tokenSecret },
  })

/** A GET on the user's behalf, signed with the consumer and token secrets. */
export const signedGet = async (
  config: ProviderConfig,
  label: string,
  url: string,
  token: TokenPair,
): Promise<{ failure?: string; text: string }> => {
  const authorization = signedAuthorization({ ...signerOf(config, token), method: 'GET', url })
  const answer = await fetchFromProvider(config, label, url, { headers: { authorization } })
  return isSuccess(answer) ? { text: answer.text } : { failure: describeAnswer(answer), text: answer.text }
}
