import type { ProviderConfig, SocialProvider } from './types.js'

/** What a client needs to start a provider's flow; everything here is public (never the secret). */
export type PublicProvider = {
  /**
   * OAuth 2: the consent page with client_id, response_type=code, redirect_uri and scope filled
   * in; the client adds `state` (and `code_challenge` for PKCE). OAuth 1.0a: the authorization
   * page, which needs the `oauth_token` that `<provider>/request_token/` returns.
   */
  authorization_url: string
  /** Where the provider sends the user back; the code or verifier is posted from there. */
  callback_url: string
  client_id: string
  name: string
  protocol: SocialProvider['protocol']
  provider: string
  scope: string[]
}

export const describeProvider = (provider: SocialProvider, config: ProviderConfig): PublicProvider => {
  const common = { callback_url: config.callbackUrl, client_id: config.clientId, name: provider.label, provider: provider.id, scope: config.scopes }
  if (provider.protocol === 'oauth1') {
    return { ...common, authorization_url: config.authorizationUrl || provider.createStrategy(config)._userAuthorizationURL, protocol: 'oauth1' }
  }
  const strategy = provider.createStrategy(config)
  const params: Record<string, string> = { response_type: 'code' }
  if (config.callbackUrl) {
    params.redirect_uri = config.callbackUrl
  }
  if (config.scopes.length > 0) {
    params.scope = config.scopes.join(strategy._scopeSeparator)
  }
  return { ...common, authorization_url: strategy._oauth2.getAuthorizeUrl(params), protocol: 'oauth2' }
}
