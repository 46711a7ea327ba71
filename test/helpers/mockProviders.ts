import { createHash, createHmac, randomBytes } from 'node:crypto'
import http from 'node:http'
import { createRequire } from 'node:module'
import net from 'node:net'

import type { SigningKeys } from './signingKeys.js'

import { createSigningKeys } from './signingKeys.js'

/*
 * Local stand-ins for Google, Facebook, GitHub and Twitter on 127.0.0.1, each on its own random
 * port, answering their token and profile endpoints with the real services' formats (including
 * their error formats). Each records the requests it received so tests can check what was sent.
 */

export type ProfileJson = Record<string, unknown>

export type Answer = { body: string; headers?: Record<string, string>; status: number }

export type Received = { headers: http.IncomingHttpHeaders; json?: Record<string, unknown>; method: string; params: URLSearchParams; path: string }

export const json = (status: number, body: unknown): Answer => ({
  body: JSON.stringify(body),
  headers: { 'content-type': 'application/json; charset=utf-8' },
  status,
})

export const form = (body: Record<string, string>): Answer => ({
  body: new URLSearchParams(body).toString(),
  headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
  status: 200,
})

export const html = (status: number, body: string): Answer => ({ body, headers: { 'content-type': 'text/html; charset=utf-8' }, status })

export const redirect = (to: string, params: Record<string, string | undefined>): Answer => {
  const url = new URL(to)
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined) {
      url.searchParams.set(key, value)
    }
  }
  return { body: '', headers: { location: url.toString() }, status: 302 }
}

export const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`)

/**
 * A provider's consent page: one "Continue as <user>" button per known profile and a "Cancel"
 * button, posting the request's own parameters back to the same path.
 */
export const consentPage = (title: string, path: string, params: URLSearchParams, users: string[]): Answer => {
  const hidden = [...params].map(([key, value]) => `<input type="hidden" name="${escapeHtml(key)}" value="${escapeHtml(value)}">`).join('')
  const buttons = users.map((user) => `<button name="user" value="${escapeHtml(user)}" type="submit">Continue as ${escapeHtml(user)}</button>`).join('')
  return html(
    200,
    `<!doctype html><title>${escapeHtml(title)}</title><h1>${escapeHtml(title)}</h1><form method="post" action="${path}">${hidden}${buttons}<button name="deny" value="1" type="submit">Cancel</button></form>`,
  )
}

const readBody = (req: http.IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })

/** A loopback HTTP server; `handle` answers each request, or returns null to leave it hanging. */
export const listen = async (
  handle: (request: Received, req: http.IncomingMessage) => Answer | null,
): Promise<{ baseUrl: string; close: () => Promise<void>; received: Received[] }> => {
  const received: Received[] = []
  const server = http.createServer((req, res) => {
    readBody(req)
      .then((raw) => {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1')
        const params = new URLSearchParams(url.search)
        if (raw && (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
          new URLSearchParams(raw).forEach((value, key) => params.append(key, value))
        }
        let body: Record<string, unknown> | undefined
        if (raw && (req.headers['content-type'] ?? '').startsWith('application/json')) {
          try {
            body = JSON.parse(raw) as Record<string, unknown>
          } catch {
            body = undefined
          }
        }
        const request = { headers: req.headers, json: body, method: req.method ?? 'GET', params, path: url.pathname }
        received.push(request)
        const answer = handle(request, req)
        if (answer) {
          res.writeHead(answer.status, answer.headers ?? {})
          res.end(answer.body)
        }
      })
      .catch(() => {
        res.writeHead(500)
        res.end()
      })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
    received,
  }
}

/** A URL on loopback where nothing listens: connection refused. */
export const refusedUrl = async (path = '/'): Promise<string> => {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return `http://127.0.0.1:${port}${path}`
}

export const bearerOrQueryToken = (request: Received): string => {
  const header = String(request.headers.authorization ?? '')
  const match = /^Bearer (.+)$/i.exec(header)
  return match ? match[1]! : (request.params.get('access_token') ?? '')
}

/** What the consent page granted: who, to which redirect URI, with which scopes and PKCE challenge. */
export type Authorization = { challenge?: string; redirectUri: string; scopes: string[]; user: string }

