import { ValidationError } from 'payload'

import type { FieldErrors } from '../errors/RestAuthError.js'
import type { EndpointContext } from '../http/defineEndpoint.js'
import type { RestAuthSettings, RestAuthUser } from '../types.js'
import type { BodyValues, FieldSpec, Schema } from '../http/fields.js'

import type { RequestData } from '../http/parseBody.js'

import { completeLogin } from '../auth/completeLogin.js'
import { acceptCode, codeKinds, consumeCodeFlow, flowAnswer, flowAnswerSchema, incorrectCode, startCodeFlow } from '../codes/codeFlow.js'
import { sendCodeMail } from '../codes/codeMails.js'
import { codeErrorResponses, loginAnswerWithCodeFlow } from '../codes/codeResponses.js'
import {
  isConfirmationSignatureValid,
  parseConfirmationKey,
} from '../emailAddresses/confirmationKeys.js'
import { isEmailTaken } from '../emailAddresses/isEmailTaken.js'
import { confirmationRedirect, sendConfirmation } from '../emailAddresses/sendConfirmation.js'
import { messages } from '../errors/messages.js'
import { detailError, fieldErrors, nonFieldError } from '../errors/RestAuthError.js'
import { defineEndpoint } from '../http/defineEndpoint.js'
import { loginAnswer, loginStatus } from '../auth/loginAnswer.js'
import { detailResponse, fieldErrorsResponse } from '../http/contract.js'
import { requireValidFields } from '../http/fields.js'
import { describeFields, plainField } from '../http/metadata.js'
import { emptyResponse, jsonResponse, withJsonFields } from '../http/responses.js'
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
import { markAddressVerified } from '../emailAddresses/markVerified.js'

const USERNAME_MAX = 150

/** RegisterSerializer's fields (allauth's settings decide what is required). */
const registerSerializerFields = ({ settings }: { settings: RestAuthSettings }) =>
  ({
    username: { maxLength: USERNAME_MAX, minLength: 1, required: settings.accountUsernameRequired },
    email: { kind: 'email', required: settings.accountEmailRequired },
    password1: { required: true },
    password2: { required: true },
  }) as { email: FieldSpec; password1: { required: true }; password2: { required: true }; username: FieldSpec }

type RegistrationBody = BodyValues<ReturnType<typeof registerSerializerFields>>

/**
 * RegisterSerializer's field validators beyond the fields' own checks: the username's rules and
 * uniqueness, the address's uniqueness, the options' extra fields and the password validators
 * (allauth's clean_password without a user here; save() checks similarity). Their messages join
 * the fields' in one 400.
 */
const checkRegistration = async (ctx: EndpointContext<Partial<RegistrationBody>>, errors: FieldErrors): Promise<FieldErrors> => {
  const { body: values, data, options, req, settings } = ctx
  const more: FieldErrors = {}
  if (values.username !== undefined && !errors.username) {
    const problems = await validateUsername({ options, req, username: values.username })
    if (problems.length > 0) {
      more.username = problems
    }
  }
  if (values.email !== undefined && !errors.email && (await isEmailTaken(ctx, values.email))) {
    more.email = [messages.account.emailTaken]
  }
  for (const field of options.registrationFields) {
    const value = data[field.name]
    if (value === undefined) {
      if (field.required) {
        more[field.name] = [messages.field.requiredField]
      }
      continue
    }
    const problems = await field.validate?.({ data, req, value })
    if (problems && problems.length > 0) {
      more[field.name] = problems
    }
  }
  if (values.password1 !== undefined) {
    const problems = validatePassword({
      options: { ...passwordRules(settings), userAttributeSimilarity: false },
      password: values.password1,
    })
    if (problems.length > 0) {
      more.password1 = problems
    }
  }
  return more
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
    errors.username = [messages.account.usernameTaken]
  }
  if (email && (await isEmailTaken(ctx, email))) {
    errors.email = [messages.account.emailTaken]
  }
  if (Object.keys(errors).length > 0) {
    throw fieldErrors(errors)
  }
  return rethrowPayloadValidation(err, { email: messages.account.emailTaken, username: messages.account.usernameTaken })
}

/**
 * POST registration/. Creates the user and its e-mail address in one transaction; a unique index
 * settles concurrent sign-ups. The confirmation mail is sent after the commit: when it fails the
 * account exists unverified and `registration/resend-email/` sends it again.
 */
