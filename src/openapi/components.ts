import type { JsonSchema } from '../http/contract.js'
import type { SanitizedRestAuthOptions } from '../types.js'

import { objectSchema, stringSchema } from '../http/contract.js'

const messagesList: JsonSchema = { type: 'array', items: stringSchema }

/** A database id: a number on SQL databases with serial ids, a string on MongoDB or with text ids. */
const idSchema: JsonSchema = { type: ['integer', 'string'] }

/** UserDetailsSerializer: pk, username, email, first_name, last_name, and the `userDetailsFields` option's fields. */
const userSchema = (options: SanitizedRestAuthOptions): JsonSchema => {
  const extra = Object.fromEntries(options.userDetailsFields.map((field) => [field.name, field.schema ?? {}]))
  return objectSchema({ pk: idSchema, username: stringSchema, email: stringSchema, first_name: stringSchema, last_name: stringSchema, ...extra })
}

const jwtLogin = (options: SanitizedRestAuthOptions, withExpiration: boolean): JsonSchema =>
  objectSchema({
    access: stringSchema,
    refresh: { type: 'string', description: 'Empty when the refresh token lives in an HttpOnly cookie (JWT_AUTH_HTTPONLY).' },
    user: { $ref: '#/components/schemas/User' },
    ...(withExpiration ? { access_expiration: { type: 'string', format: 'date-time' }, refresh_expiration: { type: 'string', format: 'date-time' } } : {}),
  })

/** The shapes several routes share: dj-rest-auth's two error shapes, simplejwt's, the user, the login answers. */
export const componentSchemas = (options: SanitizedRestAuthOptions): Record<string, JsonSchema> => ({
  Detail: objectSchema({ detail: stringSchema }),
  FieldErrors: {
    type: 'object',
    description: 'Messages by field name; `non_field_errors` for the body as a whole. A nested object (allauth\'s `token`) has its own messages by field.',
    additionalProperties: { anyOf: [messagesList, { type: 'object', additionalProperties: messagesList }] },
  },
  TokenError: objectSchema(
    {
      detail: stringSchema,
      code: stringSchema,
      messages: { type: 'array', items: { type: 'object', additionalProperties: stringSchema } },
    },
    { optional: ['code', 'messages'] },
  ),
  ReauthenticationRequired: objectSchema({
    detail: stringSchema,
    code: { const: 'reauthentication_required' },
    methods: { type: 'array', items: stringSchema, description: 'What POST reauthenticate/ accepts from this user.' },
  }),
  User: userSchema(options),
  TokenLogin: objectSchema({ key: stringSchema }),
  JwtLogin: jwtLogin(options, false),
  JwtLoginWithExpiration: jwtLogin(options, true),
  SocialProvider: objectSchema(
    {
      provider: stringSchema,
      name: stringSchema,
      protocol: { enum: ['oauth1', 'oauth2'] },
      client_id: stringSchema,
      authorization_url: stringSchema,
      callback_url: stringSchema,
      scope: { type: 'array', items: stringSchema },
    },
    { open: true },
  ),
  SocialAccount: objectSchema({
    id: idSchema,
    provider: stringSchema,
    uid: stringSchema,
    last_login: { type: 'string', format: 'date-time' },
    date_joined: { type: 'string', format: 'date-time' },
  }),
})
