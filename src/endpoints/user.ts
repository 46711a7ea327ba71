import type { FieldErrors } from '../errors/RestAuthError.js'
import type { EndpointContext, EndpointHandler } from '../http/defineEndpoint.js'
import type { EndpointMetadata } from '../http/metadata.js'
import type { RestAuthUser } from '../types.js'
import type { BodyValues, Schema } from '../http/fields.js'

import { messages } from '../errors/messages.js'
import { defineEndpoint, requireUser } from '../http/defineEndpoint.js'
import { fieldErrorsResponse, schemaRef } from '../http/contract.js'
import { describeFields, plainField } from '../http/metadata.js'
import { jsonResponse } from '../http/responses.js'
import { evictUserFromTokenCache } from '../tokens/tokenStore.js'
import { rethrowPayloadValidation } from '../users/payloadErrors.js'
import { serializeUser } from '../users/serializeUser.js'
import { validateUsername } from '../users/validateUsername.js'
import { localApi } from '../utilities/localApi.js'
import { withTransaction } from '../utilities/withTransaction.js'

const NAME_MAX = 150

/** UserDetailsSerializer's writable fields (Django's User model: verbose names and help text). */
const userFields = {
  username: {
    helpText: 'Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only.',
    maxLength: NAME_MAX,
    required: true,
  },
  first_name: { allowBlank: true, maxLength: NAME_MAX },
  last_name: { allowBlank: true, maxLength: NAME_MAX },
} satisfies Schema

type UserBody = Partial<BodyValues<typeof userFields>>

const getUser: EndpointHandler<UserBody> = async (ctx) => {
  const user = requireUser(ctx)
  return jsonResponse(await serializeUser({ options: ctx.options, req: ctx.req, user }))
}

/** UserDetailsSerializer's validators beyond the fields' own: the username's rules and uniqueness, the options' extra fields. */
const checkUser = async (ctx: EndpointContext<UserBody>, errors: FieldErrors): Promise<FieldErrors> => {
  const { body, data, options, req } = ctx
  const user = requireUser(ctx)
  const more: FieldErrors = {}
  if (body.username !== undefined && !errors.username) {
    const usernameErrors = await validateUsername({ exceptUserId: user.id, options, req, username: body.username })
    if (usernameErrors.length > 0) {
      more.username = usernameErrors
    }
  }
  for (const field of options.userDetailsFields) {
    if (field.write && field.name in data) {
      const fieldMessages = await field.validate?.({ req, user, value: data[field.name] })
      if (fieldMessages?.length) {
        more[field.name] = fieldMessages
      }
    }
  }
  return more
}

/** PUT and PATCH user/: username, first_name, last_name and the extra fields; pk and email are read-only. */
const updateUser: EndpointHandler<UserBody> = async (ctx) => {
  const user = requireUser(ctx)
  const { body: values, data, options, req } = ctx
  const extraValues = options.userDetailsFields.filter((field) => field.write && field.name in data).map((field) => ({ field, value: data[field.name] }))
  const updated = await withTransaction(req, async () => {
    let doc: RestAuthUser = user
    if (Object.keys(values).length > 0) {
      doc = await localApi(req.payload)
        .update<RestAuthUser>({
          collection: options.usersCollection,
          data: values,
          depth: 0,
          id: user.id,
          overrideAccess: true,
          req,
        })
        .catch((err: unknown) => rethrowPayloadValidation(err, { username: messages.account.usernameTaken }))
    }
    for (const { field, value } of extraValues) {
      await field.write!({ req, user: doc, value })
    }
    // A field's write may change the user itself: answer what is stored.
    return extraValues.length > 0
      ? localApi(req.payload).findByID<RestAuthUser>({ collection: options.usersCollection, depth: 0, id: user.id, overrideAccess: true, req })
      : doc
  })
  evictUserFromTokenCache(req.payload, user.id)
  return jsonResponse(await serializeUser({ options, req, user: updated }))
}

/** UserDetailsSerializer as OPTIONS shows it: pk and email read-only, then the plugin's extra fields. */
const userDetailsInfo: NonNullable<EndpointMetadata['actions']> = ({ options }) => {
  const { first_name, last_name, username } = describeFields(userFields)
  return {
    PUT: {
      pk: { type: 'integer', required: false, read_only: true, label: 'ID' },
      username: username!,
      email: { type: 'email', required: false, read_only: true, label: 'Email address' },
      first_name: first_name!,
      last_name: last_name!,
      ...Object.fromEntries(options.userDetailsFields.map((field) => [field.name, plainField(field.name, { isReadOnly: !field.write })])),
    },
  }
}

export const userEndpoint = defineEndpoint({
  access: 'user',
  body: { check: checkUser, fields: userFields },
  handlers: { get: getUser, patch: updateUser, put: updateUser },
  metadata: {
    actions: userDetailsInfo,
    description: `Reads and updates UserModel fields
Accepts GET, PUT, PATCH methods.

Default accepted fields: username, first_name, last_name
Default display fields: pk, username, email, first_name, last_name
Read-only fields: pk, email

Returns UserModel fields.`,
    name: 'User Details',
  },
  path: '/user',
  responses: {
    200: { description: "The user's details (PUT and PATCH: as saved).", schema: schemaRef('User') },
    400: fieldErrorsResponse,
  },
  summary: "Read or update the current user's details",
})
