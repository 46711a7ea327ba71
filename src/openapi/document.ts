import type { AnyEndpoint, HttpMethod } from '../http/defineEndpoint.js'
import type { JsonSchema, ResponseMap, ResponseSpec, SettingsArgs } from '../http/contract.js'
import type { Schema } from '../http/fields.js'
import type { AuthScheme } from '../strategies/authenticationClasses.js'

import { accessOf, bodyFields, handlerMethods, responsesOf } from '../http/defineEndpoint.js'
import { schemaRef } from '../http/contract.js'
import { authenticationSchemes } from '../strategies/authenticationClasses.js'
import { componentSchemas } from './components.js'

export type OpenApiDocument = Record<string, unknown> & { paths: Record<string, Record<string, Record<string, unknown>>> }

/** The API's version in the document (the routes and shapes of dj-rest-auth), not the package's. */
const API_VERSION = '1'

const MEDIA_TYPES = ['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data']

const UNSAFE: HttpMethod[] = ['post', 'put', 'patch', 'delete']

/** `/socialaccounts/:id/disconnect` → `/socialaccounts/{id}/disconnect/`: OpenAPI's templates, dj-rest-auth's trailing slash. */
export const openApiPath = (path: string): string => `${path.replace(/:(\w+)/g, '{$1}')}/`

const pathParameters = (path: string) =>
  [...path.matchAll(/:(\w+)/g)].map(([, name]) => ({ in: 'path', name, required: true, schema: { type: 'string' } }))

/** A body field as JSON Schema: DRF's CharField (or EmailField), with its length limits. */
const fieldSchema = (spec: Schema[string]): JsonSchema => ({
  type: 'string',
  ...(spec.kind === 'email' ? { format: 'email' } : {}),
  ...(spec.minLength !== undefined ? { minLength: spec.minLength } : {}),
  ...(spec.maxLength !== undefined ? { maxLength: spec.maxLength } : {}),
  ...(spec.helpText ? { description: spec.helpText } : {}),
})

/** The fields an option of the plugin adds to a body (registrationFields, userDetailsFields), marked as such. */
const optionFields = (endpoint: AnyEndpoint, { options }: SettingsArgs): { properties: Record<string, JsonSchema>; required: string[] } => {
  if (endpoint.path === '/registration') {
    return {
      properties: Object.fromEntries(
        options.registrationFields.map((field) => [field.name, { ...(field.schema ?? {}), 'x-payload-rest-auth-option': 'registrationFields' }]),
      ),
      required: options.registrationFields.filter((field) => field.required).map((field) => field.name),
    }
  }
  if (endpoint.path === '/user') {
    const writable = options.userDetailsFields.filter((field) => field.write)
    return {
      properties: Object.fromEntries(writable.map((field) => [field.name, { ...(field.schema ?? {}), 'x-payload-rest-auth-option': 'userDetailsFields' }])),
      required: [],
    }
  }
  return { properties: {}, required: [] }
}

const requestBody = (endpoint: AnyEndpoint, method: HttpMethod, args: SettingsArgs): Record<string, unknown> | undefined => {
  if (!endpoint.body || method === 'get' || method === 'delete') {
    return undefined
  }
  const fields = bodyFields(endpoint, args) ?? {}
  const extra = optionFields(endpoint, args)
  const required = method === 'patch' ? [] : [...Object.keys(fields).filter((name) => fields[name]!.required), ...extra.required]
  const schema: JsonSchema = {
    type: 'object',
    properties: { ...Object.fromEntries(Object.entries(fields).map(([name, spec]) => [name, fieldSchema(spec)])), ...extra.properties },
    ...(required.length > 0 ? { required } : {}),
  }
  return { required: required.length > 0, content: Object.fromEntries(MEDIA_TYPES.map((type) => [type, { schema }])) }
}

const detail = (description: string): ResponseSpec => ({ description, schema: schemaRef('Detail') })

/**
 * What any route may answer besides its own: bad credentials (401 or 403 as the first
 * authentication class has it), CSRF and cross-site forms (403), unreadable bodies (400, 413, 415),
 * rate limits (429), and the server's own failures (500, 503).
 */
const sharedResponses = (endpoint: AnyEndpoint, method: HttpMethod): ResponseMap => {
  const isUnsafe = UNSAFE.includes(method)
  const readsCredentials = !endpoint.ignoresCredentials
  return {
    ...(isUnsafe
      ? {
          400: { description: 'The body cannot be parsed, or is not an object.', schema: { anyOf: [schemaRef('Detail'), schemaRef('FieldErrors')] } },
          413: detail('The body is too large.'),
          415: detail('Unsupported media type.'),
        }
      : {}),
    ...(readsCredentials ? { 401: { description: 'The credentials sent are refused, or missing where they are needed.', schema: schemaRef('TokenError') } } : {}),
    ...(readsCredentials || isUnsafe
      ? { 403: { description: 'Permission denied, a CSRF failure, or refused credentials under session authentication.', schema: schemaRef('TokenError') } }
      : {}),
    ...(endpoint.throttle ? { 429: detail('Throttled: `Retry-After` says when to try again.') } : {}),
    500: detail('A server error occurred.'),
    503: detail('The database (or the password checks) is busy or unavailable: `Retry-After`.'),
  }
}

/** A route's own answer and the shared one of the same status: either shape. */
const mergeSpec = (own: ResponseSpec | undefined, shared: ResponseSpec | undefined): ResponseSpec => {
  if (!own || !shared) {
    return (own ?? shared)!
  }
  if (!own.schema || !shared.schema || own.mediaType) {
    return own
  }
  return { ...own, schema: { anyOf: [own.schema, shared.schema] } }
}

