import type { PayloadRequest } from 'payload'

import type { EndpointContext, RestAuthEndpoint } from '../http/defineEndpoint.js'
import type { EndpointMetadata, SerializerInfo } from '../http/metadata.js'
import type { RestAuthSettings } from '../settings/definitions.js'
import type { OAuth1Provider, ProviderDefinition, SocialProvider } from '../social/types.js'

import { completeLogin } from '../auth/completeLogin.js'
import { messages } from '../errors/messages.js'
import { detailError } from '../errors/RestAuthError.js'
import { defineEndpoint, requireUser } from '../http/defineEndpoint.js'
import { logOriginRefused, siteOrigin } from '../http/forwarded.js'
import { describeFields } from '../http/metadata.js'
import { jsonResponse } from '../http/responses.js'
import { builtinProviderList, openIdConnectProvider } from '../providers/index.js'
import { findEnabledProvider, listProviders } from '../providers/registry.js'
import {
  disconnectSocialAccount,
  listSocialAccounts,
  requireConnectAllowed,
  serializeSocialAccount,
  socialConnect,
  socialLogin,
} from '../social/accounts.js'
import { credentialSchemas, readCredentials, socialLoginFields } from '../social/credentials.js'
import { fetchIdentity } from '../social/fetchIdentity.js'
import { socialMessages } from '../social/messages.js'
import { obtainRequestToken } from '../social/oauth1.js'
import { describeProvider } from '../social/publicProviders.js'
import { toDatabaseId } from '../utilities/databaseId.js'

/** What `{origin}` of a callback URL becomes when there is no origin to give it: itself, unresolved. */
const UNRESOLVED_ORIGIN = '{origin}'

/**
 * `{origin}` of callback URLs: a callback is a link the provider sends a user to (for OAuth 1.0a,
 * bound into a request token that can be handed to someone else), so it comes from serverURL — or,
 * outside production, the request's own origin — never from a header in production.
 */
const callbackOrigin = ({ req, settings }: EndpointContext): string =>
  siteOrigin({ headers: req.headers, payload: req.payload, settings, url: req.url }) ?? UNRESOLVED_ORIGIN

/** A provider whose callback URL needs an origin production cannot give is unavailable: 503, and the log says why. */
const requireCallbackUrl = (ctx: EndpointContext, provider: SocialProvider): SocialProvider => {
  if (provider.config.callbackUrl.includes(UNRESOLVED_ORIGIN)) {
    logOriginRefused(ctx.req.payload, `${provider.label} callback URL`)
    throw detailError(503, socialMessages.siteOriginUnknown)
  }
  return provider
}

/** The enabled provider of that slug; any other answers 404, as an unmounted Django URL. */
const providerOf = (ctx: EndpointContext, slug: unknown): SocialProvider => {
  const provider = findEnabledProvider(ctx.settings, slug, callbackOrigin(ctx))
  if (!provider) {
    throw detailError(404, messages.notFound)
  }
  return requireCallbackUrl(ctx, provider)
}

const identify = (ctx: EndpointContext, provider: SocialProvider) => {
  const { credentials, extras } = readCredentials(provider, ctx.data)
  return fetchIdentity({ credentials, ctx, extras, provider })
}

