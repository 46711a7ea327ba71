import type { BooleanSetting, ProviderSettingDefinition, TextSetting, ValueOf } from '../settings/settingTypes.js'

/*
 * The contract of a social provider. Each provider is one module in src/providers/ that declares
 * everything about itself with `defineProvider`: its id and label, its settings (merged into the
 * settings global), and the calls of its protocol. The routes, `social/providers/`, the admin's
 * cards, the settings validation and the endpoint list all iterate the registered providers
 * (src/social/registry.ts).
 */

/**
 * A provider's settings by role. Roles the engine knows: `enabled`, `clientId`, `secret`,
 * `callbackUrl` (may start with `{origin}`), `scopes` and `acceptedClientIds` (lists, space- or
 * comma-separated); every other role is the provider's own (`tokenUrl`, `teamId`, `tenant`…). In
 * the settings table a role becomes `<id><Role>`: google's `clientId` is `googleClientId`.
 */
export type ProviderSettings = {
  [role: string]: ProviderSettingDefinition
  clientId: Omit<TextSetting, 'group'>
  enabled: Omit<BooleanSetting, 'group'>
}

/** The settings every provider's calls may rely on, read for one request. */
export type CommonConfig = {
  /** Client IDs of the site's other apps (Android, iOS) whose tokens are accepted too. */
  acceptedClientIds: string[]
  /** `{origin}` replaced by the origin the client reached the site at. */
  callbackUrl: string
  clientId: string
  /** Enabled, with a client ID: the provider's routes exist. */
  isEnabled: boolean
  scopes: string[]
  secret: string
  /** The values of every write-only setting, never echoed in a refusal. */
  secrets: string[]
}

type OwnValues<S extends ProviderSettings> = string extends keyof S
  ? Record<string, unknown>
  : Omit<{ [Role in keyof S]: ValueOf<S[Role]> }, keyof CommonConfig>

/** One provider's settings as its calls see them: text trimmed, lists split, `{origin}` filled in. */
export type ProviderConfig<S extends ProviderSettings = ProviderSettings> = CommonConfig & OwnValues<S>

