import type { CollectionConfig, GlobalConfig, PayloadRequest, TypedUser } from 'payload'

import type { EmailTemplates } from './email/templates.js'
import type { RestAuthSettings } from './settings/definitions.js'
import type { SettingsStore } from './settings/settingsStore.js'

import type { RateLimitStore } from './throttling/limiters.js'

export type { RateLimitStore } from './throttling/limiters.js'
export type {
  EmailTemplate,
  EmailTemplateContext,
  EmailTemplates,
  PasswordResetDoneContext,
  PasswordResetDoneTemplate,
  RenderedEmail,
} from './email/templates.js'
export type { RestAuthSettings, SettingKey } from './settings/definitions.js'

/** A user document of the users collection, as the plugin sees it. */
export type RestAuthUser = {
  [key: string]: unknown
  email?: null | string
  first_name?: null | string
  id: number | string
  is_active?: boolean | null
  is_staff?: boolean | null
  last_name?: null | string
  username?: null | string
} & Partial<TypedUser>

/**
 * An extra key in the `user/` payload: the equivalent of a custom USER_DETAILS_SERIALIZER field
 * (see the FAQ's UserProfile example in the README).
 */
export type UserDetailsField = {
  name: string
  /** JSON Schema of the value, for the OpenAPI document and the typed client (default: any value). */
  schema?: Record<string, unknown>
  /** The value returned for `user`. */
  read: (args: { req: PayloadRequest; user: RestAuthUser }) => Promise<unknown> | unknown
  /** Error messages for a submitted value; omit for a read-only field. */
  validate?: (args: {
    req: PayloadRequest
    user: RestAuthUser
    value: unknown
  }) => Promise<string[] | undefined> | string[] | undefined
  /** Store a validated value. Runs after the user's own fields are saved, in the same transaction. */
  write?: (args: { req: PayloadRequest; user: RestAuthUser; value: unknown }) => Promise<void> | void
}

/** A field registration/ accepts besides dj-rest-auth's own (REGISTER_SERIALIZER with custom_signup). */
export type RegistrationField = {
  name: string
  /** JSON Schema of the value, for the OpenAPI document and the typed client (default: any value). */
  schema?: Record<string, unknown>
  /** Absent → `{"<name>": ["This field is required."]}`. */
  required?: boolean
  /** Error messages for a submitted value, reported with the other fields' before anything is saved. */
  validate?: (args: { data: Record<string, unknown>; req: PayloadRequest; value: unknown }) => Promise<string[] | undefined> | string[] | undefined
  /** Store the value for the new user, in the sign-up's transaction (a throw undoes the sign-up). */
  save: (args: { req: PayloadRequest; user: RestAuthUser; value: unknown }) => Promise<void> | void
}

/**
 * Extra claims for a user's JWTs (JWT_TOKEN_CLAIMS_SERIALIZER's get_token): set on the refresh
 * token at login and copied into every access token made from it, as simplejwt does. simplejwt's
 * own claims (token_type, exp, iat, jti, user_id) cannot be replaced.
 */
export type JwtClaimsHook = (args: { req: PayloadRequest; user: RestAuthUser }) => Promise<Record<string, unknown>> | Record<string, unknown>

export type CollectionOverride = (args: { collection: CollectionConfig }) => CollectionConfig