type CodeGrant = { codeChallenge?: string; nonce?: string; redirectUri?: string; scopes: string[]; user: string }

type OAuth2State = {
  codes: Map<string, CodeGrant>
  profiles: Map<string, ProfileJson>
  /** Access tokens, with the client ID of the app each was issued to. */
  tokens: Map<string, { clientId: string; scopes: string[]; user: string }>
}

export type MockOAuth2Provider = {
  /** Every grant the consent page made, oldest first. */
  authorizations: Authorization[]
  baseUrl: string
  clientId: string
  close: () => Promise<void>
  /** An authorization code for a user, as the consent page would hand it to the client. */
  issueCode: (user: string, options?: { codeChallenge?: string; nonce?: string; redirectUri?: string; scopes?: string[] }) => string
  /**
   * An access token for a user, as the implicit flow or a mobile SDK would hand it to the client;
   * `clientId` issues it to another app.
   */
  issueToken: (user: string, options?: { clientId?: string; scopes?: string[] }) => string
  /** The profile JSON the profile endpoint returns for a user (change it to see extra_data follow). */
  profiles: Map<string, ProfileJson>
  received: Received[]
  /** The token no longer works at the profile endpoint. */
  revoke: (token: string) => void
  secret: string
  /** The plugin settings that point at this provider. */
  settings: Record<string, unknown>
  tokenRequests: () => Received[]
}

export const CALLBACK_URL = 'https://app.example.com/social/callback/'

export const pkceMatches = (challenge: string, verifier: string | null): boolean =>
  !!verifier && createHash('sha256').update(verifier).digest('base64url') === challenge

type OAuth2Spec = {
  id: 'facebook' | 'github' | 'google'
  profile: (state: OAuth2State, request: Received, secret: string) => Answer | null
  profilePath: string
  refuse: (kind: 'bad_client' | 'bad_code' | 'bad_verifier' | 'redirect_mismatch') => Answer
  success: (token: string, grant: CodeGrant & { clientId: string }, state: OAuth2State) => Answer
  tokenPath: string
  extraPaths?: (state: OAuth2State, request: Received, app: { clientId: string; secret: string }) => Answer | null
  /** The provider's endpoint that says which app a token belongs to, as a setting. */
  tokenCheck?: { path: string; setting: string }
}

