import { ValidationError } from 'payload'

import type { FieldErrors } from '../errors/RestAuthError.js'
import type { EndpointContext } from '../http/defineEndpoint.js'
import type { RestAuthSettings, RestAuthUser } from '../types.js'
import type { Schema } from '../http/fields.js'

import { completeLogin } from '../auth/completeLogin.js'
import {
  isConfirmationSignatureValid,
  parseConfirmationKey,
} from '../emailAddresses/confirmationKeys.js'
import { isEmailTaken } from '../emailAddresses/isEmailTaken.js'
import { confirmationRedirect, sendConfirmation } from '../emailAddresses/sendConfirmation.js'
import { messages } from '../errors/messages.js'
import { detailError, fieldErrors, nonFieldError } from '../errors/RestAuthError.js'
import { defineEndpoint, permissionDenied } from '../http/defineEndpoint.js'
import { inDeclaredOrder, requireValidFields, validateFields } from '../http/fields.js'
import { describeFields, plainField } from '../http/metadata.js'
import { emptyResponse, jsonResponse } from '../http/responses.js'
import { passwordRules } from '../passwords/checkNewPassword.js'
import { validatePassword } from '../passwords/validators.js'
import { normalizeIdentifier } from '../users/findUser.js'
import { generateUsername } from '../users/generateUsername.js'
import { rethrowPayloadValidation } from '../users/payloadErrors.js'
import { validateUsername } from '../users/validateUsername.js'
import { afterResponse } from '../utilities/afterResponse.js'
import { toDatabaseId } from '../utilities/databaseId.js'
import { withTransaction } from '../utilities/withTransaction.js'
import { localApi } from '../utilities/localApi.js'

const USERNAME_MAX = 150

/** RegisterSerializer's fields (allauth's settings decide what is required). */
const registerSerializerFields = (settings: RestAuthSettings): Schema => ({
  username: { maxLength: USERNAME_MAX, minLength: 1, required: settings.accountUsernameRequired },
  email: { kind: 'email', required: settings.accountEmailRequired },
  password1: { required: true },
  password2: { required: true },
})

type RegistrationValues = { email?: string; password1: string; username?: string }

/** RegisterSerializer: field checks first, then the cross-field password match. */
const validateRegistration = async (ctx: EndpointContext): Promise<RegistrationValues> => {
  const { data, options, req, settings } = ctx
  const schema = registerSerializerFields(settings)
  const { errors, values } = validateFields(data, schema)
  const allErrors: FieldErrors = { ...errors }
  if (values.username !== undefined && !allErrors.username) {
    const problems = await validateUsername({ options, req, username: values.username })
    if (problems.length > 0) {
      allErrors.username = problems
    }
  }
  if (values.email !== undefined && !allErrors.email && (await isEmailTaken(ctx, values.email))) {
    allErrors.email = [messages.emailTaken]
  }
  for (const field of options.registrationFields) {
    const value = data[field.name]
    if (value === undefined) {
      if (field.required) {
        allErrors[field.name] = [messages.requiredField]
      }
      continue
    }
    const problems = await field.validate?.({ data, req, value })
    if (problems && problems.length > 0) {
      allErrors[field.name] = problems
    }
  }
  if (values.password1 !== undefined) {
    // allauth's clean_password runs the validators without a user here; save() checks similarity.
    const problems = validatePassword({
      options: { ...passwordRules(settings), userAttributeSimilarity: false },
      password: values.password1,
    })
    if (problems.length > 0) {
      allErrors.password1 = problems
    }
  }
  if (Object.keys(allErrors).length > 0) {
    throw fieldErrors(inDeclaredOrder(allErrors, [...Object.keys(schema), ...options.registrationFields.map((field) => field.name)]))
  }
  if (values.password1 !== values.password2) {
    throw nonFieldError(messages.passwordMismatchRegistration)
  }
  return values as RegistrationValues
}

/**
 * RegisterSerializer.save: once the user's attributes are known (a generated username included),
 * allauth's clean_password runs the validators again with them, before anything is saved.
 */
