import type { Endpoint, PayloadRequest } from 'payload'

import type { FieldErrors } from '../errors/RestAuthError.js'
import type { RestAuthSettings, RestAuthUser, SanitizedRestAuthOptions } from '../types.js'
import type { ThrottleScope } from '../throttling/scopes.js'
import type { EndpointAccess, ResponseMap, SettingsArgs } from './contract.js'
import type { BodyValues, Schema } from './fields.js'
import type { EndpointMetadata } from './metadata.js'
import type { RequestData } from './parseBody.js'

import { usersCollectionUser } from '../collections/access.js'
import { messages } from '../errors/messages.js'
import { detailError, fieldErrors, RestAuthError } from '../errors/RestAuthError.js'
import { authenticationSchemes, notAuthenticated } from '../strategies/authenticationClasses.js'
import { crossSiteFormFailure } from '../strategies/csrf.js'
import { getRequestAuth, setRequestAuth } from '../strategies/requestAuth.js'
import { checkThrottle } from '../throttling/checkThrottle.js'
import { inDeclaredOrder, validateFields } from './fields.js'
import { metadataBody } from './metadata.js'
import { parseBody } from './parseBody.js'
import { emptyResponse, errorResponse, jsonResponse } from './responses.js'

export type HttpMethod = 'delete' | 'get' | 'patch' | 'post' | 'put'

/** Django's `http_method_names` order, which is the order of DRF's `Allow` header. */
export const HANDLER_METHODS: HttpMethod[] = ['get', 'post', 'put', 'patch', 'delete']

export type EndpointContext<B = RequestData> = {
  /**
   * The body as the route declares it (`body`), checked before the handler: the cleaned values of
   * its fields (required ones present, PATCH partial), or what its `read` made of it. `{}` for a
   * route that declares none.
   */
  body: B
  /** The parsed body, unchecked (for routes that declare no body, and the options' extra fields). */
  data: RequestData
  options: SanitizedRestAuthOptions
  req: PayloadRequest
  settings: RestAuthSettings
  /** The authenticated, active user of the users collection (never one of another auth collection), or null. */
  user: null | RestAuthUser
}

export type EndpointHandler<B = RequestData> = (ctx: EndpointContext<B>) => Promise<Response>

/**
 * A route's request body, checked by dispatch before the handler as a DRF serializer would be:
 * every field's messages collected into one 400 in the declared order.
 */
export type BodyDeclaration<S extends Schema, B> = {
  /**
   * Further checks that need more than the field alone (a username taken, the options' extra
   * fields), DRF's `validate_<field>`: they see the values that passed and the errors so far, and
   * their messages join the same 400. Runs after the throttle.
   */
  check?: (ctx: EndpointContext<Partial<BodyValues<S>>>, errors: FieldErrors) => Promise<FieldErrors | undefined>
  /** The serializer's fields, in its declared order (or as the settings make them). */
  fields: ((args: SettingsArgs) => S) | S
  /**
   * For a body whose shape is a union (social credentials: OAuth 2 fields, allauth's `token`
   * object, OAuth 1.0a's pairs): reads and checks it instead of `fields`, which then only describe it.
   */
  read?: (ctx: EndpointContext<RequestData>) => B
}

/** One route of the API: its path, its handlers by method, and when it exists at all. */
export type RestAuthEndpoint<S extends Schema = Schema, B = BodyValues<S>> = {
  /**
   * Who may call it: `user` is DRF's IsAuthenticated (every method, OPTIONS included, needs a
   * user); `admin` an admin as the `isAdmin` option decides, and no browser's cross-site request.
   * Default: anyone (`isAuthenticationRequired: true` is the older spelling of `user`).
   */
  access?: EndpointAccess
  /** Methods allowed under the current settings; default: every method with a handler. */
  allowedMethods?: (settings: RestAuthSettings) => HttpMethod[]
  /** The body POST, PUT and PATCH take (PATCH: every field optional). */
  body?: BodyDeclaration<S, B>
  handlers: Partial<Record<HttpMethod, EndpointHandler<B>>>
  /**
   * Answer whatever credentials the request carries, even bad ones: simplejwt's token views have
   * no authentication classes (`authentication_classes = ()`), and plain Django views none at all.
   */
  ignoresCredentials?: boolean
  /**
   * DRF's further permission classes (REGISTER_PERMISSION_CLASSES…): checked after `access`, before
   * the body is read; false answers permissionDenied (401 anonymous, 403 authenticated).
   */
  isPermitted?: (args: { options: SanitizedRestAuthOptions; req: PayloadRequest; settings: RestAuthSettings; user: null | RestAuthUser }) => boolean | Promise<boolean>
  /** Older spelling of `access: 'user'`. */
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
  /**
   * What it answers, by status (may depend on the settings: login/ answers a key, JWTs or 204). The
   * errors every route may answer (bad credentials, 405, 413, 415, 429, 500, 503) are added by the
   * OpenAPI document; list the route's own. Routes without it are documented by status only.
   */
  responses?: ((args: SettingsArgs) => ResponseMap) | ResponseMap
  /** One line for the OpenAPI document; default: the view's name. */
  summary?: string
  /** The rate limits this route counts against (see src/throttling/scopes.ts); they read the checked body. */
  throttle?: ThrottleScope
}

