import type { Endpoint, PayloadRequest } from 'payload'

import type { RestAuthSettings, RestAuthUser, SanitizedRestAuthOptions } from '../types.js'
import type { ThrottleScope } from '../throttling/scopes.js'
import type { EndpointMetadata } from './metadata.js'
import type { RequestData } from './parseBody.js'

import { usersCollectionUser } from '../collections/access.js'
import { messages } from '../errors/messages.js'
import { detailError, RestAuthError } from '../errors/RestAuthError.js'
import { authenticationError, authenticationSchemes, notAuthenticated } from '../strategies/authenticationClasses.js'
import { crossSiteFormFailure } from '../strategies/csrf.js'
import { getRequestAuth, setRequestAuth } from '../strategies/requestAuth.js'
import { checkThrottle } from '../throttling/checkThrottle.js'
import { metadataBody } from './metadata.js'
import { parseBody } from './parseBody.js'
import { emptyResponse, errorResponse, jsonResponse } from './responses.js'

export type HttpMethod = 'delete' | 'get' | 'patch' | 'post' | 'put'

/** Django's `http_method_names` order, which is the order of DRF's `Allow` header. */
const HANDLER_METHODS: HttpMethod[] = ['get', 'post', 'put', 'patch', 'delete']

export type EndpointContext = {
  data: RequestData
  options: SanitizedRestAuthOptions
  req: PayloadRequest
  settings: RestAuthSettings
  /** The authenticated, active user of the users collection (never one of another auth collection), or null. */
  user: null | RestAuthUser
}

export type EndpointHandler = (ctx: EndpointContext) => Promise<Response>

/** One route of the API: its path, its handlers by method, and when it exists at all. */
export type RestAuthEndpoint = {
  /** Methods allowed under the current settings; default: every method with a handler. */
  allowedMethods?: (settings: RestAuthSettings) => HttpMethod[]
  handlers: Partial<Record<HttpMethod, EndpointHandler>>
  /**
   * Answer whatever credentials the request carries, even bad ones: simplejwt's token views have
   * no authentication classes (`authentication_classes = ()`), and plain Django views none at all.
   */
  ignoresCredentials?: boolean
  /** DRF's IsAuthenticated: every method, OPTIONS included, needs a user. */
  isAuthenticationRequired?: boolean
  /**
   * When false the route answers 404, as an unmounted Django URL would; a route with a parameter
   * (`/:provider`) decides by the request's `routeParams`.
   */
  isEnabled?: (settings: RestAuthSettings, req: Pick<PayloadRequest, 'routeParams'>) => boolean
  /**
   * What OPTIONS answers (DRF's SimpleMetadata); `false` for a plain Django view, whose OPTIONS is
   * an empty 200 with `Allow`.
   */
  metadata: EndpointMetadata | false
  /** Relative to the route prefix, without a trailing slash (Payload then matches both forms). */
  path: string
  /** The rate limits this route counts against (see src/throttling/scopes.ts). */
  throttle?: ThrottleScope
}

export const defineEndpoint = (endpoint: RestAuthEndpoint): RestAuthEndpoint => endpoint

/** The user of a route that declares `isAuthenticationRequired` (dispatch has refused anonymous requests). */
export const requireUser = (ctx: EndpointContext): RestAuthUser => {
  if (!ctx.user) {
    throw notAuthenticated(ctx.settings)
  }
  return ctx.user
}

/**
 * DRF's `permission_denied`: an anonymous request gets NotAuthenticated (with the configured
 * challenge), an authenticated one 403 PermissionDenied.
 */
export const permissionDenied = (ctx: Pick<EndpointContext, 'settings' | 'user'>): RestAuthError =>
  !ctx.user && authenticationSchemes(ctx.settings).length > 0
    ? notAuthenticated(ctx.settings)
    : detailError(403, messages.permissionDenied)

/**
 * The methods a route answers, in DRF's `Allow` order: its handlers' methods (as the settings
 * allow them), HEAD wherever GET is (Django answers HEAD with the GET handler), and OPTIONS.
 */
export const answeredMethods = (endpoint: RestAuthEndpoint, settings: RestAuthSettings): string[] => {
  const allowed = endpoint.allowedMethods?.(settings) ?? HANDLER_METHODS
  const methods = HANDLER_METHODS.filter((method) => endpoint.handlers[method] && allowed.includes(method))
  return [...methods, ...(methods.includes('get') ? ['head'] : []), 'options'].map((method) => method.toUpperCase())
}

