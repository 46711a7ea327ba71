import type { PayloadRequest } from 'payload'

import type { EndpointContext, EndpointHandler, RestAuthEndpoint } from '../http/defineEndpoint.js'
import type { RestAuthSettings } from '../settings/definitions.js'
import type { OAuth1Provider, SocialProvider } from '../social/types.js'

import { completeLogin } from '../auth/completeLogin.js'
import { messages } from '../errors/messages.js'
import { detailError } from '../errors/RestAuthError.js'
import { defineEndpoint, requireUser } from '../http/defineEndpoint.js'
import { jsonResponse } from '../http/responses.js'
import {
  disconnectSocialAccount,
  listSocialAccounts,
  serializeSocialAccount,
  socialConnect,
  socialLogin,
} from '../social/accounts.js'
import { readCredentials } from '../social/credentials.js'
import { fetchIdentity } from '../social/fetchIdentity.js'
import { obtainRequestToken } from '../social/oauth1.js'
import { describeProvider } from '../social/publicProviders.js'
import { findEnabledProvider, listProviders } from '../providers/registry.js'
import { requestOrigin } from '../utilities/requestOrigin.js'

const slugOf = (req: Pick<PayloadRequest, 'routeParams'>): unknown => (req.routeParams as Record<string, unknown> | undefined)?.provider

/** The enabled provider the URL names; any other slug answers 404, as an unmounted Django URL. */
const providerOf = (ctx: EndpointContext): SocialProvider => {
  const provider = findEnabledProvider(ctx.settings, slugOf(ctx.req), requestOrigin(ctx.req))
  if (!provider) {
    throw detailError(404, messages.notFound)
  }
  return provider
}

const identify = (ctx: EndpointContext, provider: SocialProvider) => {
  const { credentials, extras } = readCredentials(provider, ctx.data)
  return fetchIdentity({ credentials, ctx, extras, provider })
}

/**
 * A route every provider has, under its slug (`google/`, `keycloak/connect/`): one Payload route
 * with a `:provider` parameter, so providers an admin adds need no restart. `isFor` limits a route
 * to some providers (request_token/: OAuth 1.0a only).
 */
type ProviderRoute = {
  endpoint: RestAuthEndpoint
  isFor: (provider: SocialProvider) => boolean
  suffix: string
}

const providerRoute = ({
  isFor = () => true,
  post,
  suffix,
}: {
  isFor?: (provider: SocialProvider) => boolean
  post: (ctx: EndpointContext, provider: SocialProvider) => Promise<Response>
  suffix: string
}): ProviderRoute => {
  const handler: EndpointHandler = (ctx) => post(ctx, providerOf(ctx))
  return {
    endpoint: defineEndpoint({
      handlers: { post: handler },
      isEnabled: (settings, req) => {
        const provider = findEnabledProvider(settings, slugOf(req))
        return provider !== null && isFor(provider)
      },
      path: `/:provider${suffix}`,
      throttle: 'social',
    }),
    isFor,
    suffix,
  }
}

/** POST <provider>/: SocialLoginView (TwitterLoginView for OAuth 1.0a); answers like login/. */
const loginRoute = providerRoute({
  post: async (ctx, provider) => completeLogin(ctx, await socialLogin(ctx, provider, await identify(ctx, provider))),
  suffix: '',
})

/** POST <provider>/connect/: SocialConnectView, authenticated; answers like login/ as dj-rest-auth does. */
const connectRoute = providerRoute({
  post: async (ctx, provider) => {
    const user = requireUser(ctx)
    await socialConnect(ctx, provider, await identify(ctx, provider), user)
    return completeLogin(ctx, user)
  },
  suffix: '/connect',
})

/**
 * POST <provider>/request_token/ (ours, OAuth 1.0a providers): the first leg of the flow, which
 * needs the consumer secret. Answers `{oauth_token, oauth_token_secret, authorization_url}`; the
 * client sends the user to authorization_url, then posts the pair and the callback's
 * oauth_verifier to <provider>/ or <provider>/connect/.
 */
const requestTokenRoute = providerRoute({
  isFor: (provider) => provider.protocol === 'oauth1',
  post: async (_ctx, provider) => {
    const { authorizationUrl, token, tokenSecret } = await obtainRequestToken(provider as OAuth1Provider)
    return jsonResponse({ authorization_url: authorizationUrl, oauth_token: token, oauth_token_secret: tokenSecret })
  },
  suffix: '/request_token',
})

const providerRoutes = [loginRoute, connectRoute, requestTokenRoute]

/** The provider routes as the settings make them, one per provider and route, for the admin's endpoint list. */
export const listProviderRoutes = (settings: RestAuthSettings): RestAuthEndpoint[] =>
  providerRoutes.flatMap(({ endpoint, isFor, suffix }) =>
    listProviders(settings)
      .filter(isFor)
      .map((provider) => ({ ...endpoint, isEnabled: () => provider.config.isEnabled, path: `/${provider.id}${suffix}` })),
  )

/**
 * GET social/providers/ (ours): the enabled providers and what a client needs to send a user to
 * each (client ID, consent page, callback URL, scopes), so login buttons follow the settings. An
 * OpenID Connect provider whose configuration cannot be read is left out, and logged.
 */
export const socialProvidersEndpoint = defineEndpoint({
  handlers: {
    get: async (ctx) => {
      const enabled = listProviders(ctx.settings, requestOrigin(ctx.req)).filter((provider) => provider.config.isEnabled)
      const described = await Promise.all(
        enabled.map((provider) =>
          describeProvider(provider).catch((err: unknown) => {
            ctx.req.payload.logger.warn({ msg: `payload-rest-auth: ${provider.label} left out of social/providers/: ${(err as Error).message}` })
            return null
          }),
        ),
      )
      return jsonResponse(described.filter(Boolean))
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

/**
 * The provider list, the account list and disconnect, then login and connect for every provider
 * (and OAuth 1.0a's request token): routes with a parameter first in their path match any segment,
 * so they come last.
 */
export const socialEndpoints: RestAuthEndpoint[] = [
  socialProvidersEndpoint,
  socialAccountListEndpoint,
  socialAccountDisconnectEndpoint,
  ...providerRoutes.map(({ endpoint }) => endpoint),
]
