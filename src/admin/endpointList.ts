import type { Payload, PayloadRequest } from 'payload'

import type { AnyEndpoint, HttpMethod } from '../http/defineEndpoint.js'
import type { RestAuthSettings, SanitizedRestAuthOptions } from '../types.js'

import { restAuthEndpoints } from '../endpoints/index.js'
import { listOpenIdConnectRoutes } from '../endpoints/social.js'
import { requestOrigin, serverOrigin } from '../http/forwarded.js'

const METHOD_ORDER: HttpMethod[] = ['get', 'post', 'put', 'patch', 'delete']

/** One route of the API as the settings screen lists it. */
export type EndpointSummary = {
  isEnabled: boolean
  methods: string[]
  /** Relative to the route prefix, with dj-rest-auth's trailing slash: `/login/`. */
  path: string
  url: string
}

/** `https://example.com/api/dj-rest-auth` (or a path alone when the origin is unknown). */
export const apiBaseUrl = ({ options, origin, payload }: { options: SanitizedRestAuthOptions; origin: string; payload: Payload }): string =>
  `${origin}${payload.config.routes.api.replace(/\/+$/, '')}/${options.routePrefix}`

const methodsOf = (endpoint: AnyEndpoint, settings: RestAuthSettings): string[] => {
  const allowed = endpoint.allowedMethods?.(settings) ?? (Object.keys(endpoint.handlers) as HttpMethod[])
  return METHOD_ORDER.filter((method) => allowed.includes(method)).map((method) => method.toUpperCase())
}

/** Every route of the API with whether the given settings enable it, in dj-rest-auth's URL order; each OpenID Connect provider's routes by slug. */
export const listEndpoints = ({
  baseUrl,
  endpoints = restAuthEndpoints,
  settings,
}: {
  baseUrl: string
  endpoints?: AnyEndpoint[]
  settings: RestAuthSettings
}): EndpointSummary[] =>
  [...endpoints.filter((endpoint) => !endpoint.path.startsWith('/:provider')), ...listOpenIdConnectRoutes(settings)].map((endpoint) => {
    const path = `${endpoint.path}/`
    return {
      isEnabled: endpoint.isEnabled ? endpoint.isEnabled(settings, { routeParams: {} }) : true,
      methods: methodsOf(endpoint, settings),
      path,
      url: `${baseUrl}${path}`,
    }
  })

/** The list under the saved settings, for the settings screen and its refresh endpoint. */
export const loadEndpointList = async ({
  options,
  req,
}: {
  options: SanitizedRestAuthOptions
  req: Pick<PayloadRequest, 'headers' | 'payload' | 'url'>
}): Promise<EndpointSummary[]> => {
  const settings = await options.settingsStore.get(req.payload)
  // Shown to the staff member who asked: their own request's origin will do when serverURL is unset.
  const origin = serverOrigin(req.payload) || requestOrigin({ headers: req.headers, settings, url: req.url }) || ''
  const baseUrl = apiBaseUrl({ options, origin, payload: req.payload })
  return listEndpoints({ baseUrl, settings })
}