export const registrationEndpoint = defineEndpoint({
  body: { check: checkRegistration, fields: registerSerializerFields },
  handlers: {
    post: async (ctx) => {
      const { options, req, settings } = ctx
      const values = ctx.body
      // RegisterSerializer.validate: the cross-field check, once every field is valid.
      if (values.password1 !== values.password2) {
        throw nonFieldError(messages.account.passwordMismatchRegistration)
      }
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
      let codeFlow: ReturnType<typeof flowAnswer> | undefined
      if (address && settings.accountEmailVerification !== 'none') {
        if (settings.emailVerificationByCode) {
          const { code, token } = await startCodeFlow(ctx, { email: address.email, kind: codeKinds.verifyEmail, userId: user.id })
          codeFlow = flowAnswer(token, ctx)
          afterResponse(() => sendCodeMail(ctx, { code, kind: 'e-mail confirmation code', token, user: { ...user, email: address.email } }))
        } else {
          afterResponse(() => sendConfirmation({ address, options, req, settings, user }))
        }
      }
      if (settings.accountEmailVerification === 'mandatory') {
        return jsonResponse({ detail: messages.account.verificationSent, ...codeFlow }, { status: 201 })
      }
      // The client needs the flow token to post the code with; a 204 (session only) has no body to carry it.
      return withJsonFields(
        await completeLogin(ctx, user, { issueToken: !settings.sessionLogin || settings.useJwt, methods: [{ method: 'password' }], status: 201 }),
        codeFlow,
      )
    },
  },
  metadata: {
    // RegisterView has no docstring.
    actions: ({ options, settings }) => ({
      POST: {
        ...describeFields(registerSerializerFields({ settings })),
        ...Object.fromEntries(options.registrationFields.map((field) => [field.name, plainField(field.name, { isRequired: field.required })])),
      },
    }),
    description: '',
    name: 'Register',
  },
  isPermitted: async ({ options, req, settings }) => settings.registrationOpen && (await options.registerAccess({ req })),
  path: '/registration',
  responses: ({ options, settings }) => ({
    ...(settings.accountEmailVerification === 'mandatory'
      ? {
          201: settings.emailVerificationByCode
            ? { description: 'Signed up; the confirmation code is on its way, to be posted with this flow token.', schema: flowAnswerSchema(messages.account.verificationSent) }
            : detailResponse('Signed up; the confirmation mail is on its way.', messages.account.verificationSent),
        }
      : {
          [loginStatus(settings, { issueToken: !settings.sessionLogin || settings.useJwt, status: 201 })]: (settings.emailVerificationByCode &&
          settings.accountEmailVerification !== 'none'
            ? loginAnswerWithCodeFlow
            : loginAnswer)(settings, { issueToken: !settings.sessionLogin || settings.useJwt }),
        }),
    400: fieldErrorsResponse,
  }),
  summary: 'Sign up',
  throttle: 'registration',
})

const verifyEmailFields = { key: { required: true } } satisfies Schema

/** EMAIL_VERIFICATION_BY_CODE: the flow token of registration/ or resend-email/, and the mailed code. */
const verifyEmailCodeFields = { flow_token: { maxLength: 64, required: true }, code: { maxLength: 32, required: true } } satisfies Schema

type VerifyEmailBody = ({ kind: 'code' } & BodyValues<typeof verifyEmailCodeFields>) | ({ kind: 'key' } & BodyValues<typeof verifyEmailFields>)

/** With emailVerificationByCode, a body without `key` is a code; keys of earlier mails still work. */
const readVerifyEmailBody = ({ data, settings }: { data: RequestData; settings: RestAuthSettings }): VerifyEmailBody =>
  settings.emailVerificationByCode && !('key' in data)
    ? { kind: 'code', ...(requireValidFields(data, verifyEmailCodeFields) as BodyValues<typeof verifyEmailCodeFields>) }
    : { kind: 'key', ...(requireValidFields(data, verifyEmailFields) as BodyValues<typeof verifyEmailFields>) }

type AddressRow = { email: string; id: number | string; user: number | string | { id: number | string }; verified?: boolean }

/**
 * registration/verify-email/ with a code: the right code of an open flow verifies its address
 * once (wrong: 400 `{"code": [...]}`; expired, used up or used: 401, see acceptCode).
 */
const verifyEmailByCode = async (ctx: EndpointContext<unknown>, { code, flow_token: token }: BodyValues<typeof verifyEmailCodeFields>): Promise<Response> => {
  const { options, req } = ctx
  const flow = await acceptCode(ctx, { code, kind: codeKinds.verifyEmail, token })
  const { docs } = await localApi(req.payload).find({
    collection: options.slugs.emailAddresses,
    depth: 0,
    limit: 1,
    overrideAccess: true,
    pagination: false,
    req,
    where: { email: { equals: flow.email ?? '' } },
  })
  const address = docs[0] as AddressRow | undefined
  const ownerId = address && (typeof address.user === 'object' ? address.user.id : address.user)
  if (!address || (flow.user !== null && flow.user !== undefined && String(ownerId) !== String(flow.user))) {
    // A flow of resend-email/ for an address nobody has: its code was never mailed.
    throw incorrectCode()
  }
  await withTransaction(req, async () => {
    await consumeCodeFlow(ctx, flow)
    if (!address.verified) {
      await markAddressVerified({ id: address.id, options, req })
    }
  })
  return jsonResponse({ detail: messages.account.ok })
}

const resendEmailFields = { email: { kind: 'email', required: true } } satisfies Schema

/**
 * POST registration/verify-email/: a good key verifies its address once; anything else is 404.
 * With emailVerificationByCode, a body without `key` is a code (see verifyEmailByCode).
 */