export type RestAuthPluginOptions = {
  /**
   * Slugs of the collections and the global the plugin adds.
   * @default { emailAddresses: 'email-addresses', events: 'auth-events', flows: 'auth-flows', idTokenNonces: 'id-token-nonces', loginFailures: 'login-failures', mfaAuthenticators: 'mfa-authenticators', outstandingTokens: 'outstanding-tokens', sessions: 'auth-sessions', settings: 'rest-auth-settings', socialAccounts: 'social-accounts', tokens: 'auth-tokens', webauthnCredentials: 'webauthn-credentials' }
   */
  slugs?: Partial<RestAuthSlugs>
  /**
   * Replace the subject, text and HTML of the mails the plugin sends.
   * @default django-allauth's English mails, with the site name in the subject
   */
  emailTemplates?: Partial<EmailTemplates>
  /**
   * Only the schema is added when false, so migrations stay stable; no endpoints, strategies or hooks.
   * @default true
   */
  enabled?: boolean
  /**
   * Who may administer the API and the users: the settings global, everyone's tokens and e-mail
   * addresses, creating users and setting their credentials through Payload, the admin panel. An
   * inactive user of the users collection never does, whatever this says; check `user.collection`
   * when you have more than one auth collection.
   * @default an active user of the users collection with `is_staff` set
   */
  isAdmin?: (args: { req: PayloadRequest; user: null | RestAuthUser | undefined }) => boolean
  /**
   * Extra claims in the user's JWTs (JWT_TOKEN_CLAIMS_SERIALIZER).
   * @default none
   */
  jwtClaims?: JwtClaimsHook
  /**
   * Password derivations (about 100 ms of CPU each) this process runs at once, waiting included;
   * a login beyond it answers 503 with Retry-After instead of queueing, so a login flood cannot
   * starve the thread pool every other request uses. Process-wide: the last plugin instance wins.
   * @default twice libuv's thread pool size (UV_THREADPOOL_SIZE, 4): 8
   */
  maxPasswordChecksInFlight?: number
  /** Change the generated collections, e.g. to add fields or admin options. */
  overrides?: {
    emailAddresses?: CollectionOverride
    outstandingTokens?: CollectionOverride
    sessions?: CollectionOverride
    settings?: (args: { global: GlobalConfig }) => GlobalConfig
    socialAccounts?: CollectionOverride
    tokens?: CollectionOverride
    webauthnCredentials?: CollectionOverride
  }
  /**
   * Who may register (REGISTER_PERMISSION_CLASSES); the global's `registrationOpen` can close it too.
   * @default everybody
   */
  registerAccess?: (args: { req: PayloadRequest }) => boolean | Promise<boolean>
  /**
   * Fields registration/ accepts besides username, email, password1 and password2 (REGISTER_SERIALIZER).
   * @default []
   */
  registrationFields?: RegistrationField[]
  /**
   * Where rate-limit counters live: Redis when `redisUrl` (or the REDIS_URL environment variable) is
   * set, so several app instances share limits; otherwise this process's memory.
   */
  rateLimitStore?: RateLimitStore
  /**
   * Routes live at `/api/<routePrefix>/...`.
   * @default 'dj-rest-auth'
   */
  routePrefix?: string
  /**
   * Defaults for every setting; a value saved in the settings global wins over these.
   * @default dj-rest-auth's own defaults (see src/settings/definitions.ts)
   */
  settings?: Partial<RestAuthSettings>
  /**
   * How long an instance keeps the settings global cached (ms). A save in the admin clears the
   * cache of the instance that handled it at once; other instances follow within this time.
   * @default 5000
   */
  settingsCacheTtl?: number
  /**
   * How long an instance trusts a cached token lookup (ms). Logout, password change and user
   * updates clear it at once on the instance that handled them.
   * @default 10000
   */
  tokenCacheTtl?: number
  /** Extra keys in the `user/` payload (USER_DETAILS_SERIALIZER). */
  userDetailsFields?: UserDetailsField[]
  /**
   * The auth collection that holds the users: extended if it exists, created otherwise.
   * @default 'users'
   */
  usersCollection?: string
}

export type RestAuthSlugs = {
  emailAddresses: string
  /** The security log (logins, session, password and e-mail changes, deletions). */
  events: string
  /** Authentication flows in progress (second factor, mailed codes, passkey challenges). */
  flows: string
  /** The nonces of id_tokens that logged someone in (hidden; a token with a nonce works once). */
  idTokenNonces: string
  /** Failed logins per account and client address, with the back-off they earned (see src/throttling/loginLockout.ts). */
  loginFailures: string
  /** Second factors: TOTP authenticators (seed encrypted) and recovery codes (digests). */
  mfaAuthenticators: string
  /** JWT refresh tokens issued, by jti, and the blacklist. */
  outstandingTokens: string
  /** One row per completed login, which its credentials point to (see src/collections/AuthSessions). */
  sessions: string
  settings: string
  socialAccounts: string
  tokens: string
  /** Passkeys (WebAuthn credentials). */
  webauthnCredentials: string
}

/** The options with every default resolved once, handed to every factory. */
export type SanitizedRestAuthOptions = {
  baseSettings: RestAuthSettings
  emailTemplates: EmailTemplates
  enabled: boolean
  isAdmin: NonNullable<RestAuthPluginOptions['isAdmin']>
  jwtClaims: JwtClaimsHook | undefined
  maxPasswordChecksInFlight: number
  overrides: NonNullable<RestAuthPluginOptions['overrides']>
  rateLimitStore: RateLimitStore
  registerAccess: NonNullable<RestAuthPluginOptions['registerAccess']>
  registrationFields: RegistrationField[]
  routePrefix: string
  settingsStore: SettingsStore
  slugs: RestAuthSlugs
  tokenCacheTtl: number
  userDetailsFields: UserDetailsField[]
  usersCollection: string
}