/** A browser's CORS preflight carries no credentials: answered before any check, as django-cors-headers does. */
const isCorsPreflight = (req: PayloadRequest): boolean =>
  req.method?.toUpperCase() === 'OPTIONS' && req.headers.has('access-control-request-method')

/** DRF's `perform_authentication`: a failed credential ends the request before anything else. */
const checkCredentials = (req: PayloadRequest, settings: RestAuthSettings): void => {
  const { authError, authFailure } = getRequestAuth(req)
  if (authError) {
    throw detailError(403, authError)
  }
  if (authFailure) {
    throw authenticationError(settings, authFailure.body)
  }
}

const answer = async (
  endpoint: RestAuthEndpoint,
  options: SanitizedRestAuthOptions,
  req: PayloadRequest,
  settings: RestAuthSettings,
  allow: string[],
): Promise<Response> => {
  const method = (req.method ?? 'GET').toUpperCase()
  if (method === 'OPTIONS' && (isCorsPreflight(req) || !endpoint.metadata)) {
    return emptyResponse({ status: 200 })
  }
  if (!endpoint.ignoresCredentials) {
    checkCredentials(req, settings)
  }
  const user = usersCollectionUser(options, req)
  if (endpoint.isAuthenticationRequired && !user) {
    throw notAuthenticated(settings)
  }
  if (method === 'OPTIONS') {
    return jsonResponse(metadataBody(endpoint.metadata as EndpointMetadata, { options, settings }))
  }
  const handler = endpoint.handlers[(method === 'HEAD' ? 'get' : method.toLowerCase()) as HttpMethod]
  if (!handler || !allow.includes(method)) {
    throw detailError(405, messages.methodNotAllowed(method))
  }
  const crossSiteForm = crossSiteFormFailure({ headers: req.headers, method, payload: req.payload, settings, url: req.url })
  if (crossSiteForm) {
    throw detailError(403, crossSiteForm)
  }
  const data = await parseBody(req)
  if (endpoint.throttle) {
    await checkThrottle({ data, options, req, scope: endpoint.throttle, settings })
  }
  const response = await handler({ data, options, req, settings, user })
  return method === 'HEAD' ? new Response(null, { headers: response.headers, status: response.status }) : response
}

/**
 * Headers DRF and Django add to every answer of a view: `Allow` (DRF's `default_response_headers`)
 * and `Vary: Cookie` when the session was consulted (SessionMiddleware) or the CSRF cookie set
 * (CsrfViewMiddleware).
 */
const finishResponse = (response: Response, req: PayloadRequest, settings: RestAuthSettings, allow: string[]): Response => {
  if (response.status < 500) {
    response.headers.set('Allow', allow.join(', '))
  }
  const setsCsrfCookie = response.headers.getSetCookie().some((cookie) => cookie.startsWith(`${settings.csrfCookieName}=`))
  if (getRequestAuth(req).hasUsedSession || setsCsrfCookie) {
    const vary = response.headers.get('Vary')
    response.headers.set('Vary', vary ? `${vary}, Cookie` : 'Cookie')
  }
  return response
}

const dispatch = async (endpoint: RestAuthEndpoint, options: SanitizedRestAuthOptions, req: PayloadRequest): Promise<Response> => {
  let settings: RestAuthSettings
  try {
    settings = await options.settingsStore.get(req.payload)
    if (endpoint.isEnabled && !endpoint.isEnabled(settings, req)) {
      throw detailError(404, messages.notFound)
    }
  } catch (err) {
    return errorResponse(err, req)
  }
  if (endpoint.ignoresCredentials) {
    // Views without authentication classes never read the session the strategies looked at.
    setRequestAuth(req, { hasUsedSession: false })
  }
  const allow = answeredMethods(endpoint, settings)
  let response: Response
  try {
    response = await answer(endpoint, options, req, settings, allow)
  } catch (err) {
    response = errorResponse(err, req)
  }
  return finishResponse(response, req, settings, allow)
}

/** Payload matches endpoints by method, so a route is registered once per method; 405 is ours. */
export const toPayloadEndpoints = (endpoint: RestAuthEndpoint, options: SanitizedRestAuthOptions): Endpoint[] =>
  [...HANDLER_METHODS, 'head' as const, 'options' as const].map((method) => ({
    handler: (req: PayloadRequest) => dispatch(endpoint, options, req),
    method,
    path: `/${options.routePrefix}${endpoint.path}`,
  }))
