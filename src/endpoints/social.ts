import type { EndpointContext, RestAuthEndpoint } from '../http/defineEndpoint.js'
import type { OAuth1Provider, SocialCredentials, SocialProvider } from '../social/types.js'
import type { Schema } from '../http/fields.js'
import type { EndpointMetadata, SerializerInfo } from '../http/metadata.js'

import { completeLogin } from '../auth/completeLogin.js'
import { messages } from '../errors/messages.js'
import { detailError, nonFieldError } from '../errors/RestAuthError.js'
import { defineEndpoint, requireUser } from '../http/defineEndpoint.js'
import { requireValidFields } from '../http/fields.js'
import { describeFields } from '../http/metadata.js'
import { jsonResponse } from '../http/responses.js'
import { socialProviders } from '../providers/index.js'
import {
  disconnectSocialAccount,
  listSocialAccounts,
  serializeSocialAccount,
  socialConnect,
  socialLogin,
} from '../social/accounts.js'
import { isProviderEnabled, readProviderConfig } from '../social/config.js'
import { fetchIdentity } from '../social/fetchIdentity.js'
import { socialMessages } from '../social/messages.js'
import { obtainRequestToken } from '../social/oauth1.js'
import { describeProvider } from '../social/publicProviders.js'
import { toDatabaseId } from '../utilities/databaseId.js'
import { requestOrigin } from '../utilities/requestOrigin.js'

/**
 * A code that reached the client still URL-encoded (`4%2F0Ab…` copied from a callback URL) is
 * decoded once; dj-rest-auth passes it on as is and the provider refuses it.
 */
export const decodeCode = (code: string): string => {
  if (!/%[0-9A-Fa-f]{2}/.test(code)) {
    return code
  }
  try {
    return decodeURIComponent(code)
  } catch {
    return code
  }
}

/** SocialLoginSerializer's fields (SocialConnectSerializer's too). */
const socialLoginFields = {
  access_token: { allowBlank: true },
  code: { allowBlank: true },
  id_token: { allowBlank: true },
} satisfies Schema

/** The OAuth 2 body: SocialLoginSerializer's fields and PKCE's code_verifier. */
const oauth2Fields = { ...socialLoginFields, code_verifier: { allowBlank: true } } satisfies Schema

/** TwitterLoginSerializer's fields. */
const oauth1TokenPairFields = { access_token: { required: true }, token_secret: { required: true } } satisfies Schema

/** The request token pair and the callback's verifier, for a client that started with `<provider>/request_token/`. */
const oauth1VerifierFields = {
  oauth_token: { required: true },
  oauth_token_secret: { required: true },
  oauth_verifier: { required: true },
} satisfies Schema

/** OPTIONS: the serializer's fields; the verifier leg's fields are the optional alternative. */
const credentialFieldsInfo = (provider: SocialProvider): SerializerInfo => {
  if (provider.protocol === 'oauth2') {
    return describeFields(oauth2Fields)
  }
  const alternative = describeFields(oauth1VerifierFields)
  return {
    ...describeFields(oauth1TokenPairFields),
    ...Object.fromEntries(Object.entries(alternative).map(([name, info]) => [name, { ...info, required: false }])),
  }
}

/**
 * SocialLoginSerializer's fields (plus PKCE's code_verifier); TwitterLoginSerializer's for OAuth 1.0a,
 * or, for a client that started with `<provider>/request_token/`, the request token pair and the
 * callback's `oauth_verifier`.
 */
const readCredentials = (provider: SocialProvider, data: EndpointContext['data']): SocialCredentials => {
  if (provider.protocol === 'oauth1' && data.oauth_verifier !== undefined) {
    const values = requireValidFields(data, oauth1VerifierFields)
    return { kind: 'verifier', token: values.oauth_token!, tokenSecret: values.oauth_token_secret!, verifier: values.oauth_verifier! }
  }
  if (provider.protocol === 'oauth1') {
    const values = requireValidFields(data, oauth1TokenPairFields)
    return { kind: 'tokenPair', token: values.access_token!, tokenSecret: values.token_secret! }
  }
  const values = requireValidFields(data, oauth2Fields)
  if (values.access_token) {
    return { accessToken: values.access_token, kind: 'accessToken' }
  }
  if (values.code) {
    return { code: decodeCode(values.code), codeVerifier: values.code_verifier || undefined, kind: 'code' }
  }
  throw nonFieldError(socialMessages.accessTokenOrCodeRequired)
}

/**
 * The view classes dj-rest-auth's documentation has projects write (`class GitHubLogin(SocialLoginView)`,
 * `class GithubConnect(SocialConnectView)`…), by DRF's name for them; without a docstring.
 */
const DOCUMENTED_VIEW_NAMES: Record<string, { connect: string; login: string }> = {
  facebook: { connect: 'Facebook Connect', login: 'Facebook Login' },
  github: { connect: 'Github Connect', login: 'Git Hub Login' },
  google: { connect: 'Google Connect', login: 'Google Login' },
  twitter: { connect: 'Twitter Connect', login: 'Twitter Login' },
}

const socialViewMetadata = (provider: SocialProvider, view: 'connect' | 'login'): EndpointMetadata => ({
  actions: () => ({ POST: credentialFieldsInfo(provider) }),
  description: '',
  name: DOCUMENTED_VIEW_NAMES[provider.id]?.[view] ?? `${provider.label} ${view === 'login' ? 'Login' : 'Connect'}`,
})

const configOf = (ctx: EndpointContext, provider: SocialProvider) =>
  readProviderConfig(ctx.settings, provider.id, requestOrigin(ctx.req))

const identify = (ctx: EndpointContext, provider: SocialProvider) =>
  fetchIdentity({ config: configOf(ctx, provider), credentials: readCredentials(provider, ctx.data), provider })