const startOAuth2 = async (spec: OAuth2Spec): Promise<MockOAuth2Provider> => {
  const clientId = `${spec.id}-client-${randomBytes(3).toString('hex')}`
  const secret = `${spec.id}-secret-${randomBytes(12).toString('hex')}`
  const state: OAuth2State = { codes: new Map(), profiles: new Map(), tokens: new Map() }
  const newToken = (user: string, scopes: string[], issuedTo = clientId) => {
    const token = `${spec.id}-token-${randomBytes(8).toString('hex')}`
    state.tokens.set(token, { clientId: issuedTo, scopes, user })
    return token
  }
  /** The consent page: GET shows it, POST (a button) sends the user back with a code or an error. */
  const authorize = (request: Received): Answer => {
    const p = request.params
    const redirectUri = p.get('redirect_uri')
    if (p.get('client_id') !== clientId || !redirectUri || p.get('response_type') !== 'code') {
      return html(400, '<h1>Error 400: invalid_request</h1><p>client_id, redirect_uri or response_type is missing or wrong.</p>')
    }
    const challenge = p.get('code_challenge') ?? undefined
    if (challenge !== undefined && p.get('code_challenge_method') !== 'S256') {
      return html(400, '<h1>Error 400: invalid_request</h1><p>code_challenge_method must be S256.</p>')
    }
    if (request.method === 'GET') {
      return consentPage(`Sign in to ${spec.id} (mock)`, '/authorize', p, [...state.profiles.keys()])
    }
    const back = { state: p.get('state') ?? undefined }
    const user = p.get('user') ?? ''
    if (p.get('deny') || !state.profiles.has(user)) {
      return redirect(redirectUri, { ...back, error: 'access_denied', error_description: 'The user denied access.' })
    }
    const scopes = (p.get('scope') ?? '').split(/[\s,]+/).filter(Boolean)
    const code = `4/${spec.id}-code-${randomBytes(8).toString('hex')}`
    state.codes.set(code, { codeChallenge: challenge, nonce: p.get('nonce') ?? undefined, redirectUri, scopes, user })
    authorizations.push({ challenge, redirectUri, scopes, user })
    return redirect(redirectUri, { ...back, code })
  }
  const authorizations: Authorization[] = []
  const server = await listen((request) => {
    if (request.path === spec.tokenPath && request.method === 'POST') {
      const p = request.params
      if (p.get('client_id') !== clientId || p.get('client_secret') !== secret) {
        return spec.refuse('bad_client')
      }
      const grant = state.codes.get(p.get('code') ?? '')
      if (p.get('grant_type') !== 'authorization_code' || !grant) {
        return spec.refuse('bad_code')
      }
      if (grant.redirectUri !== undefined && p.get('redirect_uri') !== grant.redirectUri) {
        return spec.refuse('redirect_mismatch')
      }
      if (grant.codeChallenge !== undefined && !pkceMatches(grant.codeChallenge, p.get('code_verifier'))) {
        return spec.refuse('bad_verifier')
      }
      state.codes.delete(p.get('code')!)
      return spec.success(newToken(grant.user, grant.scopes), { ...grant, clientId }, state)
    }
    if (request.path === spec.profilePath && request.method === 'GET') {
      return spec.profile(state, request, secret)
    }
    if (request.path === '/authorize') {
      return authorize(request)
    }
    return spec.extraPaths?.(state, request, { clientId, secret }) ?? json(404, { message: 'Not Found' })
  })
  const base = server.baseUrl
  const prefix = spec.id
  return {
    authorizations,
    baseUrl: base,
    clientId,
    close: server.close,
    issueCode: (user, { codeChallenge, nonce, redirectUri = CALLBACK_URL, scopes = ['user:email'] } = {}) => {
      // Real codes carry characters that need URL encoding (Google's start with "4/").
      const code = `4/${spec.id}-code-${randomBytes(8).toString('hex')}`
      state.codes.set(code, { codeChallenge, nonce, redirectUri, scopes, user })
      return code
    },
    issueToken: (user, { clientId: issuedTo, scopes = ['user:email'] } = {}) => newToken(user, scopes, issuedTo),
    profiles: state.profiles,
    received: server.received,
    revoke: (token) => {
      state.tokens.delete(token)
    },
    secret,
    settings: {
      [`${prefix}AuthorizationUrl`]: `${base}/authorize`,
      [`${prefix}CallbackUrl`]: CALLBACK_URL,
      [`${prefix}ClientId`]: clientId,
      [`${prefix}Enabled`]: true,
      [`${prefix}ProfileUrl`]: `${base}${spec.profilePath}`,
      [`${prefix}Secret`]: secret,
      [`${prefix}TokenUrl`]: `${base}${spec.tokenPath}`,
      ...(spec.tokenCheck ? { [spec.tokenCheck.setting]: `${base}${spec.tokenCheck.path}` } : {}),
    },
    tokenRequests: () => server.received.filter((request) => request.path === spec.tokenPath),
  }
}

/** What an id_token says about a user: the profile's claims, and who issued it to whom, until when. */
export type IdTokenOptions = {
  aud?: string | string[]
  /** Extra or replaced claims. */
  claims?: Record<string, unknown>
  /** Seconds from now; negative: already expired. */
  expiresIn?: number
  iss?: string
  nonce?: string
}

/** The claims of an id_token for a profile, as an OpenID provider issues them. */
export const idTokenClaims = (
  profile: ProfileJson,
  { aud, claims = {}, expiresIn = 3600, iss, nonce }: IdTokenOptions & { aud: string | string[]; iss: string },
): Record<string, unknown> => {
  const now = Math.floor(Date.now() / 1000)
  return { ...profile, aud, exp: now + expiresIn, iat: now, iss, ...(nonce === undefined ? {} : { nonce }), ...claims }
}

/**
 * Google: OAuth errors as JSON, OpenID Connect userinfo, tokeninfo naming a token's client, and
 * id_tokens (in the code exchange's answer, and for tests as a mobile SDK hands them over) signed
 * with keys published at /certs.
 */
