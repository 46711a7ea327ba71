import type { Endpoint, PayloadRequest } from 'payload'

import type { RestAuthSettings, RestAuthUser, SanitizedRestAuthOptions } from '../types.js'
import type { ThrottleScope } from '../throttling/scopes.js'
import type { RequestData } from './parseBody.js'

import { messages } from '../errors/messages.js'
import { detailError, RestAuthError } from '../errors/RestAuthError.js'
import { getRequestAuth } from '../strategies/requestAuth.js'
import { checkThrottle } from '../throttling/checkThrottle.js'
import { parseBody } from './parseBody.js'
import { errorResponse } from './responses.js'

export type HttpMethod = 'delete' | 'get' | 'patch' | 'post' | 'put'

const ALL_METHODS: HttpMethod[] = ['get', 'post', 'put', 'patch', 'delete']

export type EndpointContext = {
  data: RequestData
  options: SanitizedRestAuthOptions
  req: PayloadRequest
  settings: RestAuthSettings
  /** The authenticated user of the users collection, or null. */
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
   * no authentication classes (`authentication_classes = ()`).
   */
  ignoresCredentials?: boolean
  /**
   * When false the route answers 404, as an unmounted Django URL would; a route with a parameter
   * (`/:provider`) decides by the request's `routeParams`.
   */
  isEnabled?: (settings: RestAuthSettings, req: Pick<PayloadRequest, 'routeParams'>) => boolean
  /** Relative to the route prefix, without a trailing slash (Payload then matches both forms). */
  path: string
  /** The rate limits this route counts against (see src/throttling/scopes.ts). */
  throttle?: ThrottleScope
}

export const defineEndpoint = (endpoint: RestAuthEndpoint): RestAuthEndpoint => endpoint

const currentUser = (req: PayloadRequest, options: SanitizedRestAuthOptions): null | RestAuthUser => {
  const user = req.user as (RestAuthUser & { collection?: string }) | null
  return user && user.collection === options.usersCollection ? user : null
}

/** Throws DRF's 403 unless the request is authenticated. */
export const requireUser = (ctx: EndpointContext): RestAuthUser => {
  if (!ctx.user) {
    throw detailError(403, messages.authenticationRequired)
  }
  return ctx.user
}

const dispatch = async (
  endpoint: RestAuthEndpoint,
  options: SanitizedRestAuthOptions,
  req: PayloadRequest,
): Promise<Response> => {
  try {
    const settings = await options.settingsStore.get(req.payload)
    if (endpoint.isEnabled && !endpoint.isEnabled(settings, req)) {
      throw detailError(404, messages.notFound)
    }
    const { authError, authFailure } = getRequestAuth(req)
    if (authError && !endpoint.ignoresCredentials) {
      throw detailError(403, authError)
    }
    if (authFailure && !endpoint.ignoresCredentials) {
      throw new RestAuthError(authFailure as ConstructorParameters<typeof RestAuthError>[0])
    }
    const method = (req.method ?? 'GET').toLowerCase() as HttpMethod
    const allowed = endpoint.allowedMethods?.(settings) ?? (Object.keys(endpoint.handlers) as HttpMethod[])
    const handler = endpoint.handlers[method]
    if (!handler || !allowed.includes(method)) {
      const error = detailError(405, messages.methodNotAllowed(method.toUpperCase()))
      error.headers.Allow = [...allowed.map((m) => m.toUpperCase()), 'OPTIONS'].join(', ')
      throw error
    }
    const data = await parseBody(req)
    if (endpoint.throttle) {
      await checkThrottle({ data, options, req, scope: endpoint.throttle, settings })
    }
    return await handler({ data, options, req, settings, user: currentUser(req, options) })
  } catch (err) {
    return errorResponse(err, req)
  }
}

/** Payload matches endpoints by method, so a route is registered once per method; 405 is ours. */
export const toPayloadEndpoints = (endpoint: RestAuthEndpoint, options: SanitizedRestAuthOptions): Endpoint[] =>
  ALL_METHODS.map((method) => ({
    handler: (req: PayloadRequest) => dispatch(endpoint, options, req),
    method,
    path: `/${options.routePrefix}${endpoint.path}`,
  }))
