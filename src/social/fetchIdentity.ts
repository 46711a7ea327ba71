import type { OAuth1Strategy, OAuth2Strategy, PassportProfile } from './strategies.js'
import type { ProviderConfig, SocialCredentials, SocialIdentity, SocialProvider } from './types.js'

import { socialMessages } from './messages.js'
import { exchangeVerifier } from './oauth1.js'
import { call, describe, join, refusal, unreachable } from './providerCalls.js'
/**
 * The code exchange of passport-oauth2's `authenticate()`, without its redirect and session state:
 * passport offers no public method for it, so the strategy's own `oauth` client (`_oauth2`) is
 * called with the same parameters `authenticate()` sends (grant_type, redirect_uri, code_verifier),
 * and failures go through the strategy's `_createOAuthError` so each provider's error format is
 * read by its own strategy. Unlike dj-rest-auth, a refusal answers 400 with the provider's words.
 */
const exchangeCode = async (
  provider: SocialProvider,
  strategy: OAuth2Strategy,
  config: ProviderConfig,
  credentials: Extract<SocialCredentials, { kind: 'code' }>,
): Promise<string> => {
  const params: Record<string, string> = { grant_type: 'authorization_code' }
  if (config.callbackUrl) {
    params.redirect_uri = config.callbackUrl
  }
  if (credentials.codeVerifier) {
    params.code_verifier = credentials.codeVerifier
  }
  const { accessToken, results } = await call<{ accessToken?: string; results?: Record<string, unknown> }>(
    config,
    provider.label,
    (settle) =>
      strategy._oauth2.getOAuthAccessToken(credentials.code, params, (err, token, _refreshToken, answer) => {
        if (err) {
          settle(unreachable(config, provider.label, err) ?? refusal(config, describe(strategy._createOAuthError('', err))))
        } else {
          settle(null, { accessToken: token, results: answer })
        }
      }),
  )
  if (typeof accessToken === 'string' && accessToken !== '') {
    return accessToken
  }
  // GitHub answers a bad code with 200 and `error=bad_verification_code&error_description=…`.
  const described = join(results?.error, results?.error_description)
  throw refusal(config, described || socialMessages.noAccessToken(provider.label))
}

const loadProfile = (
  provider: SocialProvider,
  config: ProviderConfig,
  load: (done: (err: unknown, profile?: PassportProfile) => void) => void,
  refusedText: string,
): Promise<PassportProfile> =>
  call<PassportProfile>(config, provider.label, (settle) =>
    load((err, profile) => {
      if (err) {
        settle(unreachable(config, provider.label, err) ?? refusal(config, refusedText, describe(err)))
      } else if (!profile) {
        settle(refusal(config, refusedText))
      } else {
        settle(null, profile)
      }
    }),
  )

const hostOf = (url: string): string => {
  try {
    return new URL(url).host
  } catch {
    return url
  }
}

/**
 * Who the credentials belong to, asked of the provider through its passport strategy. Every
 * failure is a 400 naming the provider's reason; nothing here is logged.
 */
export const fetchIdentity = async ({
  config,
  credentials,
  provider,
}: {
  config: ProviderConfig
  credentials: SocialCredentials
  provider: SocialProvider
}): Promise<SocialIdentity> => {
  let profile: PassportProfile
  if (provider.protocol === 'oauth1') {
    if (credentials.kind !== 'tokenPair' && credentials.kind !== 'verifier') {
      throw new TypeError(`${provider.id} takes an OAuth 1.0a token pair`)
    }
    const strategy: OAuth1Strategy = provider.createStrategy(config)
    const { token, tokenSecret } =
      credentials.kind === 'verifier' ? await exchangeVerifier(provider, strategy, config, credentials) : credentials
    profile = await loadProfile(
      provider,
      config,
      (done) => strategy.userProfile(token, tokenSecret, {}, done),
      socialMessages.noPrivateAccess(hostOf(config.requestTokenUrl || config.profileUrl)),
    )
  } else {
    if (credentials.kind === 'tokenPair' || credentials.kind === 'verifier') {
      throw new TypeError(`${provider.id} takes an OAuth 2 access token or code`)
    }
    const strategy: OAuth2Strategy = provider.createStrategy(config)
    let accessToken: string
    if (credentials.kind === 'code') {
      accessToken = await exchangeCode(provider, strategy, config, credentials)
    } else {
      accessToken = credentials.accessToken
      if (config.mustCheckAudience && provider.checkTokenAudience) {
        if (!config.tokenCheckUrl) {
          // Settings validation refuses this; should it happen anyway, no check means no login.
          throw refusal(config, socialMessages.incorrectValue, socialMessages.otherApplication(provider.label))
        }
        await provider.checkTokenAudience(config, accessToken)
      }
    }
    profile = await loadProfile(provider, config, (done) => strategy.userProfile(accessToken, done), socialMessages.incorrectValue)
  }
  let identity: null | SocialIdentity
  try {
    identity = provider.toIdentity(profile)
  } catch {
    identity = null
  }
  if (!identity || !identity.uid) {
    throw refusal(config, socialMessages.noUid(provider.label))
  }
  return identity
}