export const startMockGoogle = async () => {
  const keys = createSigningKeys()
  let issuer = ''
  const sign = (profile: ProfileJson, options: IdTokenOptions & { aud: string | string[] }) =>
    keys.sign(idTokenClaims(profile, { iss: issuer, ...options }))
  const provider = await startOAuth2({
    extraPaths: (state, request) => {
      if (request.path === '/certs') {
        return json(200, keys.jwks())
      }
      if (request.path !== '/tokeninfo') {
        return null
      }
      const grant = state.tokens.get(request.params.get('access_token') ?? '')
      return grant
        ? json(200, { access_type: 'online', aud: grant.clientId, azp: grant.clientId, expires_in: '3599', scope: grant.scopes.join(' ') })
        : json(400, { error: 'invalid_token', error_description: 'Invalid Value' })
    },
    id: 'google',
    profile: (state, request) => {
      const grant = state.tokens.get(bearerOrQueryToken(request))
      const profile = grant && state.profiles.get(grant.user)
      return profile ? json(200, profile) : json(401, { error: 'invalid_request', error_description: 'Invalid Credentials' })
    },
    profilePath: '/oauth2/v3/userinfo',
    refuse: (kind) =>
      ({
        bad_client: json(401, { error: 'invalid_client', error_description: 'Unauthorized' }),
        bad_code: json(400, { error: 'invalid_grant', error_description: 'Bad Request' }),
        bad_verifier: json(400, { error: 'invalid_grant', error_description: 'Invalid code verifier.' }),
        redirect_mismatch: json(400, { error: 'redirect_uri_mismatch', error_description: 'Bad Request' }),
      })[kind],
    success: (token, grant, state) =>
      json(200, {
        access_token: token,
        expires_in: 3599,
        id_token: sign(state.profiles.get(grant.user) ?? {}, { aud: grant.clientId, claims: { azp: grant.clientId }, nonce: grant.nonce }),
        scope: 'openid email profile',
        token_type: 'Bearer',
      }),
    tokenCheck: { path: '/tokeninfo', setting: 'googleTokenInfoUrl' },
    tokenPath: '/token',
  })
  issuer = provider.baseUrl
  return {
    ...provider,
    /** An id_token for a user, as Google Sign-In on a phone hands it to the app (to our client unless `aud` says otherwise). */
    idToken: (user: string, { key, kid, ...options }: IdTokenOptions & Pick<Parameters<SigningKeys['sign']>[1] & {}, 'key' | 'kid'> = {}) =>
      keys.sign(idTokenClaims(provider.profiles.get(user) ?? {}, { aud: provider.clientId, iss: issuer, ...options }), { key, kid }),
    issuer,
    keys,
    settings: { ...provider.settings, googleIssuer: issuer, googleJwksUrl: `${issuer}/certs` } as Record<string, unknown>,
  }
}

const facebookError = (status: number, message: string, type: string, code: number): Answer =>
  json(status, { error: { code, fbtrace_id: 'AbCdEf', message, type } })

/** Facebook: Graph API errors, appsecret_proof required on profile calls. */
export const startMockFacebook = () =>
  startOAuth2({
    id: 'facebook',
    profile: (state, request, secret) => {
      const token = bearerOrQueryToken(request)
      const grant = state.tokens.get(token)
      const profile = grant && state.profiles.get(grant.user)
      if (!profile) {
        return facebookError(400, 'Error validating access token: The session has been invalidated because the user changed their password.', 'OAuthException', 190)
      }
      const proof = createHmac('sha256', secret).update(token).digest('hex')
      if (request.params.get('appsecret_proof') !== proof) {
        return facebookError(400, 'Invalid appsecret_proof provided in the API argument', 'GraphMethodException', 100)
      }
      return json(200, profile)
    },
    profilePath: '/v21.0/me',
    refuse: (kind) =>
      ({
        bad_client: facebookError(400, 'Error validating client secret.', 'OAuthException', 1),
        bad_code: facebookError(400, 'Invalid verification code format.', 'OAuthException', 100),
        bad_verifier: facebookError(400, 'Invalid code verifier.', 'OAuthException', 100),
        redirect_mismatch: facebookError(400, 'Error validating verification code. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request', 'OAuthException', 100),
      })[kind],
    success: (token) => json(200, { access_token: token, expires_in: 5183944, token_type: 'bearer' }),
    tokenPath: '/v21.0/oauth/access_token',
  })

