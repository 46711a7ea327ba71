import type { EndpointContext } from '../http/defineEndpoint.js'
import type { Flow, FlowLookup } from '../flows/flowStore.js'

import type { JsonSchema } from '../http/contract.js'

import { messages } from '../errors/messages.js'
import { objectSchema } from '../http/contract.js'
import { detailError, fieldErrors, type RestAuthError } from '../errors/RestAuthError.js'
import { checkFlowSecret, consumeFlow, findFlow, renewSecret, startFlow } from '../flows/flowStore.js'
import { generateCode, normalizeCode } from './codes.js'

/*
 * Mailed codes (login, e-mail verification, password reset) as flows of the flow store: the client
 * holds the flow token, the row keeps the token's digest and the code's digest keyed with it, so a
 * code completes only the flow it was mailed for, and only the kind of flow it was mailed for.
 */

export const codeKinds = {
  login: 'code-login',
  passwordReset: 'code-password-reset',
  verifyEmail: 'code-verify-email',
} as const

export type CodeKind = (typeof codeKinds)[keyof typeof codeKinds]

type Ctx = Pick<EndpointContext, 'options' | 'req' | 'settings'>

/** What the answers that open or renew a code flow add: the token the client posts the code with. */
export const flowAnswer = (token: string, ctx: Ctx): { expires_in: number; flow_token: string } => ({
  expires_in: ctx.settings.codeTimeout,
  flow_token: token,
})

/** That answer's schema, with its `detail` (for the OpenAPI document). */
export const flowAnswerSchema = (detail: string): JsonSchema =>
  objectSchema({
    detail: { const: detail },
    expires_in: { description: 'Seconds the mailed code stays valid.', type: 'integer' },
    flow_token: { description: 'Posted with the mailed code.', type: 'string' },
  })

/** Opens a flow with a fresh code; the caller mails the code (or, for an unknown address, not). */
export const startCodeFlow = async (
  ctx: Ctx,
  { data, email, kind, userId }: { data?: Record<string, unknown>; email: string; kind: CodeKind; userId?: number | string },
): Promise<{ code: string; flow: Flow; token: string }> => {
  const code = generateCode(ctx.settings.codeFormat)
  const { flow, token } = await startFlow({
    data,
    email,
    kind,
    maxAttempts: ctx.settings.codeMaxAttempts,
    options: ctx.options,
    req: ctx.req,
    secret: code,
    ttlSeconds: ctx.settings.codeTimeout,
    userId,
  })
  return { code, flow, token }
}

/** Why a flow cannot take a code any more: 401, each case with its own `code`. */
export const closedFlowError = (lookup: FlowLookup): RestAuthError => {
  if (lookup.status === 'expired') {
    return detailError(401, messages.code.expired, { code: 'code_expired' })
  }
  if (lookup.status === 'exhausted') {
    return detailError(401, messages.code.attemptsExhausted, { code: 'code_attempts_exhausted' })
  }
  return detailError(401, messages.code.flowInvalid, { code: 'flow_invalid' })
}

export const incorrectCode = (): RestAuthError => fieldErrors({ code: [messages.code.incorrect] })

/** The open flow a token names, without spending an attempt (to check a new password first). */
export const openCodeFlow = async (ctx: Ctx, { kind, token }: { kind: CodeKind; token: string }): Promise<Flow> => {
  const lookup = await findFlow({ kind, options: ctx.options, req: ctx.req, token })
  if (lookup.status !== 'ok') {
    throw closedFlowError(lookup)
  }
  return lookup.flow
}

/**
 * Checks a code at the cost of one attempt, reserved atomically before the check: 400
 * `{"code": ["Incorrect code."]}` while attempts remain, 401 once the flow is expired, used up or
 * gone. A match does not consume the flow (see consumeCodeFlow).
 */
export const acceptCode = async (ctx: Ctx, { code, kind, token }: { code: string; kind: CodeKind; token: string }): Promise<Flow> => {
  const { isMatch, lookup } = await checkFlowSecret({ kind, options: ctx.options, req: ctx.req, secret: normalizeCode(code), token })
  if (lookup.status !== 'ok') {
    throw closedFlowError(lookup)
  }
  if (!isMatch) {
    throw incorrectCode()
  }
  return lookup.flow
}

/** Uses the flow up, once: of parallel confirmations with the right code exactly one gets here. */
export const consumeCodeFlow = async (ctx: Ctx, flow: Flow): Promise<void> => {
  if (!(await consumeFlow({ flow, options: ctx.options, req: ctx.req }))) {
    throw detailError(401, messages.code.flowInvalid, { code: 'flow_invalid' })
  }
}

/**
 * A new code for an open flow, voiding the old one, with a fresh expiry; attempts already spent
 * stay spent. 429 once the flow had `codeMaxResends` new codes (counted atomically by the store).
 */
export const renewCode = async (ctx: Ctx, { flow: current, token }: { flow: Flow; token: string }): Promise<{ code: string; flow: Flow }> => {
  const code = generateCode(ctx.settings.codeFormat)
  const flow = await renewSecret({
    flow: current,
    maxRenewals: ctx.settings.codeMaxResends,
    options: ctx.options,
    req: ctx.req,
    secret: code,
    token,
    ttlSeconds: ctx.settings.codeTimeout,
  })
  if (flow) {
    return { code, flow }
  }
  // Either the flow closed meanwhile, or its resends are used up: say which.
  const lookup = await findFlow({ kind: current.kind, options: ctx.options, req: ctx.req, token })
  if (lookup.status !== 'ok') {
    throw closedFlowError(lookup)
  }
  throw detailError(429, messages.code.resendLimit, { code: 'code_resend_limit' })
}
