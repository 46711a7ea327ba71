import type { EndpointContext, RestAuthEndpoint } from '../http/defineEndpoint.js'
import type { OAuth1Provider, SocialCredentials, SocialProvider } from '../social/types.js'

import { completeLogin } from '../auth/completeLogin.js'
import { messages } from '../errors/messages.js'
import { detailError, nonFieldError } from '../errors/RestAuthError.js'
import { defineEndpoint, requireUser } from '../http/defineEndpoint.js'
import { siteOrigin } from '../http/forwarded.js'
import { requireValidFields } from '../http/fields.js'
import { jsonResponse } from '../http/responses.js'
import { socialProviders } from '../providers/index.js'
import {
  disconnectSocialAccount,
  listSocialAccounts,
  requireConnectAllowed,
  serializeSocialAccount,
  socialConnect,
  socialLogin,
} from '../social/accounts.js'
import { callbackUsesOrigin, isProviderEnabled, readProviderConfig } from '../social/config.js'
import { fetchIdentity } from '../social/fetchIdentity.js'
import { socialMessages } from '../social/messages.js'
import { obtainRequestToken } from '../social/oauth1.js'
import { describeProvider } from '../social/publicProviders.js'

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

/**
 * SocialLoginSerializer's fields (plus PKCE's code_verifier); TwitterLoginSerializer's for OAuth 1.0a,
 * or, for a client that started with `<provider>/request_token/`, the request token pair and the
 * callback's `oauth_verifier`.
 */
const readCredentials = (provider: SocialProvider, data: EndpointContext['data']): SocialCredentials => {
  if (provider.protocol === 'oauth1' && data.oauth_verifier !== undefined) {
    const values = requireValidFields(data, {
      oauth_token: { required: true },
      oauth_token_secret: { required: true },
      oauth_verifier: { required: true },
    })
    return { kind: 'verifier', token: values.oauth_token!, tokenSecret: values.oauth_token_secret!, verifier: values.oauth_verifier! }
  }
  if (provider.protocol === 'oauth1') {
    const values = requireValidFields(data, { access_token: { required: true }, token_secret: { required: true } })
    return { kind: 'tokenPair', token: values.access_token!, tokenSecret: values.token_secret! }
  }
  const values = requireValidFields(data, {
    access_token: { allowBlank: true },
    code: { allowBlank: true },
    code_verifier: { allowBlank: true },
    id_token: { allowBlank: true },
  })
  if (values.access_token) {
    return { accessToken: values.access_token, kind: 'accessToken' }
  }
  if (values.code) {
    return { code: decodeCode(values.code), codeVerifier: values.code_verifier || undefined, kind: 'code' }
  }
  throw nonFieldError(socialMessages.accessTokenOrCodeRequired)
}

/**
 * `{origin}` of a callback URL: a callback is a link the provider sends a user to (for OAuth 1.0a,
 * bound into a request token that can be handed to someone else), so it comes from serverURL — or,
 * outside production, the request's own origin — never from a header in production.
 */
const callbackOrigin = ({ req, settings }: EndpointContext, provider: SocialProvider): string => {
  if (!callbackUsesOrigin(settings, provider.id)) {
    return ''
  }
  const origin = siteOrigin({ headers: req.headers, payload: req.payload, purpose: `${provider.label} callback URL`, settings, url: req.url })
  if (origin === null) {
    throw detailError(503, socialMessages.siteOriginUnknown)
  }
  return origin
}

const configOf = (ctx: EndpointContext, provider: SocialProvider) =>
  readProviderConfig(ctx.settings, provider.id, callbackOrigin(ctx, provider))

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
    path: `/${provider.id}`,
    throttle: 'social',
  })

/** POST <provider>/connect/: SocialConnectView, authenticated; answers like login/ as dj-rest-auth does. */
const connectEndpoint = (provider: SocialProvider): RestAuthEndpoint =>
  defineEndpoint({
    handlers: {
      post: async (ctx) => {
        const user = requireUser(ctx)
        await requireConnectAllowed(ctx, user)
        const identity = await identify(ctx, provider)
        await socialConnect(ctx, provider, identity, user)
        return completeLogin(ctx, user)
      },
    },
    isEnabled: (settings) => isProviderEnabled(provider, settings),
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
        .filter((provider) => isProviderEnabled(provider, ctx.settings))
        .map((provider) => ({ config: configOf(ctx, provider), provider }))
      return jsonResponse(enabled.map(({ config, provider }) => describeProvider(provider, config)))
    },
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
  path: '/socialaccounts',
})

const parseAccountId = (ctx: EndpointContext): number | string => {
  const raw = (ctx.req.routeParams as Record<string, unknown> | undefined)?.id
  const value = typeof raw === 'string' ? raw : ''
  if (ctx.req.payload.db.defaultIDType === 'number') {
    if (/^\d{1,15}$/.test(value)) {
      return Number(value)
    }
  } else if (/^[\w-]{1,64}$/.test(value)) {
    return value
  }
  throw detailError(404, messages.notFound)
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