/** OPTIONS: the serializer's fields; for OAuth 1.0a the verifier leg's fields are the optional alternative. */
const credentialFieldsInfo = (definition: ProviderDefinition): SerializerInfo => {
  const { alternative, body } = credentialSchemas(definition)
  return {
    ...describeFields(body),
    ...Object.fromEntries(Object.entries(alternative ? describeFields(alternative) : {}).map(([name, info]) => [name, { ...info, required: false }])),
  }
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

/**
 * A route every provider has. A built-in provider's are registered under its id (`google/`,
 * `google/connect/`); the OpenID Connect providers an admin adds share one `:provider` route of
 * each kind, resolved by slug on every request, so a new one needs no restart.
 */
type ProviderRoute = {
  /** DRF's name of the view, for OPTIONS. */
  describe: (definition: ProviderDefinition, label: string) => Omit<EndpointMetadata, 'actions'>
  isAuthenticationRequired?: boolean
  /** Which providers have it (request_token/: OAuth 1.0a only). */
  isFor: (definition: ProviderDefinition) => boolean
  post: (ctx: EndpointContext, provider: SocialProvider) => Promise<Response>
  suffix: string
}

const viewName = (definition: ProviderDefinition, label: string, view: 'connect' | 'login') =>
  DOCUMENTED_VIEW_NAMES[definition.id]?.[view] ?? `${label} ${view === 'login' ? 'Login' : 'Connect'}`

const providerRoutes: ProviderRoute[] = [
  /** POST <provider>/: SocialLoginView (TwitterLoginView for OAuth 1.0a); answers like login/. */
  {
    describe: (definition, label) => ({ description: '', name: viewName(definition, label, 'login') }),
    isFor: () => true,
    post: async (ctx, provider) =>
      completeLogin(ctx, await socialLogin(ctx, provider, await identify(ctx, provider)), { factors: { first: 'social' } }),
    suffix: '',
  },
  /** POST <provider>/connect/: SocialConnectView, authenticated; answers like login/ as dj-rest-auth does. */
  {
    describe: (definition, label) => ({ description: '', name: viewName(definition, label, 'connect') }),
    isAuthenticationRequired: true,
    isFor: () => true,
    post: async (ctx, provider) => {
      const user = requireUser(ctx)
      await requireConnectAllowed(ctx, user)
      await socialConnect(ctx, provider, await identify(ctx, provider), user)
      // The request's own credential passed the second factor when it was issued.
      return completeLogin(ctx, user, { factors: { first: 'current' } })
    },
    suffix: '/connect',
  },
  /**
   * POST <provider>/request_token/ (ours, OAuth 1.0a providers): the first leg of the flow, which
   * needs the consumer secret. Answers `{oauth_token, oauth_token_secret, authorization_url}`; the
   * client sends the user to authorization_url, then posts the pair and the callback's
   * oauth_verifier to <provider>/ or <provider>/connect/.
   */
  {
    describe: (_definition, label) => ({
      description: `Obtains an OAuth 1.0a request token with the consumer secret.

Returns oauth_token, oauth_token_secret and the authorization_url to send the user to;
then post the pair and the callback's oauth_verifier to the login or connect route.`,
      name: `${label} Request Token`,
    }),
    isFor: (definition) => definition.protocol === 'oauth1',
    post: async (_ctx, provider) => {
      const { authorizationUrl, token, tokenSecret } = await obtainRequestToken(provider as OAuth1Provider)
      return jsonResponse({ authorization_url: authorizationUrl, oauth_token: token, oauth_token_secret: tokenSecret })
    },
    suffix: '/request_token',
  },
]

const routeEndpoint = (
  route: ProviderRoute,
  { definition, isEnabled, label, path, slugOf }: {
    definition: ProviderDefinition
    isEnabled: RestAuthEndpoint['isEnabled']
    label: string
    path: string
    slugOf: (req: Pick<PayloadRequest, 'routeParams'>) => unknown
  },
): RestAuthEndpoint =>
  defineEndpoint({
    handlers: { post: (ctx) => route.post(ctx, providerOf(ctx, slugOf(ctx.req))) },
    isAuthenticationRequired: route.isAuthenticationRequired,
    isEnabled,
    metadata: { ...route.describe(definition, label), ...(route.suffix === '/request_token' ? {} : { actions: () => ({ POST: credentialFieldsInfo(definition) }) }) },
    path: `${path}${route.suffix}`,
    throttle: 'social',
  })

/** Each built-in provider's routes, under its id. */
const builtinRoutes = builtinProviderList.flatMap((definition) =>
  providerRoutes
    .filter((route) => route.isFor(definition))
    .map((route) =>
      routeEndpoint(route, {
        definition,
        isEnabled: (settings) => findEnabledProvider(settings, definition.id) !== null,
        label: definition.label,
        path: `/${definition.id}`,
        slugOf: () => definition.id,
      }),
    ),
)

const routeSlug = (req: Pick<PayloadRequest, 'routeParams'>): unknown => (req.routeParams as Record<string, unknown> | undefined)?.provider

/** The OpenID Connect providers' routes: `:provider` is an enabled row's slug (the built-in ids have their own routes, matched first). */
const openIdConnectRoutes = providerRoutes
  .filter((route) => route.isFor(openIdConnectProvider))
  .map((route) =>
    routeEndpoint(route, {
      definition: openIdConnectProvider,
      isEnabled: (settings, req) => findEnabledProvider(settings, routeSlug(req))?.definition === openIdConnectProvider,
      // SocialLoginView's and SocialConnectView's own names: a row has no view class of its own.
      label: 'Social',
      path: '/:provider',
      slugOf: routeSlug,
    }),
  )

/** The OpenID Connect providers' routes as the settings make them, one per provider, for the admin's endpoint list. */
export const listOpenIdConnectRoutes = (settings: RestAuthSettings): RestAuthEndpoint[] =>
  openIdConnectRoutes.flatMap((endpoint) =>
    listProviders(settings)
      .filter((provider) => provider.definition === openIdConnectProvider)
      .map((provider) => ({ ...endpoint, isEnabled: () => provider.config.isEnabled, path: endpoint.path.replace('/:provider', `/${provider.id}`) })),
  )

/**
 * GET social/providers/ (ours): the enabled providers and what a client needs to send a user to
 * each (client ID, consent page, callback URL, scopes), so login buttons follow the settings. An
 * OpenID Connect provider whose configuration cannot be read is left out, and logged.
 */
export const socialProvidersEndpoint = defineEndpoint({
  handlers: {
    get: async (ctx) => {
      const enabled = listProviders(ctx.settings, callbackOrigin(ctx))
        .filter((provider) => provider.config.isEnabled)
        .map((provider) => requireCallbackUrl(ctx, provider))
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

/**
 * Login and connect for every built-in provider (and OAuth 1.0a's request token), the provider
 * list, the account list and disconnect, then the OpenID Connect providers' routes: a route whose
 * path starts with a parameter matches any segment, so it comes last.
 */
export const socialEndpoints: RestAuthEndpoint[] = [
  ...builtinRoutes,
  socialProvidersEndpoint,
  socialAccountListEndpoint,
  socialAccountDisconnectEndpoint,
  ...openIdConnectRoutes,
]
