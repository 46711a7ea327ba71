import type { SocialProvider } from './types.js'

import { authorizationUrl } from './oauth2.js'

/** What a client needs to start a provider's flow; everything here is public (never a secret). */
export type PublicProvider = {
  /**
   * OAuth 2: the consent page with client_id, response_type=code, redirect_uri and scope filled
   * in (and Apple's response_mode=form_post); the client adds `state` (and `code_challenge` for
   * PKCE, `nonce` for OpenID Connect). OAuth 1.0a: the authorization page, which needs the
   * `oauth_token` that `<provider>/request_token/` returns.
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

export const describeProvider = async ({ config, definition, id, label }: SocialProvider): Promise<PublicProvider> => {
  const common = { callback_url: config.callbackUrl, client_id: config.clientId, name: label, provider: id, scope: config.scopes }
  if (definition.protocol === 'oauth1') {
    return { ...common, authorization_url: definition.endpoints(config).authorizationUrl, protocol: 'oauth1' }
  }
  return { ...common, authorization_url: authorizationUrl(config, await definition.authorization(config)), protocol: 'oauth2' }
}
