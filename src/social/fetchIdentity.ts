import type { EndpointContext } from '../http/defineEndpoint.js'
import type { OAuth1Provider, OAuth2Provider, SignInExtras, SocialCredentials, SocialIdentity, SocialProvider } from './types.js'

import { verifyIdToken } from './idToken.js'
import { consumeNonce } from './nonces.js'
import { exchangeVerifier } from './oauth1.js'
import { checkUrlRolesOf } from '../providers/settingsProblems.js'
import { refusal } from './providerCalls.js'
import { messages } from '../errors/messages.js'

const requireIdentity = (provider: SocialProvider, read: () => null | SocialIdentity): SocialIdentity => {
  let identity: null | SocialIdentity
  try {
    identity = read()
  } catch {
    identity = null
  }
  if (!identity || !identity.uid) {
    throw refusal(provider.config, messages.social.noUid(provider.label))
  }
  return identity
}

const identifyOAuth1 = async (provider: OAuth1Provider, credentials: SocialCredentials): Promise<SocialIdentity> => {
  if (credentials.kind !== 'tokenPair' && credentials.kind !== 'verifier') {
    throw new TypeError(`${provider.id} takes an OAuth 1.0a token pair`)
  }
  const pair = credentials.kind === 'verifier' ? await exchangeVerifier(provider, credentials) : credentials
  const identity = await provider.definition.fetchIdentity(provider.config, pair)
  return requireIdentity(provider, () => identity)
}

/**
 * An id_token the client sent, from a native SDK: issued to our client (or the one allauth's
 * `client_id` names, if it is ours), and, when it carries a nonce, used once.
 */
const identifyIdToken = async (
  ctx: EndpointContext,
  provider: OAuth2Provider,
  credentials: Extract<SocialCredentials, { kind: 'idToken' }>,
  extras: SignInExtras,
): Promise<SocialIdentity> => {
  const { config } = provider
  const ours = [config.clientId, ...config.acceptedClientIds]
  if (credentials.clientId !== undefined && !ours.includes(credentials.clientId)) {
    throw refusal(config, messages.idToken.otherApplication(provider.label))
  }
  const claims = await verifyIdToken({
    audiences: credentials.clientId !== undefined ? [credentials.clientId] : ours,
    idToken: credentials.idToken,
    nonce: credentials.nonce,
    provider,
  })
  if (typeof claims.nonce === 'string' && claims.nonce !== '') {
    await consumeNonce({ expiresAt: claims.exp as number, nonce: claims.nonce, options: ctx.options, provider, req: ctx.req })
  }
  return requireIdentity(provider, () => provider.definition.openId!.toIdentity(claims, extras))
}

/** Who an access token belongs to, from the provider's profile API. */
const profileOf = async (provider: OAuth2Provider, accessToken: string): Promise<SocialIdentity> => {
  const { config, definition, label } = provider
  if (!definition.fetchIdentity) {
    throw refusal(config, messages.social.idTokenRequired(label))
  }
  const identity = await definition.fetchIdentity(config, accessToken)
  return requireIdentity(provider, () => identity)
}

/** An access token the client sent: first, unless socialCheckTokenAudience is off, was it issued to this site? */
const identifyAccessToken = async (ctx: EndpointContext, provider: OAuth2Provider, accessToken: string): Promise<SocialIdentity> => {
  const { config, definition } = provider
  if (definition.fetchIdentity && ctx.settings.socialCheckTokenAudience && definition.checkAccessToken) {
    const values = config as unknown as Record<string, unknown>
    if (checkUrlRolesOf(definition.settings).some((role) => !values[role])) {
      // Settings validation refuses this; should it happen anyway, no check means no login.
      throw refusal(config, messages.social.incorrectValue, messages.social.otherApplication(provider.label))
    }
    await definition.checkAccessToken(config, accessToken)
  }
  return profileOf(provider, accessToken)
}

/**
 * A code exchanged with the client secret (so issued to this site). The id_token of the answer
 * identifies the user where the provider speaks OpenID Connect; otherwise its profile API does.
 */
const identifyCode = async (
  ctx: EndpointContext,
  provider: OAuth2Provider,
  credentials: Extract<SocialCredentials, { kind: 'code' }>,
  extras: SignInExtras,
): Promise<SocialIdentity> => {
  const { config, definition } = provider
  const tokens = await definition.exchangeCode(config, {
    code: credentials.code,
    codeVerifier: credentials.codeVerifier,
    redirectUri: config.callbackUrl,
  })
  if (tokens.idToken && definition.openId) {
    const claims = await verifyIdToken({ audiences: [config.clientId], idToken: tokens.idToken, nonce: credentials.nonce, provider })
    return requireIdentity(provider, () => definition.openId!.toIdentity(claims, extras))
  }
  return profileOf(provider, tokens.accessToken)
}

/**
 * Who the credentials belong to, asked of the provider. Every failure is a 400 naming the
 * provider's reason; nothing here is logged.
 */
export const fetchIdentity = async ({
  credentials,
  ctx,
  extras,
  provider,
}: {
  credentials: SocialCredentials
  ctx: EndpointContext
  extras: SignInExtras
  provider: SocialProvider
}): Promise<SocialIdentity> => {
  if (provider.protocol === 'oauth1') {
    return identifyOAuth1(provider as OAuth1Provider, credentials)
  }
  const oauth2 = provider as OAuth2Provider
  switch (credentials.kind) {
    case 'accessToken':
      return identifyAccessToken(ctx, oauth2, credentials.accessToken)
    case 'code':
      return identifyCode(ctx, oauth2, credentials, extras)
    case 'idToken':
      return identifyIdToken(ctx, oauth2, credentials, extras)
    default:
      throw new TypeError(`${provider.id} takes an OAuth 2 access token, code or id_token`)
  }
}