/**
 * Declares a route. Only `path`, `handlers` and `metadata` are needed; a route that declares its
 * `body`, `access` and `responses` gets them checked before its handler and described in the
 * OpenAPI document.
 */
export const defineEndpoint = <S extends Schema = Schema, B = BodyValues<S>>(endpoint: RestAuthEndpoint<S, B>): RestAuthEndpoint<S, B> =>
  endpoint

/** Any route, whatever its body type (for lists of routes). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyEndpoint = RestAuthEndpoint<any, any>

/** Who may call a route, with the older `isAuthenticationRequired` spelling. */
export const accessOf = (endpoint: Pick<AnyEndpoint, 'access' | 'isAuthenticationRequired'>): EndpointAccess =>
  endpoint.access ?? (endpoint.isAuthenticationRequired ? 'user' : 'anonymous')

/** The body's fields under these settings. */
export const bodyFields = (endpoint: AnyEndpoint, args: SettingsArgs): Schema | undefined => {
  const fields = endpoint.body?.fields
  return typeof fields === 'function' ? fields(args) : fields
}

/** The route's own answers under these settings. */
export const responsesOf = (endpoint: AnyEndpoint, args: SettingsArgs): ResponseMap | undefined =>
  typeof endpoint.responses === 'function' ? endpoint.responses(args) : endpoint.responses

/** The user of a route that declares `access: 'user'` or `'admin'` (dispatch has refused anonymous requests). */
export const requireUser = (ctx: Pick<EndpointContext<unknown>, 'settings' | 'user'>): RestAuthUser => {
  if (!ctx.user) {
    throw notAuthenticated(ctx.settings)
  }
  return ctx.user
}

/**
 * DRF's `permission_denied`: an anonymous request gets NotAuthenticated (with the configured
 * challenge), an authenticated one 403 PermissionDenied.
 */
export const permissionDenied = (ctx: Pick<EndpointContext<unknown>, 'settings' | 'user'>): RestAuthError =>
  !ctx.user && authenticationSchemes(ctx.settings).length > 0
    ? notAuthenticated(ctx.settings)
    : detailError(403, messages.request.permissionDenied)

/** The methods a route's handlers answer under the settings, in DRF's order. */
export const handlerMethods = (endpoint: AnyEndpoint, settings: RestAuthSettings): HttpMethod[] => {
  const allowed = endpoint.allowedMethods?.(settings) ?? HANDLER_METHODS
  return HANDLER_METHODS.filter((method) => endpoint.handlers[method] && allowed.includes(method))
}

/**
 * The methods a route answers, in DRF's `Allow` order: its handlers' methods (as the settings
 * allow them), HEAD wherever GET is (Django answers HEAD with the GET handler), and OPTIONS.
 */
export const answeredMethods = (endpoint: AnyEndpoint, settings: RestAuthSettings): string[] => {
  const methods: string[] = handlerMethods(endpoint, settings)
  return [...methods, ...(methods.includes('get') ? ['head'] : []), 'options'].map((method) => method.toUpperCase())
}

/** A browser's CORS preflight carries no credentials: answered before any check, as django-cors-headers does. */
const isCorsPreflight = (req: PayloadRequest): boolean =>
  req.method?.toUpperCase() === 'OPTIONS' && req.headers.has('access-control-request-method')

/** DRF's `perform_authentication`: a failed credential ends the request before anything else. */
const checkCredentials = (req: PayloadRequest): void => {
  const { failure } = getRequestAuth(req)
  if (failure) {
    throw failure
  }
}

/** `access: 'admin'`: 403 unless an admin calls; a browser's cross-site request is refused whatever its cookies. */
const requireAdmin = ({ options, req, user }: { options: SanitizedRestAuthOptions; req: PayloadRequest; user: RestAuthUser }): void => {
  if (req.headers.get('sec-fetch-site') === 'cross-site' || !options.isAdmin({ req, user })) {
    throw detailError(403, messages.request.permissionDenied)
  }
}

