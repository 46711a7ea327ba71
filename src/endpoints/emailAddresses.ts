import type { ResponseSpec } from '../http/contract.js'
import type { EndpointContext } from '../http/defineEndpoint.js'
import type { Schema } from '../http/fields.js'
import type { RestAuthUser } from '../types.js'

import { requireRecentAuthentication } from '../auth/recentAuthentication.js'
import { isEmailTaken } from '../emailAddresses/isEmailTaken.js'
import { sendConfirmation } from '../emailAddresses/sendConfirmation.js'
import { syncPrimaryAddress } from '../emailAddresses/syncPrimaryAddress.js'
import { messages } from '../errors/messages.js'
import { detailError, fieldErrors } from '../errors/RestAuthError.js'
import { recordAuthEvent } from '../events/recordEvent.js'
import { sendNotice } from '../events/sendNotice.js'
import { detailResponse, detailSchema, fieldErrorsResponse, objectSchema, reauthenticationRequiredResponse, stringSchema } from '../http/contract.js'
import { defineEndpoint, requireUser } from '../http/defineEndpoint.js'
import { requireValidFields } from '../http/fields.js'
import { describeFields } from '../http/metadata.js'
import { jsonResponse } from '../http/responses.js'
import { checkThrottle } from '../throttling/checkThrottle.js'
import { normalizeIdentifier } from '../users/findUser.js'
import { afterResponse } from '../utilities/afterResponse.js'
import { localApi } from '../utilities/localApi.js'
import { withTransaction } from '../utilities/withTransaction.js'

/** allauth's ACCOUNT_MAX_EMAIL_ADDRESSES, fixed: a user's rows stay few. */
const MAX_ADDRESSES = 20

type AddressRow = { email: string; id: number | string; primary?: boolean; verified?: boolean }

/** What every method with a body takes: the address (PATCH adds `"primary": true`). */
type AddressBody = { email: string }
type Ctx = EndpointContext<AddressBody>

const emailFields = { email: { kind: 'email', maxLength: 254, required: true } } satisfies Schema

/**
 * The body, checked before the handler: `email` for POST, PUT and DELETE (read by the handler:
 * dispatch reads no DELETE body), and for PATCH `"primary": true` too, a boolean the string
 * fields cannot describe.
 */
const readAddressBody = (ctx: Pick<EndpointContext, 'data' | 'req'>): AddressBody => {
  const { email } = requireValidFields(ctx.data, emailFields)
  if (ctx.req.method?.toUpperCase() === 'PATCH' && ctx.data.primary !== true && ctx.data.primary !== 'true') {
    throw fieldErrors({ primary: [messages.emailAddresses.mustBeTrue] })
  }
  return { email: normalizeIdentifier(email) }
}

const addressesOf = async (ctx: Ctx, user: RestAuthUser): Promise<AddressRow[]> => {
  const { docs } = await localApi(ctx.req.payload).find<AddressRow>({
    collection: ctx.options.slugs.emailAddresses,
    depth: 0,
    overrideAccess: true,
    pagination: false,
    req: ctx.req,
    sort: 'email',
    where: { user: { equals: user.id } },
  })
  // The primary first, as allauth lists them.
  return [...docs].sort((a, b) => Number(Boolean(b.primary)) - Number(Boolean(a.primary)))
}

const listResponse = async (ctx: Ctx, user: RestAuthUser) =>
  jsonResponse(
    (await addressesOf(ctx, user)).map((row) => ({ email: row.email, primary: Boolean(row.primary), verified: Boolean(row.verified) })),
  )

/** One of the user's own addresses; 404 for any other (another user's is no different from none). */
const ownAddress = async (ctx: Ctx, user: RestAuthUser, email: string): Promise<AddressRow> => {
  const row = (await addressesOf(ctx, user)).find((address) => address.email === email)
  if (!row) {
    throw detailError(404, messages.request.notFound)
  }
  return row
}

const event = (ctx: Ctx, user: RestAuthUser, type: string, detail: Record<string, unknown>) =>
  recordAuthEvent({ event: { detail, type, userId: user.id }, options: ctx.options, req: ctx.req, settings: ctx.settings })

/** Only the methods that send mail count against the rate limits (per address and per client). */
const throttleMail = ({ body, options, req, settings }: Ctx) => checkThrottle({ data: body, options, req, scope: 'emailAddresses', settings })

/** POST email/: adds an unverified address and mails its confirmation (registration/verify-email/ confirms it). */
const addAddress = async (ctx: Ctx): Promise<Response> => {
  const user = requireUser(ctx)
  await throttleMail(ctx)
  const { email } = ctx.body
  const own = await addressesOf(ctx, user)
  if (own.some((row) => row.email === email)) {
    throw fieldErrors({ email: [messages.emailAddresses.alreadyYours] })
  }
  if (own.length >= MAX_ADDRESSES) {
    throw fieldErrors({ email: [messages.emailAddresses.tooMany(MAX_ADDRESSES)] })
  }
  // An address another account holds is not added, and the answer is the same: no enumeration.
  if (!(await isEmailTaken(ctx, email))) {
    let address: AddressRow | null = null
    try {
      address = await localApi(ctx.req.payload).create<AddressRow>({
        collection: ctx.options.slugs.emailAddresses,
        data: { email, primary: false, user: user.id, verified: false },
        depth: 0,
        overrideAccess: true,
        req: ctx.req,
      })
    } catch {
      // A concurrent request took the address first (its unique index): answered as taken.
    }
    if (address) {
      const added = address
      await event(ctx, user, 'email_added', { email })
      afterResponse(() => sendConfirmation({ address: added, options: ctx.options, req: ctx.req, settings: ctx.settings, user }))
    }
  }
  return jsonResponse({ detail: messages.account.verificationSent })
}