export const verifyEmailEndpoint = defineEndpoint({
  handlers: {
    post: async (ctx) => {
      if (ctx.body.kind === 'code') {
        return verifyEmailByCode(ctx, ctx.body)
      }
      const { body, options, req, settings } = ctx
      const parsed = parseConfirmationKey(body.key, settings.emailConfirmationExpireDays * 86400)
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
        throw detailError(404, messages.request.notFound)
      }
      await markAddressVerified({ id: address.id, options, req })
      return jsonResponse({ detail: messages.account.ok })
    },
  },
  body: {
    fields: ({ settings }) => (settings.emailVerificationByCode ? verifyEmailCodeFields : verifyEmailFields) as Schema,
    read: readVerifyEmailBody,
  },
  metadata: {
    actions: ({ settings }) => ({ POST: describeFields(settings.emailVerificationByCode ? verifyEmailCodeFields : verifyEmailFields) }),
    description: '',
    name: 'Verify Email',
  },
  path: '/registration/verify-email',
  responses: ({ settings }) => ({
    200: detailResponse('The address is verified.', messages.account.ok),
    400: fieldErrorsResponse,
    404: detailResponse('The key is unknown, expired, already used or forged.', messages.request.notFound),
    ...(settings.emailVerificationByCode ? codeErrorResponses : {}),
  }),
  summary: 'Verify an e-mail address with the key of its confirmation mail',
  throttle: 'emailVerification',
})

/**
 * POST account-confirm-email/: the route the documentation has projects add next to the others
 * (`account_email_verification_sent`, VerifyEmailView), so clients that post there keep working.
 */
export const accountConfirmEmailEndpoint = defineEndpoint({ ...verifyEmailEndpoint, path: '/account-confirm-email', summary: 'Verify an e-mail address (the route the documentation has projects add)' })

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
        throw detailError(404, messages.request.notFound)
      }
      return emptyResponse({ headers: { Location: confirmationRedirect({ key, settings }) }, status: 302 })
    },
  },
  // A plain Django view: no authentication classes, no DRF metadata.
  ignoresCredentials: true,
  metadata: false,
  path: '/registration/account-confirm-email/:key',
  responses: {
    302: { description: "To the front end's confirmation page (emailConfirmationUrl), which posts the key.", headers: ['Location'] },
    404: detailResponse('No confirmation page is configured, or the key is malformed.', messages.request.notFound),
  },
  summary: 'Open a confirmation link: redirects to the front end',
})

type PendingAddress = { email: string; id: number | string; user: RestAuthUser; verified?: boolean }

/** The unverified address row of `email` with its user (what resend-email/ mails), or null. */
const findPendingAddress = async ({ options, req }: EndpointContext<unknown>, email: string): Promise<null | PendingAddress> => {
  const { docs } = await localApi(req.payload).find({
    collection: options.slugs.emailAddresses,
    depth: 1,
    limit: 1,
    overrideAccess: true,
    pagination: false,
    req,
    where: { email: { equals: email } },
  })
  const address = docs[0] as PendingAddress | undefined
  return address && !address.verified && address.user && typeof address.user === 'object' ? address : null
}

/**
 * resend-email/ with emailVerificationByCode: a flow for every well-formed address, the same
 * answer with its token; the lookup and the code mail (to an unverified address only) follow it.
 */
const resendCode = async (ctx: EndpointContext<unknown>, raw: string): Promise<Response> => {
  const { req } = ctx
  const email = normalizeIdentifier(raw)
  const { code, token } = await startCodeFlow(ctx, { email, kind: codeKinds.verifyEmail })
  afterResponse(async () => {
    try {
      const address = await findPendingAddress(ctx, email)
      if (address) {
        await sendCodeMail(ctx, { code, kind: 'e-mail confirmation code', token, user: { ...address.user, email } })
      }
    } catch (err) {
      req.payload.logger.error({ err, msg: 'payload-rest-auth: could not prepare an e-mail confirmation code' })
    }
  })
  return jsonResponse({ detail: messages.account.ok, ...flowAnswer(token, ctx) })
}

/** POST registration/resend-email/: always "ok"; mails only an existing, unverified address. */
export const resendEmailEndpoint = defineEndpoint({
  handlers: {
    post: async (ctx) => {
      const { body: { email }, options, req, settings } = ctx
      if (settings.emailVerificationByCode) {
        return resendCode(ctx, email)
      }
      const address = await findPendingAddress(ctx, normalizeIdentifier(email))
      if (address) {
        afterResponse(() => sendConfirmation({ address, options, req, settings, user: address.user }))
      }
      return jsonResponse({ detail: messages.account.ok })
    },
  },
  body: { fields: resendEmailFields },
  metadata: { actions: () => ({ POST: describeFields(resendEmailFields) }), description: '', name: 'Resend Email Verification' },
  path: '/registration/resend-email',
  responses: ({ settings }) => ({
    200: settings.emailVerificationByCode
      ? { description: 'The same answer for every address, with the flow token to post the mailed code with.', schema: flowAnswerSchema(messages.account.ok) }
      : detailResponse('The same answer for every address.', messages.account.ok),
    400: fieldErrorsResponse,
  }),
  summary: 'Send the confirmation mail (or code) of an unverified address again',
  throttle: 'resendEmail',
})
