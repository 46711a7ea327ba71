import type { EndpointContext } from '../http/defineEndpoint.js'
import type { Schema } from '../http/fields.js'

import { completeLogin } from '../auth/completeLogin.js'
import { loginAnswer, loginStatus } from '../auth/loginAnswer.js'
import { revokeAllCredentials } from '../auth/revokeCredentials.js'
import { sendCodeMail, sendUnknownAccountMail } from '../codes/codeMails.js'
import { findMailRecipient } from '../codes/mailRecipient.js'
import { acceptCode, codeKinds, consumeCodeFlow, flowAnswer, flowAnswerSchema, incorrectCode, openCodeFlow, renewCode, startCodeFlow } from '../codes/codeFlow.js'
import { codeErrorResponses } from '../codes/codeResponses.js'
import { mfaRequiredResponse } from '../mfa/gate.js'
import { messages } from '../errors/messages.js'
import { defineEndpoint } from '../http/defineEndpoint.js'
import { fieldErrorsResponse, objectSchema, schemaRef } from '../http/contract.js'
import { describeFields } from '../http/metadata.js'
import { jsonResponse } from '../http/responses.js'
import { proveAddressByReset, sendAddressProvenMail } from '../passwordReset/proveAddress.js'
import { checkThrottle } from '../throttling/checkThrottle.js'
import { findUser, normalizeIdentifier, withoutSecrets } from '../users/findUser.js'
import { afterResponse } from '../utilities/afterResponse.js'
import { withTransaction } from '../utilities/withTransaction.js'

/*
 * Login by a code mailed to the address (allauth headless's login by code), for apps that cannot
 * open links. The answer never depends on the account: every well-formed address gets a flow and
 * the same 202 after the same work; the lookup and the mail follow the answer. A code is bound to
 * its flow, kept only as a keyed digest, short-lived and attempt-limited (src/codes/codeFlow.ts).
 */

const requestFields = { email: { kind: 'email', required: true } } satisfies Schema
const confirmFields = { flow_token: { maxLength: 64, required: true }, code: { maxLength: 32, required: true } } satisfies Schema
const resendFields = { flow_token: { maxLength: 64, required: true } } satisfies Schema

const isEnabled = (settings: EndpointContext['settings']) => settings.loginByCodeEnabled

/** The account's code, or (emailUnknownAccounts) the word that there is none. Runs after the answer. */
const mailLoginCode = async (ctx: EndpointContext, { code, email, token }: { code: string; email: string; token: string }): Promise<void> => {
  try {
    const user = await findMailRecipient(ctx, email)
    if (user && user.is_active !== false) {
      await sendCodeMail(ctx, { code, kind: 'login code', token, user: { ...user, email } })
    } else if (!user && ctx.settings.emailUnknownAccounts) {
      await sendUnknownAccountMail(ctx, email)
    }
  } catch (err) {
    ctx.req.payload.logger.error({ err, msg: 'payload-rest-auth: could not prepare a login code e-mail' })
  }
}

/** POST code/request/: 202 with a flow token for every well-formed address. */
export const codeRequestEndpoint = defineEndpoint({
  body: { fields: requestFields },
  handlers: {
    post: async (ctx) => {
      const email = normalizeIdentifier(ctx.body.email)
      const { code, token } = await startCodeFlow(ctx, { email, kind: codeKinds.login })
      afterResponse(() => mailLoginCode(ctx, { code, email, token }))
      return jsonResponse({ detail: messages.code.sent, ...flowAnswer(token, ctx) }, { status: 202 })
    },
  },
  isEnabled,
  metadata: {
    actions: () => ({ POST: describeFields(requestFields) }),
    description: 'Mails a login code to the address and returns the flow token to confirm it with.',
    name: 'Request Login Code',
  },
  path: '/code/request',
  responses: {
    202: { description: 'The same answer for every address, with the flow token to post the mailed code with.', schema: flowAnswerSchema(messages.code.sent) },
    400: fieldErrorsResponse,
  },
  summary: 'Mail a login code',
  throttle: 'codeRequest',
})