/** PUT email/: mails the confirmation of one of the user's unverified addresses again. */
const resendConfirmation = async (ctx: Ctx): Promise<Response> => {
  const user = requireUser(ctx)
  await throttleMail(ctx)
  const row = await ownAddress(ctx, user, ctx.body.email)
  if (row.verified) {
    throw fieldErrors({ email: [messages.emailAddresses.alreadyVerified] })
  }
  afterResponse(() => sendConfirmation({ address: row, options: ctx.options, req: ctx.req, settings: ctx.settings, user }))
  return jsonResponse({ detail: messages.account.verificationSent })
}

/**
 * PATCH email/ with `{"email", "primary": true}`: a verified address becomes the primary one and the
 * user's login e-mail follows. Recent authentication required; the old address gets a notice.
 */
const makePrimary = async (ctx: Ctx): Promise<Response> => {
  const user = requireUser(ctx)
  const { email } = ctx.body
  const row = await ownAddress(ctx, user, email)
  if (!row.verified) {
    throw fieldErrors({ email: [messages.emailAddresses.notVerified] })
  }
  if (row.primary && normalizeIdentifier(user.email ?? '') === email) {
    return listResponse(ctx, user)
  }
  await requireRecentAuthentication(ctx)
  const { options, req, settings } = ctx
  const oldEmail = user.email ?? null
  await withTransaction(req, async () => {
    await localApi(req.payload).update({
      collection: options.usersCollection,
      data: { email },
      depth: 0,
      id: user.id,
      overrideAccess: true,
      req,
    })
    await syncPrimaryAddress({ email, options, req, userId: user.id, verified: true })
  })
  await event(ctx, user, 'email_primary_changed', { from: oldEmail, to: email })
  if (oldEmail && normalizeIdentifier(oldEmail) !== email) {
    afterResponse(() => sendNotice({ event: 'email_primary_changed', options, req, settings, to: oldEmail, user }))
  }
  return listResponse(ctx, { ...user, email })
}

/** DELETE email/ with `{"email"}`: removes one of the user's addresses, never the primary one. */
const removeAddress = async (ctx: Ctx): Promise<Response> => {
  const user = requireUser(ctx)
  // dispatch reads no DELETE body: checked here as the other methods' are.
  const row = await ownAddress(ctx, user, readAddressBody(ctx).email)
  if (row.primary || normalizeIdentifier(user.email ?? '') === row.email) {
    throw fieldErrors({ email: [messages.emailAddresses.cannotRemovePrimary] })
  }
  await localApi(ctx.req.payload).delete({
    collection: ctx.options.slugs.emailAddresses,
    depth: 0,
    id: row.id,
    overrideAccess: true,
    req: ctx.req,
  })
  await event(ctx, user, 'email_removed', { email: row.email })
  return listResponse(ctx, user)
}

const addressSchema = objectSchema({ email: stringSchema, primary: { type: 'boolean' }, verified: { type: 'boolean' } })

/** POST and PUT send mail: their own rate limits (the route declares no `throttle`, which would count GET too). */
const throttledResponse: ResponseSpec = { description: 'Throttled: `Retry-After` says when to try again.', schema: detailSchema() }

/**
 * email/ as allauth headless's `account/email`: GET lists the user's addresses (`email`,
 * `verified`, `primary`), POST adds one, PUT resends a confirmation, PATCH makes a verified one
 * primary, DELETE removes a non-primary one.
 */
export const emailAddressesEndpoint = defineEndpoint<typeof emailFields, AddressBody>({
  access: 'user',
  body: { fields: emailFields, read: readAddressBody },
  handlers: {
    delete: removeAddress,
    get: async (ctx) => listResponse(ctx, requireUser(ctx)),
    patch: makePrimary,
    post: addAddress,
    put: resendConfirmation,
  },
  metadata: {
    actions: () => ({ POST: describeFields(emailFields), PUT: describeFields(emailFields) }),
    description: `The user's e-mail addresses: list, add (a confirmation mail), resend (PUT), make primary (PATCH with
"primary": true; recent authentication), remove (DELETE).`,
    name: 'Email Addresses',
  },
  path: '/email',
  responses: {
    200: {
      description: 'GET, PATCH, DELETE: the addresses (the primary first); POST, PUT: the confirmation mail is on its way (the same answer for an address another account holds).',
      schema: { anyOf: [{ type: 'array', items: addressSchema }, detailSchema(messages.account.verificationSent)] },
    },
    400: { ...fieldErrorsResponse, description: 'An invalid address, one already yours or verified, not verified (PATCH), the primary one (DELETE), too many, or `primary` not true.' },
    401: { ...reauthenticationRequiredResponse, description: 'PATCH: the login is not recent enough.' },
    404: detailResponse('Not one of your addresses.', messages.request.notFound),
    429: throttledResponse,
  },
  summary: "List, add, confirm again, make primary or remove the user's e-mail addresses",
})
