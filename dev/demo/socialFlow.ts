/**
 * A social login or connect as a browser client does it with the API's help: the consent page of
 * an OAuth 2 provider is opened with a random `state`, a PKCE challenge and an OpenID Connect
 * `nonce`, an OAuth 1.0a provider's through `<provider>/request_token/`; what the flow needs back on
 * the callback page waits in sessionStorage, and the callback only goes on when it matches (login
 * CSRF). Apple posts to the callback instead of redirecting: the dev app's proxy (dev/proxy.ts) turns
 * that POST into the callback page with the fields in the URL's fragment.
 */

import type { ApiResult, DemoClient, PublicProvider } from './api.js'

export type SocialAction = 'connect' | 'login'

type PendingFlow = {
  action: SocialAction
  codeVerifier?: string
  name: string
  /** The id_token of the code exchange must carry it (providers without id_tokens ignore it). */
  nonce?: string
  oauthToken?: string
  oauthTokenSecret?: string
  provider: string
  state?: string
}

const FLOW_KEY = 'demo-social-flow'

const base64url = (bytes: Uint8Array): string =>
  btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')

const randomText = (bytes: number): string => base64url(crypto.getRandomValues(new Uint8Array(bytes)))

/** RFC 7636's S256 challenge; null where WebCrypto is missing (a page served over plain http off localhost). */
const pkceChallenge = async (verifier: string): Promise<null | string> => {
  if (!crypto.subtle) {
    return null
  }
  return base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))))
}

/** The callback page the demo expects each provider to send the user back to. */
export const demoCallbackUrl = (basePath: string, provider: string): string =>
  `${window.location.origin}${basePath}/social/callback/${provider}/`

/** Sends the user to the provider; resolves only with an error (on success the page is left). */
export const startSocialFlow = async (client: DemoClient, provider: PublicProvider, action: SocialAction): Promise<string> => {
  const pending: PendingFlow = { action, name: provider.name, provider: provider.provider }
  let target: string
  if (provider.protocol === 'oauth1') {
    const result = await client.requestToken(provider.provider)
    if (!result.ok) {
      return errorText(result)
    }
    pending.oauthToken = result.data.oauth_token
    pending.oauthTokenSecret = result.data.oauth_token_secret
    target = result.data.authorization_url
  } else {
    const url = new URL(provider.authorization_url)
    pending.state = randomText(16)
    url.searchParams.set('state', pending.state)
    pending.nonce = randomText(16)
    url.searchParams.set('nonce', pending.nonce)
    const verifier = randomText(32)
    const challenge = await pkceChallenge(verifier)
    if (challenge) {
      pending.codeVerifier = verifier
      url.searchParams.set('code_challenge', challenge)
      url.searchParams.set('code_challenge_method', 'S256')
    }
    target = url.toString()
  }
  sessionStorage.setItem(FLOW_KEY, JSON.stringify(pending))
  window.location.assign(target)
  return ''
}

export const errorText = (result: Extract<ApiResult, { ok: false }>): string => {
  const { detail, non_field_errors: nonField, ...fields } = result.errors
  return detail ?? nonField?.join(' ') ?? (Object.values(fields).flat().join(' ') || `Error ${result.status}`)
}

export type CallbackOutcome = { action: SocialAction; name: string; result: ApiResult } | { error: string }

const finish = async (client: DemoClient, provider: string, search: string): Promise<CallbackOutcome> => {
  const params = new URLSearchParams(search.replace(/^[?#]/, ''))
  const raw = sessionStorage.getItem(FLOW_KEY)
  sessionStorage.removeItem(FLOW_KEY)
  const pending = raw ? (JSON.parse(raw) as PendingFlow) : null
  const problem = params.get('error_description') ?? params.get('error') ?? (params.has('denied') ? 'You cancelled the authorization.' : null)
  if (problem) {
    return { error: problem }
  }
  if (!pending || pending.provider !== provider) {
    return { error: 'This login was not started here, or it was already used. Start again from the social login page.' }
  }
  let body: Record<string, string>
  if (pending.oauthToken) {
    if (params.get('oauth_token') !== pending.oauthToken || !params.get('oauth_verifier')) {
      return { error: 'The provider sent back a different request token. Start again.' }
    }
    body = { oauth_token: pending.oauthToken, oauth_token_secret: pending.oauthTokenSecret ?? '', oauth_verifier: params.get('oauth_verifier')! }
  } else {
    const code = params.get('code')
    if (!code || params.get('state') !== pending.state) {
      return { error: code ? 'The state does not match the login that was started here. Start again.' : 'The provider sent no code.' }
    }
    body = { code, ...(pending.codeVerifier ? { code_verifier: pending.codeVerifier } : {}), ...(pending.nonce ? { nonce: pending.nonce } : {}) }
    // Apple's name of a first login, which it posts once.
    const user = params.get('user')
    if (user) {
      body.user = user
    }
  }
  const result = pending.action === 'connect' ? await client.socialConnect(provider, body) : await client.socialLogin(provider, body)
  return { action: pending.action, name: pending.name, result }
}

// React runs effects twice in development; a callback must be posted once (codes are single-use).
const finishing = new Map<string, Promise<CallbackOutcome>>()

/**
 * Completes the flow the callback page was opened for: posts the code or verifier to the API.
 * `search` is the page's query, or its fragment after Apple's form POST.
 */
export const finishSocialFlow = (client: DemoClient, provider: string, search: string): Promise<CallbackOutcome> => {
  const key = `${provider}?${search}`
  if (!finishing.has(key)) {
    finishing.set(key, finish(client, provider, search))
  }
  return finishing.get(key)!
}
