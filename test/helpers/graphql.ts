import type { GraphQLError } from 'graphql'
import type { SanitizedConfig } from 'payload'

import { configToSchema } from '@payloadcms/graphql'
import { createHandler } from 'graphql-http/lib/use/fetch'
import { addDataAndFileToRequest, addLocalesToRequestFromData, createPayloadRequest, headersWithCors, logError, mergeHeaders } from 'payload'

/**
 * `POST /api/graphql` as `@payloadcms/next`'s GRAPHQL_POST serves it in a Next.js app
 * (`dev/app/(payload)/api/graphql/route.ts`): the same request set-up, schema, validation rules and
 * error masking. GRAPHQL_POST keeps one schema per process in a global, which would serve one test
 * app's schema to the next; this builds the schema once per app instead.
 */
export const graphqlHandler = (config: SanitizedConfig, payloadInstanceCacheKey: string) => {
  let built: ReturnType<typeof configToSchema> | undefined
  return async (request: Request): Promise<Response> => {
    // Built at the first request, as GRAPHQL_POST does: a schema that cannot be built fails that
    // request (Next.js answers 500), not the app's start.
    built ??= configToSchema(config)
    const { schema, validationRules } = built
    const originalRequest = request.clone()
    const req = await createPayloadRequest({ canSetHeaders: true, config, payloadInstanceCacheKey, request })
    await addDataAndFileToRequest(req)
    addLocalesToRequestFromData(req)
    const headers: Record<string, string> = {}
    const response = await createHandler({
      context: { headers, req },
      onOperation: (_request, _args, result) => {
        if (!result.errors) {
          return result
        }
        const errors = (result.errors as readonly GraphQLError[]).map((err) => {
          logError({ err, payload: req.payload })
          const status = (err.originalError as { status?: number } | undefined)?.status ?? 500
          return {
            extensions: { name: err.originalError?.name, data: (err.originalError as { data?: unknown } | undefined)?.data, statusCode: status },
            locations: err.locations,
            // Payload hides the text of internal errors unless config.debug is on.
            message: status === 500 && !config.debug ? 'Something went wrong.' : err.message,
            path: err.path,
          }
        })
        return { ...result, errors } as never
      },
      schema,
      validationRules: (_request, args, defaultRules) => defaultRules.concat(validationRules(args)),
    })(originalRequest)
    const responseHeaders = headersWithCors({ headers: new Headers(response.headers), req })
    for (const [name, value] of Object.entries(headers)) {
      responseHeaders.append(name, value)
    }
    return new Response(response.body, {
      headers: req.responseHeaders ? mergeHeaders(req.responseHeaders, responseHeaders) : responseHeaders,
      status: response.status,
    })
  }
}