const toOpenApiResponse = (spec: ResponseSpec): Record<string, unknown> => ({
  description: spec.description,
  ...(spec.headers ? { headers: Object.fromEntries(spec.headers.map((name) => [name, { schema: { type: 'string' } }])) } : {}),
  ...(spec.schema ? { content: { [spec.mediaType ?? 'application/json']: { schema: spec.schema } } } : {}),
})

const responses = (endpoint: AnyEndpoint, method: HttpMethod, args: SettingsArgs): Record<string, unknown> => {
  const own = responsesOf(endpoint, args) ?? { 200: { description: 'Success.' } }
  const shared = sharedResponses(endpoint, method)
  const statuses = [...new Set([...Object.keys(own), ...Object.keys(shared)].map(Number))].sort((a, b) => a - b)
  return Object.fromEntries(statuses.map((status) => [String(status), toOpenApiResponse(mergeSpec(own[status], shared[status]))]))
}

/** The security schemes the settings turn on: the Token header, Bearer JWTs (and the JWT cookie), the session cookie with X-CSRFToken. */
const securitySchemes = ({ settings }: SettingsArgs, schemes: AuthScheme[]): Record<string, unknown> => ({
  ...(schemes.includes('token')
    ? { TokenAuth: { type: 'apiKey', in: 'header', name: 'Authorization', description: '`Token <key>`, the key login/ answers (DRF TokenAuthentication).' } }
    : {}),
  ...(schemes.includes('jwt')
    ? {
        BearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'The access token login/ and token/refresh/ answer.' },
        ...(settings.jwtAuthCookie ? { JwtCookie: { type: 'apiKey', in: 'cookie', name: settings.jwtAuthCookie, description: 'The access token in JWT_AUTH_COOKIE.' } } : {}),
      }
    : {}),
  ...(schemes.includes('session')
    ? { SessionCookie: { type: 'apiKey', in: 'cookie', name: settings.sessionCookieName, description: 'The session login/ starts with SESSION_LOGIN.' } }
    : {}),
  ...(schemes.includes('session') || (schemes.includes('jwt') && settings.jwtAuthCookie)
    ? { CsrfToken: { type: 'apiKey', in: 'header', name: 'X-CSRFToken', description: `The value of the ${settings.csrfCookieName} cookie, repeated on unsafe requests a cookie authenticates.` } }
    : {}),
})

/** Who may call the operation: any one of the enabled schemes (cookies with X-CSRFToken on unsafe methods). */
const securityOf = (method: HttpMethod, { settings }: SettingsArgs, schemes: AuthScheme[]): Record<string, string[]>[] => {
  const csrf: Record<string, string[]> = UNSAFE.includes(method) ? { CsrfToken: [] } : {}
  return schemes.flatMap((scheme): Record<string, string[]>[] => {
    if (scheme === 'token') return [{ TokenAuth: [] }]
    if (scheme === 'session') return [{ SessionCookie: [], ...csrf }]
    return [{ BearerAuth: [] }, ...(settings.jwtAuthCookie ? [{ JwtCookie: [], ...(settings.jwtAuthCookieUseCsrf ? csrf : {}) }] : [])]
  })
}

const operationId = (method: HttpMethod, path: string): string =>
  [method, ...path.split(/[^A-Za-z0-9]+/).filter(Boolean)].map((part, index) => (index === 0 ? part : part[0]!.toUpperCase() + part.slice(1))).join('')

/**
 * The OpenAPI 3.1 document of the API under these settings: the enabled routes and the methods the
 * settings allow, each with its body, its answers (login/'s as the current mode has it), who may
 * call it, and the shared error shapes.
 */
export const buildOpenApiDocument = ({
  endpoints,
  serverUrl,
  ...args
}: SettingsArgs & { endpoints: AnyEndpoint[]; serverUrl: string }): OpenApiDocument => {
  const schemes = authenticationSchemes(args.settings)
  const paths: OpenApiDocument['paths'] = {}
  for (const endpoint of endpoints) {
    if (endpoint.isEnabled && !endpoint.isEnabled(args.settings, { routeParams: {} })) {
      continue
    }
    const access = accessOf(endpoint)
    const operations: Record<string, Record<string, unknown>> = {}
    for (const method of handlerMethods(endpoint, args.settings)) {
      const body = requestBody(endpoint, method, args)
      const parameters = pathParameters(endpoint.path)
      operations[method] = {
        operationId: operationId(method, endpoint.path),
        summary: endpoint.summary ?? (endpoint.metadata ? endpoint.metadata.name : endpoint.path),
        ...(endpoint.metadata && endpoint.metadata.description ? { description: endpoint.metadata.description } : {}),
        tags: [access === 'admin' ? 'admin' : endpoint.path.split('/')[1]!],
        ...(parameters.length > 0 ? { parameters } : {}),
        ...(body ? { requestBody: body } : {}),
        responses: responses(endpoint, method, args),
        ...(access === 'anonymous' ? {} : { security: securityOf(method, args, schemes) }),
        ...(access === 'admin' ? { 'x-payload-rest-auth-access': 'admin' } : {}),
      }
    }
    if (Object.keys(operations).length > 0) {
      paths[openApiPath(endpoint.path)] = operations
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'payload-rest-auth',
      version: API_VERSION,
      description: "dj-rest-auth's REST API on Payload CMS, as this site's settings have it.",
    },
    servers: [{ url: serverUrl }],
    paths,
    components: { schemas: componentSchemas(args.options), securitySchemes: securitySchemes(args, schemes) },
  }
}