/** Who the provider says the user is: what a SocialAccount and a new user are made of. */
export type SocialIdentity = {
  /** A syntactically valid, lower-cased address, or undefined. */
  email?: string
  /** The provider's profile JSON (or id_token claims) as received (allauth's extra_data); never tokens. */
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

/** A code and what its exchange needs besides the client's credentials. */
export type CodeGrant = { code: string; codeVerifier?: string; redirectUri: string }

/** A token endpoint's answer. */
export type TokenSet = { accessToken: string; idToken?: string }

/** The claims of a verified id_token. */
export type IdTokenClaims = Record<string, unknown> & { aud: string | string[]; iss: string; sub: string }

/** How a provider's id_tokens are checked besides their audience, expiry and nonce. */
export type IdTokenRules = {
  /** The issuers accepted; a function when the issuer depends on the token (Microsoft's `{tenantid}`). */
  issuer: ((claims: Record<string, unknown>) => boolean) | string[]
  /** Where the signing keys are published. */
  jwksUrl: string
}

/** What the client sent besides the tokens, for providers that read it (Apple's `user`). */
export type SignInExtras = { user?: unknown }

type ProviderBase<S extends ProviderSettings> = {
  /** URL segment and `provider` column: `google` serves google/ and google/connect/. */
  id: string
  label: string
  settings: S
  /** Problems of the provider's settings beyond their types, by role (the table reports them by setting). */
  settingsProblems?(config: ProviderConfig<S>): Partial<Record<keyof S & string, string>>
}

/** The consent page a client sends the user to, before the client adds `state` (and PKCE, nonce). */
export type AuthorizationPage = {
  /** Extra query parameters (Apple's `response_mode=form_post`). */
  params?: Record<string, string>
  /** How the provider joins scopes: a space (OAuth 2's own), or a comma (Facebook, GitHub). */
  scopeSeparator?: ',' | ' '
  url: string
}

/** OpenID Connect: verifiable id_tokens, which native apps' SDKs hand over. */
export type OpenIdSupport<S extends ProviderSettings> = {
  rules(config: ProviderConfig<S>): Promise<IdTokenRules>
  /** The identity in the claims; null without an account id. */
  toIdentity(claims: IdTokenClaims, extras: SignInExtras): null | SocialIdentity
}

/*
 * The calls are declared as methods so that a provider with its own settings type can stand in a
 * list of providers (method parameters are checked bivariantly).
 */
export type OAuth2ProviderDefinition<S extends ProviderSettings = ProviderSettings> = {
  authorization(config: ProviderConfig<S>): AuthorizationPage | Promise<AuthorizationPage>
  /**
   * Refuses an access token the client sent unless the provider says it was issued to this site
   * (clientId or acceptedClientIds), when socialCheckTokenAudience is on; absent where the provider
   * itself binds tokens to the app (Facebook's appsecret_proof).
   */
  checkAccessToken?(config: ProviderConfig<S>, accessToken: string): Promise<void>
  exchangeCode(config: ProviderConfig<S>, grant: CodeGrant): Promise<TokenSet>
  /** Who an access token belongs to, from the provider's profile API (null without an account id); absent where only id_tokens tell (Apple). */
  fetchIdentity?(config: ProviderConfig<S>, accessToken: string): Promise<null | SocialIdentity>
  openId?: OpenIdSupport<S>
  protocol: 'oauth2'
} & ProviderBase<S>

/** OAuth 1.0a's three endpoints. */
export type OAuth1Endpoints = { accessTokenUrl: string; authorizationUrl: string; requestTokenUrl: string }

export type TokenPair = { token: string; tokenSecret: string }

export type OAuth1ProviderDefinition<S extends ProviderSettings = ProviderSettings> = {
  endpoints(config: ProviderConfig<S>): OAuth1Endpoints
  /** Who an access token pair belongs to (null without an account id); the request is signed with the consumer secret and the token secret. */
  fetchIdentity(config: ProviderConfig<S>, pair: TokenPair): Promise<null | SocialIdentity>
  protocol: 'oauth1'
} & ProviderBase<S>

export type ProviderDefinition<S extends ProviderSettings = ProviderSettings> = OAuth1ProviderDefinition<S> | OAuth2ProviderDefinition<S>

/** Declares an OAuth 2 (and maybe OpenID Connect) provider; its config type follows from its settings. */
export const defineOAuth2Provider = <Id extends string, S extends ProviderSettings>(
  definition: { id: Id } & OAuth2ProviderDefinition<S>,
): { id: Id } & OAuth2ProviderDefinition<S> => definition

/** Declares an OAuth 1.0a provider. */
export const defineOAuth1Provider = <Id extends string, S extends ProviderSettings>(
  definition: { id: Id } & OAuth1ProviderDefinition<S>,
): { id: Id } & OAuth1ProviderDefinition<S> => definition

/** A provider as the current settings configure it: what the routes and flows work with. */
export type SocialProvider = {
  config: ProviderConfig
  definition: ProviderDefinition
  /** The slug: URL segment and `provider` column. */
  id: string
  label: string
  protocol: ProviderDefinition['protocol']
}

export type OAuth2Provider = { definition: OAuth2ProviderDefinition; protocol: 'oauth2' } & SocialProvider
export type OAuth1Provider = { definition: OAuth1ProviderDefinition; protocol: 'oauth1' } & SocialProvider

/**
 * What the client sent: an OAuth 2 access token, code or id_token (with the nonce it expects in the
 * id_token), or an OAuth 1.0a token pair.
 */
export type SocialCredentials =
  /** With allauth's `token.client_id`, the one client the id_token must have been issued to. */
  | { clientId?: string; idToken: string; kind: 'idToken'; nonce?: string }
  | { accessToken: string; kind: 'accessToken' }
  | { code: string; codeVerifier?: string; kind: 'code'; nonce?: string }
  | { kind: 'tokenPair'; token: string; tokenSecret: string }
  /** OAuth 1.0a's last leg, done by the API: the request token, its secret and the callback's verifier. */
  | { kind: 'verifier'; token: string; tokenSecret: string; verifier: string }
