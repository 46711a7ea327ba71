import type { PayloadRequest } from 'payload'

import type { ResponseMap, SettingsArgs } from '../http/contract.js'
import type { AnyEndpoint, EndpointContext } from '../http/defineEndpoint.js'
import type { Schema } from '../http/fields.js'
import type { EndpointMetadata, SerializerInfo } from '../http/metadata.js'
import type { RestAuthSettings } from '../settings/definitions.js'
import type { OAuth1Provider, ProviderDefinition, SocialProvider } from '../social/types.js'

import { completeLogin } from '../auth/completeLogin.js'
import { loginAnswer, loginStatus } from '../auth/loginAnswer.js'
import { messages } from '../errors/messages.js'
import { detailError } from '../errors/RestAuthError.js'
import { detailResponse, objectSchema, schemaRef, stringSchema } from '../http/contract.js'
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
import { obtainRequestToken } from '../social/oauth1.js'
import { describeProvider } from '../social/publicProviders.js'
import { toDatabaseId } from '../utilities/databaseId.js'
import { mfaRequiredResponse } from '../mfa/gate.js'

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
    throw detailError(503, messages.social.siteOriginUnknown)
  }
  return provider
}

/** The enabled provider of that slug; any other answers 404, as an unmounted Django URL. */
const providerOf = (ctx: EndpointContext, slug: unknown): SocialProvider => {
  const provider = findEnabledProvider(ctx.settings, slug, callbackOrigin(ctx))
  if (!provider) {
    throw detailError(404, messages.request.notFound)
  }
  return requireCallbackUrl(ctx, provider)
}

/** A login or connect body: the route's provider and the credentials read from the body, checked before the handler. */
type CredentialsBody = { provider: SocialProvider } & ReturnType<typeof readCredentials>

const identify = (ctx: EndpointContext<CredentialsBody>) => {
  const { credentials, extras, provider } = ctx.body
  return fetchIdentity({ credentials, ctx, extras, provider })
}

/** The credential fields as one schema: for OAuth 1.0a the verifier leg's fields are the optional alternative. */
const credentialFields = (definition: ProviderDefinition, readsCredentials: boolean): Schema => {
  if (!readsCredentials) {
    return {}
  }
  const { alternative, body } = credentialSchemas(definition)
  return {
    ...body,
    ...Object.fromEntries(Object.entries(alternative ?? {}).map(([name, spec]) => [name, { ...spec, required: false }])),
  }
}

/** OPTIONS: the serializer's fields. */
const credentialFieldsInfo = (definition: ProviderDefinition): SerializerInfo => describeFields(credentialFields(definition, true))

/** What a provider route may answer besides its success: the credentials refused, the provider down or unconfigured. */
const providerErrors: ResponseMap = {
  400: { description: 'The credentials are missing or refused (by the provider, or by the account rules).', schema: schemaRef('FieldErrors') },
  404: detailResponse('No such provider is enabled (or no such account).', messages.request.notFound),
  503: detailResponse("Social login is unavailable: this site's address (serverURL) is not configured."),
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
  post: (ctx: EndpointContext<CredentialsBody>) => Promise<Response>
  /** Whether the body carries the provider's credentials (login and connect do). */
  readsCredentials: boolean
  responses: (args: SettingsArgs) => ResponseMap
  suffix: string
  summary: (label: string) => string
}

const viewName = (definition: ProviderDefinition, label: string, view: 'connect' | 'login') =>
  DOCUMENTED_VIEW_NAMES[definition.id]?.[view] ?? `${label} ${view === 'login' ? 'Login' : 'Connect'}`

const socialMethods = (provider: SocialProvider) => [{ method: 'social', provider: provider.id }]

const providerRoutes: ProviderRoute[] = [
  /** POST <provider>/: SocialLoginView (TwitterLoginView for OAuth 1.0a); answers like login/. */
  {
    describe: (definition, label) => ({ description: '', name: viewName(definition, label, 'login') }),
    isFor: () => true,
    post: async (ctx) =>
      completeLogin(ctx, await socialLogin(ctx, ctx.body.provider, await identify(ctx)), { methods: socialMethods(ctx.body.provider) }),
    readsCredentials: true,
    responses: ({ settings }) => ({ [loginStatus(settings)]: loginAnswer(settings), ...providerErrors, 401: mfaRequiredResponse }),
    suffix: '',
    summary: (label) => `Log in with ${label} (an access token, a code or an id_token)`,
  },
  /** POST <provider>/connect/: SocialConnectView, authenticated; answers like login/ as dj-rest-auth does. */
  {
    describe: (definition, label) => ({ description: '', name: viewName(definition, label, 'connect') }),
    isAuthenticationRequired: true,
    isFor: () => true,
    post: async (ctx) => {
      const user = requireUser(ctx)
      await requireConnectAllowed(ctx, user)
      await socialConnect(ctx, ctx.body.provider, await identify(ctx), user)
      return completeLogin(ctx, user, { methods: socialMethods(ctx.body.provider) })
    },
    readsCredentials: true,
    responses: ({ settings }) => ({ [loginStatus(settings)]: loginAnswer(settings), ...providerErrors }),
    suffix: '/connect',
    summary: (label) => `Connect a ${label} account to the current user`,
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
    post: async (ctx) => {
      const { authorizationUrl, token, tokenSecret } = await obtainRequestToken(ctx.body.provider as OAuth1Provider)
      return jsonResponse({ authorization_url: authorizationUrl, oauth_token: token, oauth_token_secret: tokenSecret })
    },
    readsCredentials: false,
    responses: () => ({
      200: {
        description: 'The request token pair and where to send the user.',
        schema: objectSchema({ authorization_url: stringSchema, oauth_token: stringSchema, oauth_token_secret: stringSchema }),
      },
      ...providerErrors,
    }),
    suffix: '/request_token',
    summary: (label) => `Start ${label}'s OAuth 1.0a flow: a request token`,
  },
]

