import type { AnyEndpoint, EndpointHandler } from '../http/defineEndpoint.js'

import { stringify } from 'yaml'

import { defineEndpoint } from '../http/defineEndpoint.js'
import { jsonResponse, textResponse } from '../http/responses.js'
import { loadOpenApiDocument } from '../openapi/load.js'

/**
 * The `openApiAccess` setting: `off` unmounts the routes (404), `staff` lets admins in (as the
 * `isAdmin` option decides), `public` everyone.
 */
const openApiRoute = (
  format: 'json' | 'yaml',
  handler: EndpointHandler,
): AnyEndpoint =>
  defineEndpoint({
    handlers: { get: handler },
    isEnabled: (settings) => settings.openApiAccess !== 'off',
    isPermitted: ({ options, req, settings, user }) => settings.openApiAccess === 'public' || (user !== null && options.isAdmin({ req, user })),
    metadata: { description: `The OpenAPI 3.1 document of this API, as ${format.toUpperCase()}.`, name: `OpenAPI ${format.toUpperCase()}` },
    path: `/openapi.${format}`,
    responses: {
      200:
        format === 'json'
          ? { description: 'The OpenAPI 3.1 document.', schema: { type: 'object' } }
          : { description: 'The OpenAPI 3.1 document, as YAML.', mediaType: 'application/yaml', schema: { type: 'string' } },
    },
    summary: `This document (${format.toUpperCase()})`,
  })

/** GET openapi.json (ours): the document generated from the routes' declarations and the saved settings. */
export const openApiJsonEndpoint = openApiRoute('json', async ({ options, req }) => jsonResponse(await loadOpenApiDocument({ options, req })))

/** GET openapi.yaml (ours): the same document as YAML. */
export const openApiYamlEndpoint = openApiRoute('yaml', async ({ options, req }) =>
  textResponse(stringify(await loadOpenApiDocument({ options, req }), { aliasDuplicateObjects: false }), 'application/yaml; charset=utf-8'),
)
