import jwt from 'jsonwebtoken'
import { createPublicKey, generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto'

import type { Answer, IdTokenOptions, ProfileJson, Received } from './mockProviders.js'
import type { MockAlgorithm, SigningKeys } from './signingKeys.js'

import { CALLBACK_URL, consentPage, escapeHtml, html, idTokenClaims, json, listen, pkceMatches, redirect } from './mockProviders.js'
import { createSigningKeys } from './signingKeys.js'

/*
 * Local stand-ins for OpenID Connect providers on 127.0.0.1: a generic one with discovery (as
 * Keycloak, Auth0 or Okta answer), Sign in with Apple (ES256 client secrets, form_post, the name
 * only on the first authorization) and Microsoft Entra ID (tenants, Graph). Each signs id_tokens
 * with keys it publishes and rotates on demand, and records what it received.
 */

type Grant = { clientId: string; codeChallenge?: string; nonce?: string; redirectUri: string; scopes: string[]; user: string }

/** The consent page and the codes it hands out, shared by the mocks. */
const createAuthorizations = ({ clientId, path, title, users }: { clientId: string; path: string; title: string; users: () => string[] }) => {
  const codes = new Map<string, Grant>()
  const issueCode = (grant: Grant): string => {
    const code = `code-${randomBytes(8).toString('hex')}`
    codes.set(code, grant)
    return code
  }
  /**
   * GET shows the consent page; POST (a button) sends the user back with a code, or an error, by a
   * redirect or, with response_mode=form_post, by a form that posts itself to the callback.
   */
  const authorize = (request: Received, { onGrant }: { onGrant?: (grant: Grant) => Record<string, string | undefined> } = {}): Answer => {
    const p = request.params
    const redirectUri = p.get('redirect_uri')
    if (p.get('client_id') !== clientId || !redirectUri || p.get('response_type') !== 'code') {
      return html(400, '<h1>invalid_request</h1><p>client_id, redirect_uri or response_type is missing or wrong.</p>')
    }
    if (request.method === 'GET') {
      return consentPage(title, path, p, users())
    }
    const back = (params: Record<string, string | undefined>): Answer => {
      const fields = { ...params, state: p.get('state') ?? undefined }
      if (p.get('response_mode') !== 'form_post') {
        return redirect(redirectUri, fields)
      }
      const inputs = Object.entries(fields)
        .filter(([, value]) => value !== undefined)
        .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value!)}">`)
        .join('')
      return html(200, `<!doctype html><title>Redirecting…</title><form method="post" action="${escapeHtml(redirectUri)}">${inputs}</form><script>document.forms[0].submit()</script>`)
    }
    const user = p.get('user') ?? ''
    if (p.get('deny') || !users().includes(user)) {
      return back({ error: 'access_denied', error_description: 'The user denied access.' })
    }
    const grant = {
      clientId,
      codeChallenge: p.get('code_challenge') ?? undefined,
      nonce: p.get('nonce') ?? undefined,
      redirectUri,
      scopes: (p.get('scope') ?? '').split(' ').filter(Boolean),
      user,
    }
    return back({ code: issueCode(grant), ...onGrant?.(grant) })
  }
  /** The grant a token request redeems, or the OAuth error it gets. */
  const redeem = (p: URLSearchParams): { error: string } | { grant: Grant } => {
    const grant = codes.get(p.get('code') ?? '')
    if (p.get('grant_type') !== 'authorization_code' || !grant) {
      return { error: 'invalid_grant' }
    }
    if (p.get('redirect_uri') !== grant.redirectUri) {
      return { error: 'invalid_grant' }
    }
    if (grant.codeChallenge !== undefined && !pkceMatches(grant.codeChallenge, p.get('code_verifier'))) {
      return { error: 'invalid_grant' }
    }
    codes.delete(p.get('code')!)
    return { grant }
  }
  return { authorize, issueCode, redeem }
}

const basicCredentials = (request: Received): { id: string; secret: string } | null => {
  const match = /^Basic (.+)$/.exec(String(request.headers.authorization ?? ''))
  if (!match) {
    return null
  }
  const [id, secret] = Buffer.from(match[1]!, 'base64').toString('utf8').split(':')
  const decode = (value = '') => decodeURIComponent(value.replace(/\+/g, ' '))
  return { id: decode(id), secret: decode(secret) }
}

