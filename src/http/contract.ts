import type { RestAuthSettings, SanitizedRestAuthOptions } from '../types.js'

/**
 * The data half of an endpoint's declaration: who may call it and what it answers. JSON Schema
 * (2020-12, as OpenAPI 3.1 has it); `#/components/schemas/<name>` points at the shared shapes of
 * src/openapi/components.ts.
 */
export type JsonSchema = { [keyword: string]: unknown }

/** Who may call a route: anyone, an authenticated user (DRF's IsAuthenticated), or an admin (`isAdmin`). */
export type EndpointAccess = 'admin' | 'anonymous' | 'user'

export type SettingsArgs = { options: SanitizedRestAuthOptions; settings: RestAuthSettings }

export type ResponseSpec = {
  description: string
  /** Without a schema the answer has no body (204, 302). */
  schema?: JsonSchema
  /** The body's media type; default `application/json`. */
  mediaType?: string
  /** Names of the headers the answer carries (`Location`, `Set-Cookie`). */
  headers?: string[]
}

/** Status → what the route answers, besides the shared errors every route may answer (see src/openapi/document.ts). */
export type ResponseMap = Partial<Record<number, ResponseSpec>>

export const schemaRef = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` })

/** An object with exactly these properties; all required unless listed in `optional`. */
export const objectSchema = (properties: Record<string, JsonSchema>, { optional = [] as string[], open = false } = {}): JsonSchema => ({
  type: 'object',
  properties,
  required: Object.keys(properties).filter((name) => !optional.includes(name)),
  additionalProperties: open,
})

export const stringSchema: JsonSchema = { type: 'string' }

/** `{"detail": "…"}` with one of these texts (any text when none is given). */
export const detailSchema = (...texts: string[]): JsonSchema =>
  objectSchema({ detail: texts.length === 1 ? { const: texts[0] } : texts.length > 1 ? { enum: texts } : stringSchema })

/** A 200 `{"detail": …}` answer. */
export const detailResponse = (description: string, ...texts: string[]): ResponseSpec => ({ description, schema: detailSchema(...texts) })

/** The 400 of a route whose body is checked: field errors (`non_field_errors` included). */
export const fieldErrorsResponse: ResponseSpec = { description: 'The body is invalid: messages by field.', schema: schemaRef('FieldErrors') }

/** The 401 of a sensitive route outside the reauthentication window (see src/auth/recentAuthentication.ts). */
export const reauthenticationRequiredResponse: ResponseSpec = {
  description: 'The login is not recent enough: POST reauthenticate/ first.',
  schema: schemaRef('ReauthenticationRequired'),
}