/** POST code/resend/: a new code for the flow, voiding the old one; the same answer for every flow. */
export const codeResendEndpoint = defineEndpoint({
  body: { fields: resendFields },
  handlers: {
    post: async (ctx) => {
      const { flow_token: token } = ctx.body
      const current = await openCodeFlow(ctx, { kind: codeKinds.login, token })
      const email = current.email ?? ''
      // Counted with code/request/'s per-address limit, before the old code is voided.
      await checkThrottle({ ...ctx, data: { email }, only: 'account', scope: 'codeRequest' })
      const { code } = await renewCode(ctx, { flow: current, token })
      afterResponse(() => mailLoginCode(ctx, { code, email, token }))
      return jsonResponse({ detail: messages.code.sent, ...flowAnswer(token, ctx) }, { status: 202 })
    },
  },
  isEnabled,
  metadata: {
    actions: () => ({ POST: describeFields(resendFields) }),
    description: 'Mails a new login code for the flow; the previous code stops working.',
    name: 'Resend Login Code',
  },
  path: '/code/resend',
  responses: {
    202: { description: 'A new code is on its way; the previous one no longer matches.', schema: flowAnswerSchema(messages.code.sent) },
    400: fieldErrorsResponse,
    ...codeErrorResponses,
    429: {
      description: 'codeMaxResends new codes were sent for this flow (`code_resend_limit`), or a rate limit.',
      schema: objectSchema({ code: { const: 'code_resend_limit' }, detail: { const: messages.code.resendLimit } }),
    },
  },
  summary: 'Mail a new login code for the flow',
  throttle: 'codeResend',
})

/**
 * POST code/confirm/: the right code of an open flow logs its account in, once, and proves the
 * address (an unverified one becomes verified; provider accounts connected while it was unproven
 * are removed and the account's other credentials revoked, as a reset does).
 */
export const codeConfirmEndpoint = defineEndpoint({
  body: { fields: confirmFields },
  handlers: {
    post: async (ctx) => {
      const { options, req, settings } = ctx
      const { code, flow_token: token } = ctx.body
      const flow = await acceptCode(ctx, { code, kind: codeKinds.login, token })
      const found = flow.email ? await findUser({ options, req, where: { email: { equals: flow.email } } }) : null
      if (!found || found.is_active === false) {
        // Only an account's own mailbox ever got this flow's code.
        throw incorrectCode()
      }
      const user = withoutSecrets(found)
      const removed = await withTransaction(req, async () => {
        await consumeCodeFlow(ctx, flow)
        const accounts = await proveAddressByReset({ options, req, user })
        if (accounts.length > 0) {
          await revokeAllCredentials({ options, reason: 'address_proven', req, userId: user.id })
        }
        return accounts
      })
      if (removed.length > 0) {
        afterResponse(() => sendAddressProvenMail({ options, req, settings }, { provenBy: 'login code', removed, user }))
      }
      return completeLogin(ctx, user, { methods: [{ method: 'code' }] })
    },
  },
  isEnabled,
  metadata: {
    actions: () => ({ POST: describeFields(confirmFields) }),
    description: 'Checks the mailed code of the flow and answers as login/.',
    name: 'Confirm Login Code',
  },
  path: '/code/confirm',
  responses: ({ settings }) => ({
    [loginStatus(settings)]: loginAnswer(settings),
    400: { description: 'A field is invalid, or the code is wrong (`{"code": ["Incorrect code."]}`) while attempts remain.', schema: schemaRef('FieldErrors') },
    // The code is a first factor: a user with two-factor authentication gets the gate's 401 instead of credentials.
    401: {
      description: `${codeErrorResponses[401]!.description} Or: ${mfaRequiredResponse.description}`,
      schema: { anyOf: [codeErrorResponses[401]!.schema, mfaRequiredResponse.schema] },
    },
  }),
  summary: 'Log in with a mailed code',
  throttle: 'codeConfirm',
})