const bearer = (request: Received): string => /^Bearer (.+)$/.exec(String(request.headers.authorization ?? ''))?.[1] ?? ''

export type MockOpenIdProvider = {
  baseUrl: string
  clientId: string
  close: () => Promise<void>
  /** An access token for a user, issued to our client unless `clientId` says otherwise. */
  issueAccessToken: (user: string, options?: { clientId?: string }) => string
  issueCode: (user: string, options?: { codeChallenge?: string; nonce?: string; redirectUri?: string }) => string
  /** An id_token for a user, as a native SDK hands it to the app. */
  idToken: (user: string, options?: IdTokenOptions & { kid?: string; withoutKid?: boolean }) => string
  issuer: string
  keys: SigningKeys
  profiles: Map<string, ProfileJson>
  received: Received[]
  secret: string
  /** A row of `oidcProviders` for this provider. */
  row: (slug: string, extra?: Record<string, unknown>) => Record<string, unknown>
}

/**
 * A generic OpenID Connect provider: discovery, JWKS, the consent page, a token endpoint that
 * authenticates clients with HTTP Basic (OpenID Connect's default), userinfo and, unless turned
 * off, RFC 7662 introspection.
 */
export const startMockOpenId = async ({
  alg = 'RS256',
  hasIntrospection = true,
  name = 'Keycloak',
}: { alg?: MockAlgorithm; hasIntrospection?: boolean; name?: string } = {}): Promise<MockOpenIdProvider> => {
  const clientId = `${name.toLowerCase()}-client-${randomBytes(3).toString('hex')}`
  const secret = `${name.toLowerCase()}-secret-${randomBytes(12).toString('hex')}`
  const keys = createSigningKeys(alg)
  const profiles = new Map<string, ProfileJson>()
  const tokens = new Map<string, { clientId: string; user: string }>()
  let issuer = ''
  const idToken = (user: string, options: IdTokenOptions & { kid?: string; withoutKid?: boolean } = {}) =>
    keys.sign(idTokenClaims(profiles.get(user) ?? {}, { aud: clientId, iss: issuer, ...options }), { kid: options.kid, withoutKid: options.withoutKid })
  const issueAccessToken = (user: string, { clientId: issuedTo = clientId } = {}) => {
    const token = `${name.toLowerCase()}-token-${randomBytes(8).toString('hex')}`
    tokens.set(token, { clientId: issuedTo, user })
    return token
  }
  const authorizations = createAuthorizations({ clientId, path: '/authorize', title: `Sign in to ${name} (mock)`, users: () => [...profiles.keys()] })
  const server = await listen((request) => {
    switch (request.path) {
      case '/.well-known/openid-configuration':
        return json(200, {
          authorization_endpoint: `${issuer}/authorize`,
          ...(hasIntrospection ? { introspection_endpoint: `${issuer}/introspect` } : {}),
          issuer,
          jwks_uri: `${issuer}/jwks`,
          response_types_supported: ['code'],
          subject_types_supported: ['public'],
          token_endpoint: `${issuer}/token`,
          token_endpoint_auth_methods_supported: ['client_secret_basic'],
          userinfo_endpoint: `${issuer}/userinfo`,
        })
      case '/jwks':
        return json(200, keys.jwks())
      case '/authorize':
        return authorizations.authorize(request)
      case '/token': {
        const client = basicCredentials(request)
        if (request.method !== 'POST' || client?.id !== clientId || client.secret !== secret) {
          return json(401, { error: 'unauthorized_client', error_description: 'Invalid client or Invalid client credentials' })
        }
        const redeemed = authorizations.redeem(request.params)
        if ('error' in redeemed) {
          return json(400, { error: redeemed.error, error_description: 'Code not valid' })
        }
        const { grant } = redeemed
        return json(200, {
          access_token: issueAccessToken(grant.user),
          expires_in: 300,
          id_token: idToken(grant.user, { nonce: grant.nonce }),
          token_type: 'Bearer',
        })
      }
      case '/userinfo': {
        const grant = tokens.get(bearer(request))
        const profile = grant && profiles.get(grant.user)
        return profile ? json(200, profile) : json(401, { error: 'invalid_token', error_description: 'Token verification failed' })
      }
      case '/introspect': {
        const client = basicCredentials(request)
        if (!hasIntrospection || client?.id !== clientId || client.secret !== secret) {
          return json(401, { error: 'invalid_client' })
        }
        const grant = tokens.get(request.params.get('token') ?? '')
        return json(200, grant ? { active: true, client_id: grant.clientId, sub: profiles.get(grant.user)?.sub } : { active: false })
      }
      default:
        return json(404, { error: 'not_found' })
    }
  })
  issuer = server.baseUrl
  return {
    baseUrl: issuer,
    clientId,
    close: server.close,
    idToken,
    issueAccessToken,
    issueCode: (user, { codeChallenge, nonce, redirectUri = CALLBACK_URL } = {}) =>
      authorizations.issueCode({ clientId, codeChallenge, nonce, redirectUri, scopes: ['openid'], user }),
    issuer,
    keys,
    profiles,
    received: server.received,
    row: (slug, extra = {}) => ({ callbackUrl: CALLBACK_URL, clientId, enabled: true, issuer, label: name, secret, slug, ...extra }),
    secret,
  }
}

