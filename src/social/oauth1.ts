import type { OAuth1Strategy } from './strategies.js'
import type { OAuth1Provider, ProviderConfig } from './types.js'

import { socialMessages } from './messages.js'
import { call, describe, refusal, unreachable } from './providerCalls.js'

export type TokenPair = { token: string; tokenSecret: string }

/** A failed OAuth 1.0a call in the provider's words, read by the strategy's own error parser. */
const providerRefusal = (provider: OAuth1Provider, strategy: OAuth1Strategy, config: ProviderConfig, err: unknown, what: string) =>
  unreachable(config, provider.label, err) ?? refusal(config, describe(strategy._createOAuthError(what, err)))

const tokenPair = (
  provider: OAuth1Provider,
  strategy: OAuth1Strategy,
  config: ProviderConfig,
  what: string,
  request: (done: (err: unknown, token?: string, tokenSecret?: string) => void) => void,
): Promise<TokenPair> =>
  call<TokenPair>(config, provider.label, (settle) =>
    request((err, token, tokenSecret) => {
      if (err) {
        settle(providerRefusal(provider, strategy, config, err, what))
      } else if (!token || !tokenSecret) {
        settle(refusal(config, socialMessages.noAccessToken(provider.label)))
      } else {
        settle(null, { token, tokenSecret })
      }
    }),
  )

/**
 * The first leg of OAuth 1.0a, which needs the consumer secret and so cannot be done by a browser
 * client: a request token bound to the callback URL, and the page to send the user to. The request
 * token's secret goes to the client, which sends it back with the verifier; without the consumer
 * secret it signs nothing.
 */
export const obtainRequestToken = async (
  provider: OAuth1Provider,
  config: ProviderConfig,
): Promise<TokenPair & { authorizationUrl: string }> => {
  const strategy = provider.createStrategy(config)
  // Without a callback URL, OAuth 1.0a's out-of-band flow: the provider shows the user a PIN, which
  // the client posts as oauth_verifier (what desktop and device apps do).
  const params = { oauth_callback: config.callbackUrl || 'oob' }
  const pair = await tokenPair(provider, strategy, config, 'Failed to obtain request token', (done) =>
    strategy._oauth.getOAuthRequestToken(params, done),
  )
  const authorizationUrl = new URL(config.authorizationUrl || strategy._userAuthorizationURL)
  authorizationUrl.searchParams.set('oauth_token', pair.token)
  return { ...pair, authorizationUrl: authorizationUrl.toString() }
}

/** The last leg: the request token and the callback's verifier exchanged for the user's access token pair. */
export const exchangeVerifier = (
  provider: OAuth1Provider,
  strategy: OAuth1Strategy,
  config: ProviderConfig,
  { token, tokenSecret, verifier }: TokenPair & { verifier: string },
): Promise<TokenPair> =>
  tokenPair(provider, strategy, config, 'Failed to obtain access token', (done) =>
    strategy._oauth.getOAuthAccessToken(token, tokenSecret, verifier, done),
  )
