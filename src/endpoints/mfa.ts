import type { EndpointContext } from '../http/defineEndpoint.js'
import type { Schema } from '../http/fields.js'
import type { RestAuthUser } from '../types.js'

import { loginAnswer, loginStatus } from '../auth/loginAnswer.js'
import { requireRecentAuthentication } from '../auth/recentAuthentication.js'
import { isEmailVerified } from '../emailAddresses/isEmailVerified.js'
import { messages } from '../errors/messages.js'
import { detailError, fieldErrors, nonFieldError } from '../errors/RestAuthError.js'
import { fieldErrorsResponse, objectSchema, stringSchema } from '../http/contract.js'
import { defineEndpoint, requireUser } from '../http/defineEndpoint.js'
import { recordAuthEvent } from '../events/recordEvent.js'
import { describeFields } from '../http/metadata.js'
import { emptyResponse, jsonResponse } from '../http/responses.js'
import {
  activateTotp,
  hasActiveAuthenticator,
  listAuthenticators,
  regenerateRecoveryCodes,
  removeAuthenticators,
  startTotpSetup,
} from '../mfa/authenticators.js'
import { announceMfaChange } from '../mfa/notify.js'
import { completePendingLogin, pendingLoginExpiredResponse, takePendingLoginAttempt } from '../mfa/pendingLogin.js'
import { totpUrl } from '../mfa/totp.js'
import { useSecondFactor } from '../mfa/useSecondFactor.js'

/*
 * Two-factor authentication (allauth headless's MFA, in dj-rest-auth's shapes): completing a login
 * that the gate in completeLogin stopped (mfa/authenticate/), and the user's own authenticators.
 * Changing them needs a recent proof of identity (requireRecentAuthentication, reauthenticate/).
 */

const authenticateFields = {
  mfa_token: { maxLength: 64, required: true },
  code: { maxLength: 64, required: true },
} satisfies Schema

const codeFields = { code: { maxLength: 64, required: true } } satisfies Schema

const integer = { type: 'integer' }
const nullableInteger = { type: ['integer', 'null'] }
const recoveryCodesSchema = { type: 'array', items: stringSchema }
const countsSchema = { total_code_count: integer, unused_code_count: integer }
const authenticatorsSchema = {
  type: 'array',
  items: objectSchema(
    { type: { enum: ['totp', 'recovery_codes'] }, created_at: nullableInteger, last_used_at: nullableInteger, ...countsSchema },
    { optional: ['total_code_count', 'unused_code_count'] },
  ),
}
const reauthenticationResponse = {
  description: 'The login has not proved the user’s identity recently: reauthenticate/ first.',
  schema: objectSchema({ code: { const: 'reauthentication_required' }, detail: stringSchema, methods: { type: 'array', items: stringSchema } }),
}


/**
 * POST mfa/authenticate/: `{mfa_token, code}` (a TOTP code or a recovery code). Answers as the
 * login it completes would have (token, JWT and cookies, session). An attempt of the pending login
 * is taken before the code is checked; the code is used up by its own compare-and-set and the
 * pending login by another, so a code works once and a login completes once.
 */
export const mfaAuthenticateEndpoint = defineEndpoint({
  body: { fields: authenticateFields },
  handlers: {
    post: async (ctx) => {
      const { body, options, req, settings } = ctx
      const { flow, user } = await takePendingLoginAttempt(ctx, body.mfa_token)
      const second = await useSecondFactor({ code: body.code, options, req, settings, userId: user.id })
      if (!second) {
        await recordAuthEvent({ event: { method: 'mfa', type: 'login_failed', userId: user.id }, options, req, settings })
        throw fieldErrors({ code: [messages.mfa.incorrectCode] })
      }
      return completePendingLogin(ctx, { flow, method: second, user })
    },
  },
  metadata: {
    actions: () => ({ POST: describeFields(authenticateFields) }),
    description: 'Complete a login that asked for a second factor: the mfa_token it answered and a code of the authenticator app, or a recovery code.',
    name: 'MFA Authenticate',
  },
  path: '/mfa/authenticate',
  responses: ({ settings }) => ({ [loginStatus(settings)]: loginAnswer(settings), 400: fieldErrorsResponse, 401: pendingLoginExpiredResponse }),
  summary: 'Complete a login with a TOTP code or a recovery code',
  throttle: 'mfa',
})