export type MockApple = {
  baseUrl: string
  clientId: string
  close: () => Promise<void>
  /** An id_token for a user, as AuthenticationServices hands it to an iOS app (aud: the bundle ID). */
  idToken: (user: string, options?: IdTokenOptions) => string
  issueCode: (user: string, options?: { redirectUri?: string }) => string
  keys: SigningKeys
  /** The team's Sign in with Apple key, in the .p8 file's PEM. */
  privateKeyPem: string
  profiles: Map<string, ProfileJson & { name?: { firstName: string; lastName: string } }>
  received: Received[]
  settings: Record<string, unknown>
}

/**
 * Sign in with Apple: the client secret must be an ES256 JWT signed with the team's key (iss: team
 * ID, sub: client ID, aud: Apple, kid: key ID, not expired); with scopes the consent page posts the
 * code to the callback (form_post), with `user` (name and e-mail) on the first authorization only.
 */
export const startMockApple = async (): Promise<MockApple> => {
  const clientId = `com.example.web-${randomBytes(3).toString('hex')}`
  const teamId = randomBytes(5).toString('hex').toUpperCase()
  const keyId = randomBytes(5).toString('hex').toUpperCase()
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const privateKeyPem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString()
  const keys = createSigningKeys('RS256')
  const profiles: MockApple['profiles'] = new Map()
  const authorized = new Set<string>()
  let issuer = ''
  const claimsOf = (user: string): ProfileJson => {
    const { name: _name, ...claims } = profiles.get(user) ?? {}
    return claims
  }
  const idToken = (user: string, options: IdTokenOptions = {}) =>
    keys.sign(idTokenClaims(claimsOf(user), { aud: clientId, iss: issuer, ...options, claims: { auth_time: Math.floor(Date.now() / 1000), nonce_supported: true, ...options.claims } }))
  const authorizations = createAuthorizations({ clientId, path: '/auth/authorize', title: 'Sign in with Apple (mock)', users: () => [...profiles.keys()] })
  const isValidClientSecret = (token: string): boolean => {
    try {
      const decoded = jwt.verify(token, createPublicKey(publicKey.export({ format: 'pem', type: 'spki' })), {
        algorithms: ['ES256'],
        audience: issuer,
        complete: true,
        issuer: teamId,
        subject: clientId,
      })
      return decoded.header.kid === keyId
    } catch {
      return false
    }
  }
  const server = await listen((request) => {
    switch (request.path) {
      case '/auth/keys':
        return json(200, keys.jwks())
      case '/auth/authorize':
        return authorizations.authorize(request, {
          // Apple sends the name and address once: on the user's first authorization of the app.
          onGrant: ({ user }) => {
            const profile = profiles.get(user)!
            if (authorized.has(user) || !request.params.get('scope')?.includes('name')) {
              return {}
            }
            authorized.add(user)
            return { user: JSON.stringify({ email: profile.email, name: profile.name }) }
          },
        })
      case '/auth/token': {
        const p = request.params
        if (request.method !== 'POST' || p.get('client_id') !== clientId || !isValidClientSecret(p.get('client_secret') ?? '')) {
          return json(400, { error: 'invalid_client' })
        }
        const redeemed = authorizations.redeem(p)
        if ('error' in redeemed) {
          return json(400, { error: 'invalid_grant', error_description: 'The code has expired or has been revoked.' })
        }
        return json(200, {
          access_token: `apple-token-${randomBytes(8).toString('hex')}`,
          expires_in: 3600,
          id_token: idToken(redeemed.grant.user, { nonce: redeemed.grant.nonce }),
          refresh_token: `apple-refresh-${randomBytes(8).toString('hex')}`,
          token_type: 'Bearer',
        })
      }
      default:
        return json(404, { error: 'not_found' })
    }
  })
  issuer = server.baseUrl
  return {
    baseUrl: issuer,
    clientId,
    close: server.close,
    idToken,
    issueCode: (user, { redirectUri = CALLBACK_URL } = {}) => authorizations.issueCode({ clientId, redirectUri, scopes: ['name', 'email'], user }),
    keys,
    privateKeyPem,
    profiles,
    received: server.received,
    settings: {
      appleAuthorizationUrl: `${issuer}/auth/authorize`,
      appleCallbackUrl: CALLBACK_URL,
      appleClientId: clientId,
      appleEnabled: true,
      appleIssuer: issuer,
      appleJwksUrl: `${issuer}/auth/keys`,
      appleKeyId: keyId,
      applePrivateKey: privateKeyPem,
      appleTeamId: teamId,
      appleTokenUrl: `${issuer}/auth/token`,
    },
  }
}

