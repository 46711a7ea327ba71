import type { Payload, PayloadRequest } from 'payload'

import type { RestAuthSettings, SanitizedRestAuthOptions } from '../types.js'
import type { OpenApiDocument } from './document.js'

import { adminEndpoints } from '../admin/endpoints.js'
import { listOpenIdConnectRoutes } from '../endpoints/social.js'
import { restAuthEndpoints } from '../endpoints/index.js'
import { requestOrigin, serverOrigin } from '../http/forwarded.js'
import { buildOpenApiDocument } from './document.js'

/** Every route of the plugin for the document: the OpenID Connect providers' by slug, the admin's last. */
const allEndpoints = (settings: RestAuthSettings) => [
  ...restAuthEndpoints.filter((endpoint) => !endpoint.path.startsWith('/:provider')),
  ...listOpenIdConnectRoutes(settings),
  ...adminEndpoints,
]

/** `https://example.com/api/dj-rest-auth`, or the path alone when the origin is unknown. */
export const apiServerUrl = ({ options, origin, payload }: { options: SanitizedRestAuthOptions; origin: string; payload: Pick<Payload, 'config'> }): string =>
  `${origin}${payload.config.routes.api.replace(/\/+$/, '')}/${options.routePrefix}`

/** The document under the given (saved) settings. */
export const openApiDocumentFor = ({
  options,
  origin,
  payload,
  settings,
}: {
  options: SanitizedRestAuthOptions
  origin: string
  payload: Pick<Payload, 'config'>
  settings: RestAuthSettings
}): OpenApiDocument =>
  buildOpenApiDocument({ endpoints: allEndpoints(settings), options, serverUrl: apiServerUrl({ options, origin, payload }), settings })

/** The document under the saved settings, its server at serverURL (or, outside it, the request's own origin). */
export const loadOpenApiDocument = async ({
  options,
  req,
}: {
  options: SanitizedRestAuthOptions
  req: Pick<PayloadRequest, 'headers' | 'payload' | 'url'>
}): Promise<OpenApiDocument> => {
  const settings = await options.settingsStore.get(req.payload)
  const origin = serverOrigin(req.payload) || requestOrigin({ headers: req.headers, settings, url: req.url }) || ''
  return openApiDocumentFor({ options, origin, payload: req.payload, settings })
}