/** GET mfa/authenticators/: the user's authenticator app and recovery codes (counts only). */
export const mfaAuthenticatorsEndpoint = defineEndpoint({
  access: 'user',
  handlers: {
    get: async (ctx) => {
      const user = requireUser(ctx)
      return jsonResponse(await listAuthenticators({ ...ctx, userId: user.id }))
    },
  },
  metadata: { description: 'The authenticators of the current user.', name: 'MFA Authenticators' },
  path: '/mfa/authenticators',
  responses: { 200: { description: 'The authenticator app and the recovery codes (counts only).', schema: authenticatorsSchema } },
  summary: 'List the current user’s second factors',
})

const requireVerifiedEmail = async ({ options, req }: Pick<EndpointContext, 'options' | 'req'>, user: RestAuthUser): Promise<void> => {
  if (!(await isEmailVerified({ options, req, user }))) {
    throw nonFieldError(messages.mfa.emailNotVerified)
  }
}

/**
 * POST mfa/totp/setup/: a new seed and its `otpauth://` URL, shown this once; it becomes the user's
 * authenticator when mfa/totp/activate/ gets one of its codes within MFA_LOGIN_TIMEOUT.
 */
export const mfaTotpSetupEndpoint = defineEndpoint({
  access: 'user',
  handlers: {
    post: async (ctx) => {
      const user = requireUser(ctx)
      const { options, req, settings } = ctx
      await requireRecentAuthentication(ctx)
      await requireVerifiedEmail(ctx, user)
      if (await hasActiveAuthenticator({ options, req, userId: user.id })) {
        throw nonFieldError(messages.mfa.alreadyActive)
      }
      const { parameters, secret } = await startTotpSetup({ ...ctx, userId: user.id })
      const issuer = settings.mfaTotpIssuer || settings.siteName
      const label = user.email || user.username || String(user.id)
      return jsonResponse({
        ...parameters,
        expires_in: settings.mfaLoginTimeout,
        issuer,
        secret,
        totp_url: totpUrl({ issuer, label, parameters, secret }),
      })
    },
  },
  isEnabled: (settings) => settings.mfaEnabled,
  metadata: { description: 'Start setting up an authenticator app: its secret and otpauth:// URL.', name: 'TOTP Setup' },
  path: '/mfa/totp/setup',
  responses: {
    200: {
      description: 'The seed (base32) and its otpauth:// URL, shown this once.',
      schema: objectSchema({
        algorithm: stringSchema,
        digits: integer,
        expires_in: integer,
        issuer: stringSchema,
        period: integer,
        secret: stringSchema,
        totp_url: stringSchema,
      }),
    },
    400: fieldErrorsResponse,
    401: reauthenticationResponse,
  },
  summary: 'Start setting up an authenticator app',
})

/** POST mfa/totp/activate/ `{code}`: the authenticator and the recovery codes, shown this once. */
export const mfaTotpActivateEndpoint = defineEndpoint({
  access: 'user',
  body: { fields: codeFields },
  handlers: {
    post: async (ctx) => {
      const user = requireUser(ctx)
      await requireRecentAuthentication(ctx)
      await requireVerifiedEmail(ctx, user)
      const result = await activateTotp({ ...ctx, code: ctx.body.code, userId: user.id })
      if (result === 'incorrect_code') {
        throw fieldErrors({ code: [messages.mfa.incorrectCode] })
      }
      if (result !== 'activated') {
        throw nonFieldError(result === 'already_active' ? messages.mfa.alreadyActive : messages.mfa.setupMissing)
      }
      const recoveryCodes = await regenerateRecoveryCodes({ ...ctx, userId: user.id })
      await announceMfaChange({ ...ctx, notice: 'mfaActivated', user })
      const authenticators = await listAuthenticators({ ...ctx, userId: user.id })
      return jsonResponse({ authenticators, recovery_codes: recoveryCodes })
    },
  },
  isEnabled: (settings) => settings.mfaEnabled,
  metadata: {
    actions: () => ({ POST: describeFields(codeFields) }),
    description: 'Activate the authenticator app set up with mfa/totp/setup/ with one of its codes.',
    name: 'TOTP Activate',
  },
  path: '/mfa/totp/activate',
  responses: {
    200: {
      description: 'The authenticators, and the recovery codes shown this once.',
      schema: objectSchema({ authenticators: authenticatorsSchema, recovery_codes: recoveryCodesSchema }),
    },
    400: fieldErrorsResponse,
    401: reauthenticationResponse,
  },
  summary: 'Activate the authenticator app with one of its codes',
})