/** The tenant of personal Microsoft accounts. */
export const CONSUMERS_TENANT = '9188040d-6c67-4c5b-b112-36a304b66dad'

export type MockMicrosoft = {
  baseUrl: string
  clientId: string
  close: () => Promise<void>
  /**
   * A Graph access token for a user: a JWT whose `appid` is our client unless `appid` says
   * otherwise; `opaque` gives a personal account's opaque token.
   */
  graphToken: (user: string, options?: { appid?: string; opaque?: boolean }) => string
  /** An id_token for a user, issued by the user's own tenant. */
  idToken: (user: string, options?: IdTokenOptions) => string
  issueCode: (user: string, tenant?: string) => string
  keys: SigningKeys
  /** Users: their tenant (`tid`) and Graph profile. */
  profiles: Map<string, { email?: string; givenName: string; oid: string; surname: string; tid: string; upn: string }>
  received: Received[]
  secret: string
  settings: (tenant: string) => Record<string, unknown>
}

/**
 * Microsoft Entra ID's v2.0 endpoints under `/<tenant>/`: discovery (for common, organizations
 * and consumers with the `{tenantid}` issuer template), keys, the consent page, the token endpoint
 * (client secret in the body), and Graph's /v1.0/me.
 */
export const startMockMicrosoft = async (): Promise<MockMicrosoft> => {
  const clientId: string = randomUUID()
  const secret = `microsoft-secret-${randomBytes(12).toString('hex')}`
  const keys = createSigningKeys('RS256')
  const graphKeys = createSigningKeys('RS256')
  const profiles: MockMicrosoft['profiles'] = new Map()
  const graphTokens = new Map<string, string>()
  let base = ''
  const claimsOf = (user: string): ProfileJson => {
    const profile = profiles.get(user)!
    return {
      ...(profile.email ? { email: profile.email } : {}),
      family_name: profile.surname,
      given_name: profile.givenName,
      name: `${profile.givenName} ${profile.surname}`,
      oid: profile.oid,
      preferred_username: profile.upn,
      sub: `pairwise-${profile.oid.slice(0, 8)}`,
      tid: profile.tid,
      ver: '2.0',
    }
  }
  const idToken = (user: string, options: IdTokenOptions = {}) =>
    keys.sign(idTokenClaims(claimsOf(user), { aud: clientId, iss: `${base}/${profiles.get(user)!.tid}/v2.0`, ...options }))
  const graphToken = (user: string, { appid = clientId, opaque = false } = {}) => {
    const token = opaque
      ? `EwA${randomBytes(24).toString('base64url')}`
      : graphKeys.sign({ aud: '00000003-0000-0000-c000-000000000000', appid, exp: Math.floor(Date.now() / 1000) + 3600, oid: profiles.get(user)?.oid, tid: profiles.get(user)?.tid })
    graphTokens.set(token, user)
    return token
  }
  const authorizationsByTenant = new Map<string, ReturnType<typeof createAuthorizations>>()
  const authorizationsOf = (tenant: string) => {
    let found = authorizationsByTenant.get(tenant)
    if (!found) {
      found = createAuthorizations({ clientId, path: `/${tenant}/oauth2/v2.0/authorize`, title: 'Sign in to Microsoft (mock)', users: () => [...profiles.keys()] })
      authorizationsByTenant.set(tenant, found)
    }
    return found
  }
  const isMultiTenant = (tenant: string) => ['common', 'consumers', 'organizations'].includes(tenant)
  const server = await listen((request) => {
    if (request.path === '/v1.0/me') {
      const user = graphTokens.get(bearer(request))
      const profile = user && profiles.get(user)
      return profile
        ? json(200, { displayName: `${profile.givenName} ${profile.surname}`, givenName: profile.givenName, id: profile.oid, mail: profile.email ?? null, surname: profile.surname, userPrincipalName: profile.upn })
        : json(401, { error: { code: 'InvalidAuthenticationToken', message: 'Access token validation failure.' } })
    }
    const match = /^\/([\w.-]+)\/(.+)$/.exec(request.path)
    if (!match) {
      return json(404, { error: 'not_found' })
    }
    const [, tenant, rest] = match as unknown as [string, string, string]
    switch (rest) {
      case 'v2.0/.well-known/openid-configuration':
        return json(200, {
          authorization_endpoint: `${base}/${tenant}/oauth2/v2.0/authorize`,
          issuer: `${base}/${isMultiTenant(tenant) ? '{tenantid}' : tenant}/v2.0`,
          jwks_uri: `${base}/${tenant}/discovery/v2.0/keys`,
          token_endpoint: `${base}/${tenant}/oauth2/v2.0/token`,
          token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
          userinfo_endpoint: `${base}/oidc/userinfo`,
        })
      case 'discovery/v2.0/keys':
        return json(200, keys.jwks())
      case 'oauth2/v2.0/authorize':
        return authorizationsOf(tenant).authorize(request)
      case 'oauth2/v2.0/token': {
        const p = request.params
        if (p.get('client_id') !== clientId || p.get('client_secret') !== secret) {
          return json(401, { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.' })
        }
        const redeemed = authorizationsOf(tenant).redeem(p)
        if ('error' in redeemed) {
          return json(400, { error: 'invalid_grant', error_description: 'AADSTS70000: The provided authorization code is invalid.' })
        }
        return json(200, { access_token: graphToken(redeemed.grant.user), id_token: idToken(redeemed.grant.user, { nonce: redeemed.grant.nonce }), token_type: 'Bearer' })
      }
      default:
        return json(404, { error: 'not_found' })
    }
  })
  base = server.baseUrl
  return {
    baseUrl: base,
    clientId,
    close: server.close,
    graphToken,
    idToken,
    issueCode: (user, tenant = 'common') => authorizationsOf(tenant).issueCode({ clientId, redirectUri: CALLBACK_URL, scopes: ['openid'], user }),
    keys,
    profiles,
    received: server.received,
    secret,
    settings: (tenant) => ({
      microsoftAuthorityUrl: base,
      microsoftCallbackUrl: CALLBACK_URL,
      microsoftClientId: clientId,
      microsoftEnabled: true,
      microsoftProfileUrl: `${base}/v1.0/me`,
      microsoftSecret: secret,
      microsoftTenant: tenant,
    }),
  }
}
