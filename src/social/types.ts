import type { OAuth1Strategy, OAuth2Strategy, PassportProfile } from './strategies.js'

/** One provider's settings (`<id>Enabled`, `<id>ClientId`, … in the `social` group), trimmed. */
export type ProviderConfig = {
  /** Other client IDs of the site's own apps whose access tokens are accepted. */
  acceptedClientIds: string[]
  authorizationUrl: string
  callbackUrl: string
  clientId: string
  isEnabled: boolean
  /** socialCheckTokenAudience: an access token must be confirmed at tokenCheckUrl before it is used. */
  mustCheckAudience: boolean
  profileUrl: string
  /** OAuth 1.0a only; empty for OAuth 2 providers. */
  requestTokenUrl: string
  scopes: string[]
  secret: string
  /** Where an access token's client is checked (`<id>TokenInfoUrl` or `<id>TokenCheckUrl`). */
  tokenCheckUrl: string
  /** The token endpoint (OAuth 1.0a: the access token endpoint). */
  tokenUrl: string
}

/** Who the provider says the user is: what a SocialAccount and a new user are made of. */
export type SocialIdentity = {
  /** A syntactically valid, lower-cased address, or undefined. */
  email?: string
  /** The provider's profile JSON as it was received (allauth's extra_data); never tokens. */
  extraData: Record<string, unknown>
  firstName: string
  /** The provider vouches for the address (Google's email_verified, GitHub's verified flag). */
  isEmailVerified: boolean
  lastName: string
  /** The provider's stable account id. */
  uid: string
  /** A username the provider suggests (GitHub login, Twitter screen name). */
  username?: string
}

type ProviderBase = {
  /** URL segment and `provider` column: `google` serves google/ and google/connect/. */
  id: string
  /**
   * Refuses an access token the client sent unless the provider says it was issued to this site
   * (config.clientId or acceptedClientIds); absent where the provider already binds tokens to the
   * app (Facebook's appsecret_proof, Twitter's signatures).
   */
  checkTokenAudience?: (config: ProviderConfig, accessToken: string) => Promise<void>
  label: string
  /** Reads the identity out of the strategy's profile; null when the profile has no id. */
  toIdentity: (profile: PassportProfile) => null | SocialIdentity
}

export type OAuth2Provider = {
  /** A passport strategy configured from the settings, used without redirects (src/social/oauth2.ts). */
  createStrategy: (config: ProviderConfig) => OAuth2Strategy
  protocol: 'oauth2'
} & ProviderBase

export type OAuth1Provider = {
  createStrategy: (config: ProviderConfig) => OAuth1Strategy
  protocol: 'oauth1'
} & ProviderBase

/** One file per provider in src/providers/, each exporting one of these. */
export type SocialProvider = OAuth1Provider | OAuth2Provider

/** What the client sent: an OAuth 2 access token or code, or an OAuth 1.0a token pair. */
export type SocialCredentials =
  | { accessToken: string; kind: 'accessToken' }
  | { code: string; codeVerifier?: string; kind: 'code' }
  | { kind: 'tokenPair'; token: string; tokenSecret: string }
  /** OAuth 1.0a's last leg, done by the API: the request token, its secret and the callback's verifier. */
  | { kind: 'verifier'; token: string; tokenSecret: string; verifier: string }

export const defineProvider = <P extends SocialProvider>(provider: P): P => provider