const checkPasswordAgainstUser = (settings: RestAuthSettings, password: string, user: { email?: string; username: string }): void => {
  const problems = validatePassword({ options: passwordRules(settings), password, user })
  if (problems.length > 0) {
    throw fieldErrors({ non_field_errors: problems })
  }
}

/**
 * A concurrent sign-up won the unique index (the transaction is rolled back by then, so these
 * queries run outside it). Payload names the username even when the e-mail
 * collided, so ask the database which one it was.
 */
const rethrowDuplicate = async (
  ctx: EndpointContext,
  err: unknown,
  { email, username }: { email?: string; username: string },
): Promise<never> => {
  if (!(err instanceof ValidationError)) {
    throw err
  }
  const errors: FieldErrors = {}
  if ((await validateUsername({ options: ctx.options, req: ctx.req, username })).length > 0) {
    errors.username = [messages.usernameTaken]
  }
  if (email && (await isEmailTaken(ctx, email))) {
    errors.email = [messages.emailTaken]
  }
  if (Object.keys(errors).length > 0) {
    throw fieldErrors(errors)
  }
  return rethrowPayloadValidation(err, { email: messages.emailTaken, username: messages.usernameTaken })
}

/**
 * POST registration/. Creates the user and its e-mail address in one transaction; a unique index
 * settles concurrent sign-ups. The confirmation mail is sent after the commit: when it fails the
 * account exists unverified and `registration/resend-email/` sends it again.
 */
export const registrationEndpoint = defineEndpoint({
  handlers: {
    post: async (ctx) => {
      const { options, req, settings } = ctx
      if (!settings.registrationOpen || !(await options.registerAccess({ req }))) {
        throw permissionDenied(ctx)
      }
      const values = await validateRegistration(ctx)
      const email = values.email ? normalizeIdentifier(values.email) : undefined
      const username = values.username ?? (await generateUsername({ email, options, req }))
      checkPasswordAgainstUser(settings, values.password1, { email, username })
      const { address, user } = await withTransaction(req, async ({ undoOnFailure }) => {
        const created = (await localApi(req.payload).create({
          collection: options.usersCollection,
          data: { email: email ?? null, password: values.password1, username },
          depth: 0,
          overrideAccess: true,
          req,
        })) as RestAuthUser
        // Deleting the user deletes its addresses too.
        undoOnFailure(() => localApi(req.payload).delete({ collection: options.usersCollection, id: created.id, overrideAccess: true }))
        // RegisterSerializer.custom_signup: the extra fields, in the same transaction.
        for (const field of options.registrationFields) {
          if (ctx.data[field.name] !== undefined) {
            await field.save({ req, user: created, value: ctx.data[field.name] })
          }
        }
        const createdAddress = email
          ? ((await localApi(req.payload).create({
              collection: options.slugs.emailAddresses,
              data: { email, primary: true, user: created.id, verified: false },
              depth: 0,
              overrideAccess: true,
              req,
            })) as { email: string; id: number | string })
          : null
        return { address: createdAddress, user: created }
      }).catch((err: unknown) => rethrowDuplicate(ctx, err, { email, username }))
      if (address && settings.accountEmailVerification !== 'none') {
        afterResponse(() => sendConfirmation({ address, options, req, settings, user }))
      }
      if (settings.accountEmailVerification === 'mandatory') {
        return jsonResponse({ detail: messages.verificationSent }, { status: 201 })
      }
      return completeLogin(ctx, user, { factors: { first: 'registration' }, issueToken: !settings.sessionLogin || settings.useJwt, status: 201 })
    },
  },
  metadata: {
    // RegisterView has no docstring.
    actions: ({ options, settings }) => ({
      POST: {
        ...describeFields(registerSerializerFields(settings)),
        ...Object.fromEntries(options.registrationFields.map((field) => [field.name, plainField(field.name, { isRequired: field.required })])),
      },
    }),
    description: '',
    name: 'Register',
  },
  path: '/registration',
  throttle: 'registration',
})

