import type { OpenIdConfiguration } from '../social/discovery.js'
import type { ClientAuthentication } from '../social/oauth2.js'
import type { ProviderConfig, SocialIdentity } from '../social/types.js'

import { checkbox, text } from '../settings/settingTypes.js'
import { discover, discoveryUrlOf } from '../social/discovery.js'
import { emailOf, namesOf, textOf, uidOf } from '../social/identity.js'
import { exchangeCode } from '../social/oauth2.js'
import { bearer, describeAnswer, fetchFromProvider, fetchProviderObject, isSuccess, jsonObjectOf, refusal } from '../social/providerCalls.js'
import { defineOAuth2Provider } from '../social/types.js'
import { messages } from '../errors/messages.js'

const settings = {
  slug: text({
    default: '',
    description: 'URL segment and provider name: keycloak serves keycloak/ and keycloak/connect/ (lower-case letters, digits, - and _).',
  }),
  label: text({ default: '', description: 'Name on login buttons and in the admin, e.g. Keycloak.' }),
  enabled: checkbox({ default: false, description: 'The provider\'s routes exist.' }),
  issuer: text({
    default: '',
    description: 'Issuer URL; its /.well-known/openid-configuration names the endpoints and signing keys.',
    django: 'SOCIALACCOUNT_PROVIDERS.openid_connect.APPS.settings.server_url',
    format: 'url',
  }),
  clientId: text({ default: '', description: 'Client ID registered with the provider.', django: 'SocialApp.client_id' }),
  secret: text({ default: '', description: 'Client secret, used to exchange a code. Write-only.', django: 'SocialApp.secret', isSecret: true }),
  callbackUrl: text({
    default: '',
    description: 'redirect_uri of the code exchange, as registered with the provider. May start with {origin}.',
    format: 'url',
  }),
  scopes: text({ default: 'openid email profile', description: 'Scopes your client requests (space-separated).' }),
  acceptedClientIds: text({
    default: '',
    description: 'Client IDs of your native apps whose id_tokens (aud) are accepted too (space- or comma-separated).',
  }),
}

type Config = ProviderConfig<typeof settings>

const labelOf = (config: Config): string => config.label || config.slug

const configurationOf = (config: Config): Promise<OpenIdConfiguration> =>
  discover({ label: labelOf(config), secrets: config.secrets }, discoveryUrlOf(config.issuer), { issuer: config.issuer })

/** OpenID Connect's default client authentication is HTTP Basic; the body only where Basic is not offered. */
const authenticationOf = (document: OpenIdConfiguration): ClientAuthentication =>
  (document.token_endpoint_auth_methods_supported ?? ['client_secret_basic']).includes('client_secret_basic')
    ? 'client_secret_basic'
    : 'client_secret_post'

/** Standard claims, from an id_token or the userinfo endpoint. */
const toIdentity = (claims: Record<string, unknown>): null | SocialIdentity => {
  const uid = uidOf(claims.sub)
  if (!uid) {
    return null
  }
  return {
    email: emailOf(claims.email),
    extraData: claims,
    isEmailVerified: claims.email_verified === true || claims.email_verified === 'true',
    ...namesOf({ familyName: claims.family_name, fullName: claims.name, givenName: claims.given_name }),
    uid,
    username: textOf(claims.preferred_username) || undefined,
  }
}

/**
 * Any OpenID Connect provider (Keycloak, Auth0, Okta, Authentik…), configured by its issuer URL:
 * discovery names its endpoints and keys. Admins add several, each a row of `oidcProviders` with
 * its own slug under the route prefix; a row's settings are the ones declared here.
 */
export const openIdConnectProvider = defineOAuth2Provider({
  id: 'oidc',
  label: 'OpenID Connect',
  protocol: 'oauth2',
  settings,
  authorization: async (config) => ({ url: (await configurationOf(config)).authorization_endpoint }),
  /**
   * RFC 7662 introspection, where the provider offers it, says whether a token is active and which
   * client it belongs to; without it nothing does, and access tokens are refused.
   */
  checkAccessToken: async (config, accessToken) => {
    const label = labelOf(config)
    const document = await configurationOf(config)
    if (!document.introspection_endpoint) {
      throw refusal(config, messages.social.incorrectValue, messages.social.accessTokenUncheckable(label))
    }
    const answer = await fetchFromProvider(config, label, document.introspection_endpoint, {
      body: new URLSearchParams({ token: accessToken, token_type_hint: 'access_token' }),
      headers: {
        accept: 'application/json',
        authorization: `Basic ${Buffer.from(`${encodeURIComponent(config.clientId)}:${encodeURIComponent(config.secret)}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      method: 'POST',
    })
    if (!isSuccess(answer)) {
      throw refusal(config, messages.social.incorrectValue, describeAnswer(answer))
    }
    const info = jsonObjectOf(answer.text)
    const accepted = [config.clientId, ...config.acceptedClientIds]
    const audiences = [info.client_id, info.azp, ...(Array.isArray(info.aud) ? info.aud : [info.aud])]
    if (info.active !== true) {
      throw refusal(config, messages.social.incorrectValue, 'The access token is not active.')
    }
    if (!audiences.some((client) => typeof client === 'string' && accepted.includes(client))) {
      throw refusal(config, messages.social.incorrectValue, messages.social.otherApplication(label))
    }
  },
  exchangeCode: async (config, grant) => {
    const document = await configurationOf(config)
    return exchangeCode(config, labelOf(config), { authentication: authenticationOf(document), grant, tokenUrl: document.token_endpoint })
  },
  fetchIdentity: async (config, accessToken) => {
    const label = labelOf(config)
    const { userinfo_endpoint: userinfo } = await configurationOf(config)
    if (!userinfo) {
      throw refusal(config, messages.social.idTokenRequired(label))
    }
    return toIdentity(await fetchProviderObject(config, label, userinfo, { headers: bearer(accessToken) }))
  },
  openId: {
    rules: async (config) => {
      const document = await configurationOf(config)
      return { issuer: [document.issuer], jwksUrl: document.jwks_uri }
    },
    toIdentity: (claims) => toIdentity(claims),
  },
})

/** A row of `oidcProviders`: one configured provider (plus Payload's row id). */
export type OpenIdConnectRow = { id?: null | string } & { [K in keyof typeof settings]?: K extends 'enabled' ? boolean : string }

/** The slug of a row, as its routes and accounts use it. */
export const rowSlugOf = (row: OpenIdConnectRow): string => (typeof row.slug === 'string' ? row.slug.trim() : '')
