import type { OAuth1Strategy, OAuth2Strategy, PassportProfile } from './strategies.js'
import type { ProviderConfig, SocialCredentials, SocialIdentity, SocialProvider } from './types.js'

import { RestAuthError } from '../errors/RestAuthError.js'
import { socialMessages } from './messages.js'

const DEFAULT_TIMEOUT_MS = 10_000
let timeoutMs = DEFAULT_TIMEOUT_MS

/** How long one provider request may take (tests shorten it); null restores the default. */
export const setProviderTimeout = (ms: null | number): void => {
  timeoutMs = ms ?? DEFAULT_TIMEOUT_MS
}

const MAX_MESSAGE_LENGTH = 300

/** A 400 with the given messages, never echoing the client secret even if a provider did. */
const refusal = (config: ProviderConfig, ...texts: string[]): RestAuthError => {
  const clean = (text: string) => {
    const redacted = config.secret ? text.split(config.secret).join('***') : text
    return redacted.length > MAX_MESSAGE_LENGTH ? `${redacted.slice(0, MAX_MESSAGE_LENGTH)}…` : redacted
  }
  return new RestAuthError({ body: { non_field_errors: texts.filter(Boolean).map(clean) }, status: 400 })
}

type ErrorShape = { code?: unknown; data?: unknown; message?: unknown; name?: unknown; oauthError?: unknown; statusCode?: unknown; type?: unknown }

/** `ECONNREFUSED`, `ENOTFOUND`…: the provider could not be reached at all. */
const networkCode = (err: unknown): string | undefined => {
  const candidates = [err, (err as ErrorShape | undefined)?.oauthError]
  for (const candidate of candidates) {
    const code = (candidate as ErrorShape | undefined)?.code
    if (candidate instanceof Error && typeof code === 'string' && /^E[A-Z_]+$/.test(code)) {
      return code
    }
  }
  return undefined
}

const join = (prefix: unknown, text: unknown): string => {
  const parts = [prefix, text].filter((part) => typeof part === 'string' && part !== '') as string[]
  return parts.join(': ')
}

/** The provider's own words in an HTTP error body: OAuth's error/error_description, or a message. */
const describeHttpFailure = (failure: ErrorShape): string => {
  let json: unknown
  try {
    json = JSON.parse(String(failure.data ?? ''))
  } catch {
    json = undefined
  }
  const body = (json && typeof json === 'object' ? json : {}) as Record<string, unknown>
  const nested = body.error && typeof body.error === 'object' ? (body.error as Record<string, unknown>) : undefined
  const described =
    (nested && join(nested.type, nested.message)) ||
    join(body.error, body.error_description) ||
    join(undefined, body.message) ||
    (Array.isArray(body.errors) ? join(undefined, (body.errors[0] as Record<string, unknown> | undefined)?.message) : '')
  return described || `HTTP ${String(failure.statusCode)}`
}

/**
 * The provider's words in a strategy's error: TokenError (`invalid_grant: Bad Request`),
 * FacebookTokenError / FacebookGraphAPIError (`OAuthException: …`), Google's UserInfoError, Twitter's
 * APIError, or the HTTP answer inside an InternalOAuthError.
 */
const describe = (err: unknown): string => {
  const e = (err ?? {}) as ErrorShape
  if (e.oauthError && typeof e.oauthError === 'object' && 'statusCode' in e.oauthError) {
    return describeHttpFailure(e.oauthError as ErrorShape)
  }
  if (typeof e.statusCode === 'number') {
    return describeHttpFailure(e)
  }
  const prefix = typeof e.type === 'string' ? e.type : typeof e.code === 'string' ? e.code : undefined
  return join(prefix, e.message) || 'Unknown error'
}

/** Runs one callback-style provider call with a deadline; network failures become a clear 400. */
const call = <T>(config: ProviderConfig, label: string, run: (settle: (err: unknown, value?: T) => void) => void): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    let isSettled = false
    const timer = setTimeout(() => settle(refusal(config, socialMessages.timeout(label))), timeoutMs)
    function settle(err: unknown, value?: T) {
      if (isSettled) {
        return
      }
      isSettled = true
      clearTimeout(timer)
      if (err) {
        reject(err)
      } else {
        resolve(value as T)
      }
    }
    try {
      run(settle)
    } catch (err) {
      settle(err)
    }
  })

const unreachable = (config: ProviderConfig, label: string, err: unknown): RestAuthError | undefined => {
  const code = networkCode(err)
  return code ? refusal(config, socialMessages.unreachable(label, code)) : undefined
}

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
    if (credentials.kind !== 'tokenPair') {
      throw new TypeError(`${provider.id} takes an OAuth 1.0a token pair`)
    }
    const strategy: OAuth1Strategy = provider.createStrategy(config)
    profile = await loadProfile(
      provider,
      config,
      (done) => strategy.userProfile(credentials.token, credentials.tokenSecret, {}, done),
      socialMessages.noPrivateAccess(hostOf(config.requestTokenUrl || config.profileUrl)),
    )
  } else {
    if (credentials.kind === 'tokenPair') {
      throw new TypeError(`${provider.id} takes an OAuth 2 access token or code`)
    }
    const strategy: OAuth2Strategy = provider.createStrategy(config)
    const accessToken =
      credentials.kind === 'code' ? await exchangeCode(provider, strategy, config, credentials) : credentials.accessToken
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
