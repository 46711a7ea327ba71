import type { RestAuthSettings } from '../types.js'

import { loginAnswer, loginStatus } from '../auth/loginAnswer.js'
import { messages } from '../errors/messages.js'
import { fieldErrors } from '../errors/RestAuthError.js'
import { findFlow } from '../flows/flowStore.js'
import { fieldErrorsResponse, objectSchema, stringSchema } from '../http/contract.js'
import { defineEndpoint } from '../http/defineEndpoint.js'
import { describeFields } from '../http/metadata.js'
import { jsonResponse } from '../http/responses.js'
import { MFA_LOGIN_FLOW } from '../mfa/gate.js'
import { completePendingLogin, pendingLoginExpired, pendingLoginExpiredResponse, takePendingLoginAttempt } from '../mfa/pendingLogin.js'
import { CeremonyError, finishAssertion, SECOND_FACTOR_FLOW, startUserAssertion } from '../webauthn/ceremonies.js'
import { listCredentials } from '../webauthn/credentials.js'
import { requireCeremonyFields } from '../webauthn/requestFields.js'

/*
 * A passkey as the second factor of a login the gate in completeLogin stopped (src/mfa/gate.ts):
 * options for the user's passkeys with the pending login's `mfa_token`, then the assertion. The
 * challenge has a flow of its own, bound to the pending login and consumed before verification; the
 * pending login keeps its attempts (mfaMaxAttempts) and is consumed once, after a good assertion.
 */

const isOn = (settings: RestAuthSettings): boolean => settings.webauthnEnabled

const optionsFields = { mfa_token: { maxLength: 64, required: true } } as const
const authenticateFields = {
  mfa_token: { maxLength: 64, required: true },
  flow_token: { required: true },
  credential: { helpText: 'The assertion for the options of mfa/webauthn/options/.', required: true },
} as const
const { credential: _credential, ...authenticateStringFields } = authenticateFields


/** POST mfa/webauthn/options/ (ours): request options for the pending login's user's passkeys. */
export const mfaWebauthnOptionsEndpoint = defineEndpoint({
  body: { fields: optionsFields },
  handlers: {
    post: async (ctx) => {
      const { body, options, req } = ctx
      const found = await findFlow({ kind: MFA_LOGIN_FLOW, options, req, token: body.mfa_token })
      if (found.status !== 'ok' || found.flow.user == null) {
        throw pendingLoginExpired()
      }
      const userId = found.flow.user
      if ((await listCredentials({ options, req, userId })).length === 0) {
        throw fieldErrors({ mfa_token: [messages.webauthn.noPasskey] })
      }
      const { flowToken, requestOptions } = await startUserAssertion(ctx, { kind: SECOND_FACTOR_FLOW, loginFlow: found.flow.id, userId })
      return jsonResponse({ flow_token: flowToken, request_options: requestOptions })
    },
  },
  isEnabled: isOn,
  metadata: {
    actions: () => ({ POST: describeFields(optionsFields) }),
    description: 'Options to complete a login that asked for a second factor with one of the user\'s passkeys.',
    name: 'MFA WebAuthn Options',
  },
  path: '/mfa/webauthn/options',
  responses: {
    200: {
      description: 'PublicKeyCredentialRequestOptionsJSON (the user\'s passkeys) and the flow token for mfa/webauthn/authenticate/.',
      schema: objectSchema({ flow_token: stringSchema, request_options: { type: 'object' } }),
    },
    400: fieldErrorsResponse,
    401: pendingLoginExpiredResponse,
  },
  summary: 'Start the second factor of a login with a passkey',
  throttle: 'mfa',
})

/**
 * POST mfa/webauthn/authenticate/ (ours): `{mfa_token, flow_token, credential}`. Answers as the
 * login it completes would have, as mfa/authenticate/ does with a code.
 */
export const mfaWebauthnAuthenticateEndpoint = defineEndpoint({
  body: { fields: authenticateFields, read: (ctx) => requireCeremonyFields(ctx.data, authenticateStringFields, Object.keys(authenticateFields)) },
  handlers: {
    post: async (ctx) => {
      const { body, options, req, settings } = ctx
      const { flow, user } = await takePendingLoginAttempt(ctx, body.mfa_token!)
      try {
        await finishAssertion(ctx, {
          credential: body.credential,
          flowToken: body.flow_token!,
          kind: SECOND_FACTOR_FLOW,
          loginFlow: flow.id,
          requirePasswordless: false,
          requireUserVerification: false,
          userId: user.id,
        })
      } catch (err) {
        if (err instanceof CeremonyError) {
          throw fieldErrors(err.reason === 'flow' ? { flow_token: [messages.webauthn.flowInvalid] } : { credential: [messages.webauthn.notVerified] })
        }
        throw err
      }
      return completePendingLogin(ctx, { flow, method: 'webauthn', user })
    },
  },
  isEnabled: isOn,
  metadata: {
    actions: () => ({ POST: describeFields(authenticateFields) }),
    description: 'Complete a login that asked for a second factor with a passkey assertion.',
    name: 'MFA WebAuthn Authenticate',
  },
  path: '/mfa/webauthn/authenticate',
  responses: ({ settings }) => ({ [loginStatus(settings)]: loginAnswer(settings), 400: fieldErrorsResponse, 401: pendingLoginExpiredResponse }),
  summary: 'Complete a login with a passkey as the second factor',
  throttle: 'mfa',
})