/** DELETE mfa/totp/: the authenticator app and the recovery codes go; logins ask for no code any more. */
export const mfaTotpEndpoint = defineEndpoint({
  access: 'user',
  handlers: {
    delete: async (ctx) => {
      const user = requireUser(ctx)
      await requireRecentAuthentication(ctx)
      if (!(await hasActiveAuthenticator({ ...ctx, userId: user.id }))) {
        throw nonFieldError(messages.mfa.notActive)
      }
      await removeAuthenticators({ ...ctx, userId: user.id })
      await announceMfaChange({ ...ctx, notice: 'mfaDeactivated', user })
      return emptyResponse()
    },
  },
  metadata: { description: 'Deactivate the authenticator app, and with it the recovery codes.', name: 'TOTP' },
  path: '/mfa/totp',
  responses: { 204: { description: 'Deactivated.' }, 400: fieldErrorsResponse, 401: reauthenticationResponse },
  summary: 'Deactivate the authenticator app and the recovery codes',
})

const recoveryCounts = async (ctx: EndpointContext<unknown>, userId: number | string) => {
  const entry = (await listAuthenticators({ ...ctx, userId })).find((authenticator) => authenticator.type === 'recovery_codes')
  return { total_code_count: entry?.total_code_count ?? 0, unused_code_count: entry?.unused_code_count ?? 0 }
}

/** GET mfa/recovery-codes/: how many codes are left (never the codes); POST: a new set, shown once. */
export const mfaRecoveryCodesEndpoint = defineEndpoint({
  access: 'user',
  handlers: {
    get: async (ctx) => {
      const user = requireUser(ctx)
      if (!(await hasActiveAuthenticator({ ...ctx, userId: user.id }))) {
        throw detailError(404, messages.request.notFound)
      }
      return jsonResponse(await recoveryCounts(ctx, user.id))
    },
    post: async (ctx) => {
      const user = requireUser(ctx)
      await requireRecentAuthentication(ctx)
      if (!(await hasActiveAuthenticator({ ...ctx, userId: user.id }))) {
        throw nonFieldError(messages.mfa.notActive)
      }
      const recoveryCodes = await regenerateRecoveryCodes({ ...ctx, userId: user.id })
      await announceMfaChange({ ...ctx, notice: 'mfaRecoveryCodesRegenerated', user })
      return jsonResponse({ recovery_codes: recoveryCodes, ...(await recoveryCounts(ctx, user.id)) })
    },
  },
  metadata: { description: 'Recovery codes: how many are left, or a new set that replaces them.', name: 'Recovery Codes' },
  path: '/mfa/recovery-codes',
  responses: {
    200: {
      description: 'GET: the counts; POST: a new set, shown this once, and the counts.',
      schema: objectSchema({ recovery_codes: recoveryCodesSchema, ...countsSchema }, { optional: ['recovery_codes'] }),
    },
    400: fieldErrorsResponse,
    401: reauthenticationResponse,
    404: { description: 'No authenticator app is active.', schema: objectSchema({ detail: { const: messages.request.notFound } }) },
  },
  summary: 'Count the recovery codes left, or make a new set',
})

export const mfaEndpoints = [
  mfaAuthenticateEndpoint,
  mfaAuthenticatorsEndpoint,
  mfaTotpSetupEndpoint,
  mfaTotpActivateEndpoint,
  mfaTotpEndpoint,
  mfaRecoveryCodesEndpoint,
]