const githubRefusal = (error: string, description: string): Answer =>
  form({ error, error_description: description, error_uri: 'https://docs.github.com/apps/troubleshooting' })

/** GitHub: token errors as 200 form bodies, REST API with a User-Agent and /user/emails. */
export const startMockGithub = () => {
  const emails = new Map<string, unknown>()
  const provider = startOAuth2({
    extraPaths: (state, request, app) => {
      const check = /^\/applications\/([^/]+)\/token$/.exec(request.path)
      if (check && request.method === 'POST') {
        // GitHub's "check a token": Basic auth with the app's ID and secret, 404 for another app's token.
        const basic = `Basic ${Buffer.from(`${app.clientId}:${app.secret}`).toString('base64')}`
        if (decodeURIComponent(check[1]!) !== app.clientId || request.headers.authorization !== basic) {
          return json(404, { documentation_url: 'https://docs.github.com/rest', message: 'Not Found' })
        }
        const grant = state.tokens.get(String(request.json?.access_token ?? ''))
        return grant && grant.clientId === app.clientId
          ? json(200, { app: { client_id: grant.clientId, name: 'mock', url: 'https://example.com' }, scopes: grant.scopes, token: 'redacted' })
          : json(404, { documentation_url: 'https://docs.github.com/rest', message: 'Not Found' })
      }
      if (request.path !== '/user/emails') {
        return null
      }
      const grant = state.tokens.get(bearerOrQueryToken(request))
      if (!grant) {
        return json(401, { documentation_url: 'https://docs.github.com/rest', message: 'Bad credentials' })
      }
      if (!grant.scopes.includes('user:email')) {
        return json(404, { documentation_url: 'https://docs.github.com/rest', message: 'Not Found' })
      }
      const list = emails.get(grant.user)
      return typeof list === 'string' ? { body: list, status: 200 } : json(200, list ?? [])
    },
    id: 'github',
    profile: (state, request) => {
      if (!request.headers['user-agent']) {
        return json(403, { message: 'Request forbidden by administrative rules. Please make sure your request has a User-Agent header.' })
      }
      const grant = state.tokens.get(bearerOrQueryToken(request))
      const profile = grant && state.profiles.get(grant.user)
      return profile ? json(200, profile) : json(401, { documentation_url: 'https://docs.github.com/rest', message: 'Bad credentials' })
    },
    profilePath: '/user',
    refuse: (kind) =>
      ({
        bad_client: githubRefusal('incorrect_client_credentials', 'The client_id and/or client_secret passed are incorrect.'),
        bad_code: githubRefusal('bad_verification_code', 'The code passed is incorrect or expired.'),
        bad_verifier: githubRefusal('bad_verification_code', 'The code_verifier does not match the code_challenge.'),
        redirect_mismatch: githubRefusal('redirect_uri_mismatch', 'The redirect_uri MUST match the registered callback URL for this application.'),
      })[kind],
    success: (token, { scopes }) => form({ access_token: token, scope: scopes.join(','), token_type: 'bearer' }),
    tokenCheck: { path: '/applications/{client_id}/token', setting: 'githubTokenCheckUrl' },
    tokenPath: '/login/oauth/access_token',
  })
  return provider.then((started) => ({
    ...started,
    /** What /user/emails lists for a user (a string is sent as the raw body). */
    emails,
  }))
}

export type OAuthSigner = {
  _getSignature: (method: string, url: string, parameters: string, tokenSecret: string) => string
  _normaliseRequestParams: (args: Record<string, string>) => string
}

/**
 * The `oauth` package (the OAuth 1.0a client passport used), an implementation independent of the
 * plugin's own signer, to check signatures with.
 */
const loadOAuthSigner = (consumerKey: string, consumerSecret: string): OAuthSigner => {
  const require = createRequire(import.meta.url)
  const { OAuth } = require('oauth') as {
    OAuth: new (...args: (null | string)[]) => OAuthSigner
  }
  return new OAuth(null, null, consumerKey, consumerSecret, '1.0', null, 'HMAC-SHA1')
}