/** POST <provider>/: SocialLoginView (TwitterLoginView for OAuth 1.0a); answers like login/. */
const loginEndpoint = (provider: SocialProvider): RestAuthEndpoint =>
  defineEndpoint({
    handlers: {
      post: async (ctx) => {
        const identity = await identify(ctx, provider)
        return completeLogin(ctx, await socialLogin(ctx, provider, identity))
      },
    },
    isEnabled: (settings) => isProviderEnabled(provider, settings),
    metadata: socialViewMetadata(provider, 'login'),
    path: `/${provider.id}`,
    throttle: 'social',
  })

/** POST <provider>/connect/: SocialConnectView, authenticated; answers like login/ as dj-rest-auth does. */
const connectEndpoint = (provider: SocialProvider): RestAuthEndpoint =>
  defineEndpoint({
    handlers: {
      post: async (ctx) => {
        const user = requireUser(ctx)
        const identity = await identify(ctx, provider)
        await socialConnect(ctx, provider, identity, user)
        return completeLogin(ctx, user)
      },
    },
    isAuthenticationRequired: true,
    isEnabled: (settings) => isProviderEnabled(provider, settings),
    metadata: socialViewMetadata(provider, 'connect'),
    path: `/${provider.id}/connect`,
    throttle: 'social',
  })

/**
 * POST <provider>/request_token/ (ours, OAuth 1.0a providers): the first leg of the flow, which
 * needs the consumer secret. Answers `{oauth_token, oauth_token_secret, authorization_url}`; the
 * client sends the user to authorization_url, then posts the pair and the callback's
 * oauth_verifier to <provider>/ or <provider>/connect/.
 */
const requestTokenEndpoint = (provider: OAuth1Provider): RestAuthEndpoint =>
  defineEndpoint({
    handlers: {
      post: async (ctx) => {
        const { authorizationUrl, token, tokenSecret } = await obtainRequestToken(provider, configOf(ctx, provider))
        return jsonResponse({ authorization_url: authorizationUrl, oauth_token: token, oauth_token_secret: tokenSecret })
      },
    },
    isEnabled: (settings) => isProviderEnabled(provider, settings),
    metadata: {
      description: `Obtains an OAuth 1.0a request token with the consumer secret.

Returns oauth_token, oauth_token_secret and the authorization_url to send the user to;
then post the pair and the callback's oauth_verifier to the login or connect route.`,
      name: `${provider.label} Request Token`,
    },
    path: `/${provider.id}/request_token`,
    throttle: 'social',
  })

/**
 * GET social/providers/ (ours): the enabled providers and what a client needs to send a user to
 * each (client ID, consent page, callback URL, scopes), so login buttons follow the settings.
 */
export const socialProvidersEndpoint = defineEndpoint({
  handlers: {
    get: async (ctx) => {
      const enabled = socialProviders
        .map((provider) => ({ config: configOf(ctx, provider), provider }))
        .filter(({ config }) => config.isEnabled)
      return jsonResponse(enabled.map(({ config, provider }) => describeProvider(provider, config)))
    },
  },
  metadata: {
    description: `Lists the enabled social providers and what a client needs to send a user
to each: client ID, authorization URL, callback URL and scopes.`,
    name: 'Social Providers',
  },
  path: '/social/providers',
})

/** GET socialaccounts/: SocialAccountListView, the current user's accounts. */
export const socialAccountListEndpoint = defineEndpoint({
  handlers: {
    get: async (ctx) => {
      const user = requireUser(ctx)
      return jsonResponse((await listSocialAccounts(ctx, user)).map(serializeSocialAccount))
    },
  },
  isAuthenticationRequired: true,
  metadata: { description: 'List SocialAccounts for the currently logged in user', name: 'Social Account List' },
  path: '/socialaccounts',
})

const parseAccountId = (ctx: EndpointContext): number | string => {
  const raw = (ctx.req.routeParams as Record<string, unknown> | undefined)?.id
  const id = toDatabaseId(ctx.req.payload, ctx.options.slugs.socialAccounts, raw)
  if (id === null) {
    throw detailError(404, messages.notFound)
  }
  return id
}

/**
 * POST socialaccounts/<id>/disconnect/: SocialAccountDisconnectView. Another user's or an unknown id
 * is 404; a refusal of validate_disconnect is 400 with allauth's message (dj-rest-auth lets Django's
 * ValidationError escape as a 500). Answers `{}` as dj-rest-auth's serializer does.
 */
export const socialAccountDisconnectEndpoint = defineEndpoint({
  handlers: {
    post: async (ctx) => {
      const user = requireUser(ctx)
      await disconnectSocialAccount(ctx, user, parseAccountId(ctx))
      return jsonResponse({})
    },
  },
  isAuthenticationRequired: true,
  metadata: {
    // DRF shows SocialConnectSerializer, the view's serializer_class, though the body is not read.
    actions: () => ({ POST: describeFields(socialLoginFields) }),
    description: `Disconnect SocialAccount from remote service for
the currently logged in user`,
    name: 'Social Account Disconnect',
  },
  path: '/socialaccounts/:id/disconnect',
})

/** Login and connect for every provider (and OAuth 1.0a's request token), the provider list, the account list and disconnect. */
export const socialEndpoints: RestAuthEndpoint[] = [
  ...socialProviders.flatMap((provider) => [
    loginEndpoint(provider),
    connectEndpoint(provider),
    ...(provider.protocol === 'oauth1' ? [requestTokenEndpoint(provider)] : []),
  ]),
  socialProvidersEndpoint,
  socialAccountListEndpoint,
  socialAccountDisconnectEndpoint,
]
