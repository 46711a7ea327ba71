/*
 * The part of passport's strategies this plugin drives. A strategy's `authenticate()` is built for a
 * browser round trip (redirect out, callback in, session state); the REST API receives the code or
 * token from the client instead, so it calls the two steps `authenticate()` itself is made of: the
 * code exchange on the strategy's `oauth` client and the strategy's `userProfile()`.
 */

import type { ProviderConfig } from './types.js'

/** A passport profile: the normalised fields plus the provider's raw JSON (`_json`). */
export type PassportProfile = {
  _json?: Record<string, unknown>
  displayName?: string
  emails?: { primary?: boolean; value?: null | string; verified?: boolean }[]
  id?: number | string
  name?: { familyName?: string; givenName?: string }
  username?: string
}

export type ProfileCallback = (err: unknown, profile?: PassportProfile) => void

/** The `oauth` package's OAuth2 client that passport-oauth2 keeps as `_oauth2`. */
export type OAuth2Client = {
  /** The consent page URL with `client_id` and the given parameters. */
  getAuthorizeUrl: (params: Record<string, string>) => string
  get: (url: string, accessToken: string, callback: (err: unknown, body?: string, res?: unknown) => void) => void
  getOAuthAccessToken: (
    code: string,
    params: Record<string, string>,
    callback: (err: unknown, accessToken?: string, refreshToken?: string, results?: Record<string, unknown>) => void,
  ) => void
}

/** passport-oauth2's OAuth2Strategy and its subclasses (Google, Facebook, GitHub). */
export type OAuth2Strategy = {
  _oauth2: OAuth2Client
  /** Turns a failed token request into the strategy's own error (TokenError, FacebookTokenError…). */
  _createOAuthError: (message: string, err: unknown) => Error
  /** How the strategy joins scopes (Facebook and GitHub: `,`; others: a space). */
  _scopeSeparator: string
  userProfile: (accessToken: string, done: ProfileCallback) => void
}

type TokenPairCallback = (err: unknown, token?: string, tokenSecret?: string, results?: Record<string, unknown>) => void

/** The `oauth` package's OAuth 1.0a client that passport-oauth1 keeps as `_oauth`. */
export type OAuth1Client = {
  getOAuthAccessToken: (token: string, tokenSecret: string, verifier: string, callback: TokenPairCallback) => void
  getOAuthRequestToken: (params: Record<string, string>, callback: TokenPairCallback) => void
}

/** passport-oauth1's OAuthStrategy subclass (Twitter). */
export type OAuth1Strategy = {
  _createOAuthError: (message: string, err: unknown) => Error
  _oauth: OAuth1Client
  /** The provider's authorization page, the strategy's default when the setting is empty. */
  _userAuthorizationURL: string
  userProfile: (token: string, tokenSecret: string, params: Record<string, string>, done: ProfileCallback) => void
}

/**
 * The options every passport-oauth2 strategy takes, from a provider's settings; an empty URL leaves
 * the strategy's own default.
 */
export const oauth2StrategyOptions = (config: ProviderConfig) => ({
  authorizationURL: config.authorizationUrl || undefined,
  callbackURL: config.callbackUrl || undefined,
  clientID: config.clientId,
  clientSecret: config.secret,
  scope: config.scopes,
  tokenURL: config.tokenUrl || undefined,
})

/** Strategies want a verify callback; nothing is verified through it here. */
export const unusedVerify = (...args: unknown[]): void => {
  const done = args[args.length - 1]
  if (typeof done === 'function') {
    done(null, false)
  }
}

/**
 * Some strategies parse a response body without a try (passport-github2 does so for /user/emails),
 * which would throw inside an HTTP callback and end the process. For the given URL, a body that is
 * not JSON becomes an error the strategy reports normally.
 */
export const requireJsonBody = (client: OAuth2Client, url: string): void => {
  const get = client.get.bind(client)
  client.get = (requested, accessToken, callback) =>
    get(requested, accessToken, (err, body, res) => {
      if (!err && requested === url) {
        try {
          JSON.parse(body ?? '')
        } catch {
          callback({ data: '', statusCode: 502 }, body, res)
          return
        }
      }
      callback(err, body, res)
    })
}