const parseOAuthHeader = (header: string): null | Record<string, string> => {
  if (!header.startsWith('OAuth ')) {
    return null
  }
  const params: Record<string, string> = {}
  for (const part of header.slice(6).split(',')) {
    const match = /^\s*([\w.-]+)="([^"]*)"\s*$/.exec(part)
    if (!match) {
      return null
    }
    params[decodeURIComponent(match[1]!)] = decodeURIComponent(match[2]!)
  }
  return params
}

export type MockTwitter = {
  baseUrl: string
  close: () => Promise<void>
  consumerKey: string
  /** An access token pair for a user, as the three-legged flow would hand it to the client. */
  issueTokenPair: (user: string) => { token: string; tokenSecret: string }
  profiles: Map<string, ProfileJson>
  received: Received[]
  revoke: (token: string) => void
  secret: string
  settings: Record<string, unknown>
}

/**
 * Twitter: OAuth 1.0a, every request's HMAC-SHA1 signature checked; API errors as `{"errors": [...]}`.
 * The three legs are there too: request_token (consumer-signed, with oauth_callback), the
 * authenticate consent page, and access_token (signed with the request token and its verifier).
 */
export const startMockTwitter = async (): Promise<MockTwitter> => {
  const consumerKey = `twitter-key-${randomBytes(3).toString('hex')}`
  const secret = `twitter-secret-${randomBytes(12).toString('hex')}`
  const signer = loadOAuthSigner(consumerKey, secret)
  const tokens = new Map<string, { tokenSecret: string; user: string }>()
  const requestTokens = new Map<string, { callback: string; tokenSecret: string; user?: string; verifier?: string }>()
  const profiles = new Map<string, ProfileJson>()
  const apiError = (code: number, message: string) => json(401, { errors: [{ code, message }] })
  const oauthRefusal = (message: string): Answer => ({ body: message, headers: { 'content-type': 'text/plain' }, status: 401 })
  const newPair = (user: string) => {
    const token = `${randomBytes(4).readUInt32BE()}-twitter-${randomBytes(8).toString('hex')}`
    const tokenSecret = `twitter-token-secret-${randomBytes(8).toString('hex')}`
    tokens.set(token, { tokenSecret, user })
    return { token, tokenSecret }
  }

  /** The OAuth header's parameters when it is well formed and signed with the given token secret. */
  const signedParams = (
    request: Received,
    req: http.IncomingMessage,
    tokenSecretOf: (token: string) => string | undefined,
  ): { error: Answer } | { oauth: Record<string, string>; url: URL } => {
    const oauth = parseOAuthHeader(String(request.headers.authorization ?? ''))
    if (!oauth || oauth.oauth_signature_method !== 'HMAC-SHA1' || oauth.oauth_version !== '1.0' || !oauth.oauth_nonce) {
      return { error: apiError(215, 'Bad Authentication data.') }
    }
    const tokenSecret = tokenSecretOf(oauth.oauth_token ?? '')
    if (oauth.oauth_consumer_key !== consumerKey || tokenSecret === undefined) {
      return { error: apiError(89, 'Invalid or expired token.') }
    }
    const { oauth_signature: signature, ...signed } = oauth
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`)
    const parameters: Record<string, string> = { ...Object.fromEntries(request.params), ...signed }
    const expected = signer._getSignature(request.method, `${url.origin}${url.pathname}`, signer._normaliseRequestParams(parameters), tokenSecret)
    return signature === expected ? { oauth, url } : { error: apiError(32, 'Could not authenticate you.') }
  }

  const server = await listen((request, req) => {
    if (request.path === '/oauth/request_token' && request.method === 'POST') {
      const checked = signedParams(request, req, (token) => (token === '' ? '' : undefined))
      if ('error' in checked) {
        return checked.error
      }
      const callback = checked.oauth.oauth_callback
      if (!callback) {
        return oauthRefusal('Callback URL not approved for this client application.')
      }
      const token = `request-${randomBytes(8).toString('hex')}`
      const tokenSecret = `request-secret-${randomBytes(8).toString('hex')}`
      requestTokens.set(token, { callback, tokenSecret })
      return form({ oauth_callback_confirmed: 'true', oauth_token: token, oauth_token_secret: tokenSecret })
    }
    if (request.path === '/oauth/authenticate') {
      const token = request.params.get('oauth_token') ?? ''
      const pending = requestTokens.get(token)
      if (!pending) {
        return html(401, '<h1>This page is no longer valid.</h1><p>The request token for this page is invalid.</p>')
      }
      if (request.method === 'GET') {
        return consentPage('Authorize app on twitter (mock)', '/oauth/authenticate', new URLSearchParams({ oauth_token: token }), [...profiles.keys()])
      }
      const user = request.params.get('user') ?? ''
      if (request.params.get('deny') || !profiles.has(user)) {
        requestTokens.delete(token)
        return redirect(pending.callback, { denied: token })
      }
      pending.user = user
      pending.verifier = `verifier-${randomBytes(8).toString('hex')}`
      if (pending.callback === 'oob') {
        return html(200, `<p>Enter this PIN in the app: <code id="pin">${pending.verifier}</code></p>`)
      }
      return redirect(pending.callback, { oauth_token: token, oauth_verifier: pending.verifier })
    }
    if (request.path === '/oauth/access_token' && request.method === 'POST') {
      const checked = signedParams(request, req, (token) => requestTokens.get(token)?.tokenSecret)
      if ('error' in checked) {
        return checked.error
      }
      const token = checked.oauth.oauth_token!
      const pending = requestTokens.get(token)!
      if (!pending.user || !pending.verifier || checked.oauth.oauth_verifier !== pending.verifier) {
        return oauthRefusal('Error processing your OAuth request: Invalid oauth_verifier parameter')
      }
      requestTokens.delete(token)
      const pair = newPair(pending.user)
      const profile = profiles.get(pending.user) ?? {}
      return form({ oauth_token: pair.token, oauth_token_secret: pair.tokenSecret, screen_name: String(profile.screen_name ?? ''), user_id: String(profile.id_str ?? '') })
    }
    if (request.path !== '/1.1/account/verify_credentials.json') {
      return json(404, { errors: [{ code: 34, message: 'Sorry, that page does not exist.' }] })
    }
    const checked = signedParams(request, req, (token) => tokens.get(token)?.tokenSecret)
    if ('error' in checked) {
      return checked.error
    }
    const profile = profiles.get(tokens.get(checked.oauth.oauth_token ?? '')!.user)
    if (!profile) {
      return apiError(89, 'Invalid or expired token.')
    }
    // Like the real API, the address is only included when asked for.
    const { email: _email, ...withoutEmail } = profile
    return json(200, checked.url.searchParams.get('include_email') === 'true' ? profile : withoutEmail)
  })
  const base = server.baseUrl
  return {
    baseUrl: base,
    close: server.close,
    consumerKey,
    issueTokenPair: newPair,
    profiles,
    received: server.received,
    revoke: (token) => {
      tokens.delete(token)
    },
    secret,
    settings: {
      twitterAccessTokenUrl: `${base}/oauth/access_token`,
      twitterAuthorizationUrl: `${base}/oauth/authenticate`,
      twitterCallbackUrl: CALLBACK_URL,
      twitterClientId: consumerKey,
      twitterEnabled: true,
      twitterProfileUrl: `${base}/1.1/account/verify_credentials.json`,
      twitterRequestTokenUrl: `${base}/oauth/request_token`,
      twitterSecret: secret,
    },
  }
}

export type MockProviders = {
  close: () => Promise<void>
  facebook: MockOAuth2Provider
  github: Awaited<ReturnType<typeof startMockGithub>>
  google: Awaited<ReturnType<typeof startMockGoogle>>
  /** Every client secret and consumer secret, to look for in answers and logs. */
  secrets: () => string[]
  /** The plugin settings that enable all four providers against the mocks. */
  settings: () => Record<string, unknown>
  twitter: MockTwitter
}

/** All four providers, each on its own loopback port. */
export const startMockProviders = async (): Promise<MockProviders> => {
  const [google, facebook, github, twitter] = await Promise.all([startMockGoogle(), startMockFacebook(), startMockGithub(), startMockTwitter()])
  return {
    close: async () => {
      await Promise.all([google.close(), facebook.close(), github.close(), twitter.close()])
    },
    facebook,
    github,
    google,
    secrets: () => [google.secret, facebook.secret, github.secret, twitter.secret],
    settings: () => ({ ...google.settings, ...facebook.settings, ...github.settings, ...twitter.settings }),
    twitter,
  }
}