const verifyEmailFields = { key: { required: true } } satisfies Schema

const resendEmailFields = { email: { kind: 'email', required: true } } satisfies Schema

/** POST registration/verify-email/: a good key verifies its address once; anything else is 404. */
export const verifyEmailEndpoint = defineEndpoint({
  handlers: {
    post: async ({ data, options, req, settings }) => {
      const { key } = requireValidFields(data, verifyEmailFields)
      const parsed = parseConfirmationKey(key!, settings.emailConfirmationExpireDays * 86400)
      const id = parsed ? toDatabaseId(req.payload, options.slugs.emailAddresses, parsed.id) : null
      const address =
        parsed && id !== null
          ? ((await localApi(req.payload).findByID({
              collection: options.slugs.emailAddresses,
              depth: 0,
              disableErrors: true,
              id,
              overrideAccess: true,
              req,
            })) as { email: string; id: number | string; verified?: boolean } | null)
          : null
      if (!parsed || !address || address.verified || !isConfirmationSignatureValid(req.payload, parsed, address.email)) {
        throw detailError(404, messages.notFound)
      }
      await localApi(req.payload).update({
        collection: options.slugs.emailAddresses,
        data: { verified: true },
        depth: 0,
        id: address.id,
        overrideAccess: true,
        req,
      })
      return jsonResponse({ detail: 'ok' })
    },
  },
  metadata: { actions: () => ({ POST: describeFields(verifyEmailFields) }), description: '', name: 'Verify Email' },
  path: '/registration/verify-email',
  throttle: 'emailVerification',
})

/**
 * POST account-confirm-email/: the route the documentation has projects add next to the others
 * (`account_email_verification_sent`, VerifyEmailView), so clients that post there keep working.
 */
export const accountConfirmEmailEndpoint = defineEndpoint({ ...verifyEmailEndpoint, path: '/account-confirm-email' })

/**
 * GET registration/account-confirm-email/<key>/: dj-rest-auth's `account_confirm_email` is a bare
 * TemplateView that cannot render (its FAQ says so). Here a browser that opens such a link is sent on
 * to the front end's confirmation page (`emailConfirmationUrl`), which posts the key; without that
 * setting there is no page to send it to: 404.
 */
export const accountConfirmEmailRedirectEndpoint = defineEndpoint({
  handlers: {
    get: async ({ req, settings }) => {
      const key = (req.routeParams as Record<string, unknown> | undefined)?.key
      if (!settings.emailConfirmationUrl || typeof key !== 'string' || !/^[-:\w]{1,512}$/.test(key)) {
        throw detailError(404, messages.notFound)
      }
      return emptyResponse({ headers: { Location: confirmationRedirect({ key, settings }) }, status: 302 })
    },
  },
  // A plain Django view: no authentication classes, no DRF metadata.
  ignoresCredentials: true,
  metadata: false,
  path: '/registration/account-confirm-email/:key',
})

/** POST registration/resend-email/: always "ok"; mails only an existing, unverified address. */
export const resendEmailEndpoint = defineEndpoint({
  handlers: {
    post: async ({ data, options, req, settings }) => {
      const { email } = requireValidFields(data, resendEmailFields)
      const { docs } = await localApi(req.payload).find({
        collection: options.slugs.emailAddresses,
        depth: 1,
        limit: 1,
        overrideAccess: true,
        pagination: false,
        req,
        where: { email: { equals: normalizeIdentifier(email!) } },
      })
      const address = docs[0] as { email: string; id: number | string; user: RestAuthUser; verified?: boolean } | undefined
      if (address && !address.verified && address.user && typeof address.user === 'object') {
        afterResponse(() => sendConfirmation({ address, options, req, settings, user: address.user }))
      }
      return jsonResponse({ detail: 'ok' })
    },
  },
  metadata: { actions: () => ({ POST: describeFields(resendEmailFields) }), description: '', name: 'Resend Email Verification' },
  path: '/registration/resend-email',
  throttle: 'resendEmail',
})