const routeEndpoint = (
  route: ProviderRoute,
  { definition, isEnabled, label, path, slugOf }: {
    definition: ProviderDefinition
    isEnabled: AnyEndpoint['isEnabled']
    label: string
    path: string
    slugOf: (req: Pick<PayloadRequest, 'routeParams'>) => unknown
  },
): AnyEndpoint =>
  defineEndpoint<Schema, CredentialsBody>({
    access: route.isAuthenticationRequired ? 'user' : 'anonymous',
    body: {
      fields: credentialFields(definition, route.readsCredentials),
      read: (ctx) => {
        const provider = providerOf(ctx, slugOf(ctx.req))
        // request_token/ reads no body: only the route's provider.
        return route.readsCredentials ? { provider, ...readCredentials(provider, ctx.data) } : ({ provider } as CredentialsBody)
      },
    },
    handlers: { post: route.post },
    isEnabled,
    metadata: { ...route.describe(definition, label), ...(route.readsCredentials ? { actions: () => ({ POST: credentialFieldsInfo(definition) }) } : {}) },
    path: `${path}${route.suffix}`,
    responses: route.responses,
    summary: route.summary(label),
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
export const listOpenIdConnectRoutes = (settings: RestAuthSettings): AnyEndpoint[] =>
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
            ctx.req.payload.logger.warn({ err, msg: `payload-rest-auth: ${provider.label} left out of social/providers/` })
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
  responses: {
    200: { description: 'The enabled providers.', schema: { type: 'array', items: schemaRef('SocialProvider') } },
    503: detailResponse("Social login is unavailable: this site's address (serverURL) is not configured."),
  },
  summary: 'List the enabled social providers',
})

/** GET socialaccounts/: SocialAccountListView, the current user's accounts. */
export const socialAccountListEndpoint = defineEndpoint({
  handlers: {
    get: async (ctx) => {
      const user = requireUser(ctx)
      return jsonResponse((await listSocialAccounts(ctx, user)).map(serializeSocialAccount))
    },
  },
  access: 'user',
  metadata: { description: 'List SocialAccounts for the currently logged in user', name: 'Social Account List' },
  path: '/socialaccounts',
  responses: { 200: { description: "The user's social accounts.", schema: { type: 'array', items: schemaRef('SocialAccount') } } },
  summary: "List the current user's social accounts",
})

const parseAccountId = (ctx: EndpointContext): number | string => {
  const raw = (ctx.req.routeParams as Record<string, unknown> | undefined)?.id
  const id = toDatabaseId(ctx.req.payload, ctx.options.slugs.socialAccounts, raw)
  if (id === null) {
    throw detailError(404, messages.request.notFound)
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
  access: 'user',
  metadata: {
    // DRF shows SocialConnectSerializer, the view's serializer_class, though the body is not read.
    actions: () => ({ POST: describeFields(socialLoginFields) }),
    description: `Disconnect SocialAccount from remote service for
the currently logged in user`,
    name: 'Social Account Disconnect',
  },
  path: '/socialaccounts/:id/disconnect',
  responses: {
    200: { description: 'Disconnected.', schema: objectSchema({}) },
    400: { description: "allauth's validate_disconnect: the account is the user's only way in.", schema: schemaRef('FieldErrors') },
    404: detailResponse("No such account of the user's.", messages.request.notFound),
  },
  summary: 'Disconnect one of the current user\'s social accounts',
})

/**
 * Login and connect for every built-in provider (and OAuth 1.0a's request token), the provider
 * list, the account list and disconnect, then the OpenID Connect providers' routes: a route whose
 * path starts with a parameter matches any segment, so it comes last.
 */
export const socialEndpoints: AnyEndpoint[] = [
  ...builtinRoutes,
  socialProvidersEndpoint,
  socialAccountListEndpoint,
  socialAccountDisconnectEndpoint,
  ...openIdConnectRoutes,
]