type Args = { options: SanitizedRestAuthOptions; req: PayloadRequest; settings: RestAuthSettings; user: null | RestAuthUser }

/**
 * The declared body, checked as `serializer.is_valid()` would: field checks, the throttle (which
 * counts invalid requests too, as DRF throttles before the view, and reads the values that
 * passed), then the route's further checks; one 400 with every message in the declared order.
 */
const readBody = async (endpoint: AnyEndpoint, args: Args & { data: RequestData; method: string }): Promise<unknown> => {
  const { data, method, ...rest } = args
  const throttle = (values: RequestData) =>
    endpoint.throttle ? checkThrottle({ data: values, options: rest.options, req: rest.req, scope: endpoint.throttle, settings: rest.settings }) : undefined
  const declaration = endpoint.body
  if (!declaration || method === 'GET' || method === 'HEAD' || method === 'DELETE') {
    await throttle({})
    return {}
  }
  if (declaration.read) {
    let body: unknown
    try {
      body = declaration.read({ ...rest, body: data, data })
    } catch (err) {
      await throttle({})
      throw err
    }
    await throttle({})
    return body
  }
  const fields = bodyFields(endpoint, rest) ?? {}
  const { errors, values } = validateFields(data, fields, { partial: method === 'PATCH' })
  await throttle(values)
  const further = (await declaration.check?.({ ...rest, body: values, data }, errors)) ?? {}
  const all = { ...errors, ...further }
  if (Object.keys(all).length > 0) {
    throw fieldErrors(inDeclaredOrder(all, [...Object.keys(fields), ...Object.keys(further)]))
  }
  return values
}

const answer = async (endpoint: AnyEndpoint, args: Omit<Args, 'user'> & { allow: string[] }): Promise<Response> => {
  const { allow, options, req, settings } = args
  const method = (req.method ?? 'GET').toUpperCase()
  if (method === 'OPTIONS' && (isCorsPreflight(req) || !endpoint.metadata)) {
    return emptyResponse({ status: 200 })
  }
  if (!endpoint.ignoresCredentials) {
    checkCredentials(req)
  }
  const user = usersCollectionUser(options, req)
  const access = accessOf(endpoint)
  if (access !== 'anonymous' && !user) {
    throw notAuthenticated(settings)
  }
  if (method === 'OPTIONS') {
    return jsonResponse(metadataBody(endpoint.metadata as EndpointMetadata, { options, settings }))
  }
  const handler = endpoint.handlers[(method === 'HEAD' ? 'get' : method.toLowerCase()) as HttpMethod]
  if (!handler || !allow.includes(method)) {
    throw detailError(405, messages.request.methodNotAllowed(method))
  }
  const crossSiteForm = crossSiteFormFailure({ headers: req.headers, method, payload: req.payload, settings, url: req.url })
  if (crossSiteForm) {
    throw detailError(403, crossSiteForm)
  }
  if (access === 'admin') {
    requireAdmin({ options, req, user: user! })
  }
  if (endpoint.isPermitted && !(await endpoint.isPermitted({ options, req, settings, user }))) {
    throw permissionDenied({ settings, user })
  }
  const data = await parseBody(req)
  const body = await readBody(endpoint, { data, method, options, req, settings, user })
  const response = await handler({ body, data, options, req, settings, user })
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

const dispatch = async (endpoint: AnyEndpoint, options: SanitizedRestAuthOptions, req: PayloadRequest): Promise<Response> => {
  let settings: RestAuthSettings
  try {
    settings = await options.settingsStore.get(req.payload)
    if (endpoint.isEnabled && !endpoint.isEnabled(settings, req)) {
      throw detailError(404, messages.request.notFound)
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
    response = await answer(endpoint, { allow, options, req, settings })
  } catch (err) {
    response = errorResponse(err, req)
  }
  return finishResponse(response, req, settings, allow)
}

/** Payload matches endpoints by method, so a route is registered once per method; 405 is ours. */
export const toPayloadEndpoints = (endpoint: AnyEndpoint, options: SanitizedRestAuthOptions): Endpoint[] =>
  [...HANDLER_METHODS, 'head' as const, 'options' as const].map((method) => ({
    handler: (req: PayloadRequest) => dispatch(endpoint, options, req),
    method,
    path: `/${options.routePrefix}${endpoint.path}`,
  }))
