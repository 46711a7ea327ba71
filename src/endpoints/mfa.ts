import type { EndpointContext } from '../http/defineEndpoint.js'
import type { Schema } from '../http/fields.js'
import type { PendingLogin } from '../mfa/gate.js'
import type { RestAuthUser } from '../types.js'

import { completeLogin } from '../auth/completeLogin.js'
import { isEmailVerified } from '../emailAddresses/isEmailVerified.js'
import { messages } from '../errors/messages.js'
import { detailError, fieldErrors, nonFieldError } from '../errors/RestAuthError.js'
import { consumeFlow, findFlow, reserveAttempt } from '../flows/flowStore.js'
import { defineEndpoint, requireUser } from '../http/defineEndpoint.js'
import { requireValidFields } from '../http/fields.js'
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
import { MFA_LOGIN_FLOW } from '../mfa/gate.js'
import { sendMfaNotice } from '../mfa/notify.js'
import { totpUrl } from '../mfa/totp.js'
import { useSecondFactor } from '../mfa/useSecondFactor.js'
import { checkThrottle } from '../throttling/checkThrottle.js'
import { findUserById, withoutSecrets } from '../users/findUser.js'

/*
 * Two-factor authentication (allauth headless's MFA, in dj-rest-auth's shapes): completing a login
 * that the gate in completeLogin stopped (mfa/authenticate/), and the user's own authenticators.
 */

const authenticateFields = {
  mfa_token: { maxLength: 64, required: true },
  code: { maxLength: 64, required: true },
} satisfies Schema

const codeFields = { code: { maxLength: 64, required: true } } satisfies Schema

/** Unknown, used, expired or out of attempts: the client must log in again. */
const loginExpired = () => detailError(401, messages.mfaLoginExpired, 'mfa_login_expired')

/**
 * POST mfa/authenticate/: `{mfa_token, code}` (a TOTP code or a recovery code). Answers as the
 * login it completes would have (token, JWT and cookies, session). An attempt of the pending login
 * is taken before the code is checked; the code is used up by its own compare-and-set and the
 * pending login by another, so a code works once and a login completes once.
 */
export const mfaAuthenticateEndpoint = defineEndpoint({
  handlers: {
    post: async (ctx) => {
      const { options, req, settings } = ctx
      const { code, mfa_token: token } = requireValidFields(ctx.data, authenticateFields)
      const found = await findFlow({ kind: MFA_LOGIN_FLOW, options, req, token: token! })
      if (found.status !== 'ok' || found.flow.user == null) {
        throw loginExpired()
      }
      // Per account as well as per address: an attacker with the password starts new logins to get new attempts.
      await checkThrottle({ account: `user:${found.flow.user}`, data: ctx.data, options, req, scope: 'mfa', settings })
      const { lookup } = await reserveAttempt({ kind: MFA_LOGIN_FLOW, options, req, token: token! })
      if (lookup.status !== 'ok') {
        throw loginExpired()
      }
      const { flow } = lookup
      const user = await findUserById({ id: flow.user!, options, req })
      if (!user || user.is_active === false) {
        throw loginExpired()
      }
      const second = await useSecondFactor({ code: code!, options, req, settings, userId: user.id })
      if (!second) {
        throw fieldErrors({ code: [messages.mfaIncorrectCode] })
      }
      if (!(await consumeFlow({ flow, options, req }))) {
        throw loginExpired()
      }
      const pending = flow.data as PendingLogin
      return completeLogin(ctx, withoutSecrets(user), {
        factors: { first: pending.first, second },
        issueToken: pending.issueToken,
        status: pending.status,
      })
    },
  },
  metadata: {
    actions: () => ({ POST: describeFields(authenticateFields) }),
    description: 'Complete a login that asked for a second factor: the mfa_token it answered and a code of the authenticator app, or a recovery code.',
    name: 'MFA Authenticate',
  },
  path: '/mfa/authenticate',
  throttle: 'mfa',
})

/** GET mfa/authenticators/: the user's authenticator app and recovery codes (counts only). */
export const mfaAuthenticatorsEndpoint = defineEndpoint({
  handlers: {
    get: async (ctx) => {
      const user = requireUser(ctx)
      return jsonResponse(await listAuthenticators({ ...ctx, userId: user.id }))
    },
  },
  isAuthenticationRequired: true,
  metadata: { description: 'The authenticators of the current user.', name: 'MFA Authenticators' },
  path: '/mfa/authenticators',
})

const requireVerifiedEmail = async ({ options, req }: EndpointContext, user: RestAuthUser): Promise<void> => {
  if (!(await isEmailVerified({ options, req, user }))) {
    throw nonFieldError(messages.mfaEmailNotVerified)
  }
}

// TODO(issue 19): management needs recent authentication (requireRecentAuthentication) once it is on main.

/**
 * POST mfa/totp/setup/: a new seed and its `otpauth://` URL, shown this once; it becomes the user's
 * authenticator when mfa/totp/activate/ gets one of its codes within MFA_LOGIN_TIMEOUT.
 */
export const mfaTotpSetupEndpoint = defineEndpoint({
  handlers: {
    post: async (ctx) => {
      const user = requireUser(ctx)
      const { options, req, settings } = ctx
      await requireVerifiedEmail(ctx, user)
      if (await hasActiveAuthenticator({ options, req, userId: user.id })) {
        throw nonFieldError(messages.mfaAlreadyActive)
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
  isAuthenticationRequired: true,
  isEnabled: (settings) => settings.mfaEnabled,
  metadata: { description: 'Start setting up an authenticator app: its secret and otpauth:// URL.', name: 'TOTP Setup' },
  path: '/mfa/totp/setup',
})

/** POST mfa/totp/activate/ `{code}`: the authenticator and the recovery codes, shown this once. */
export const mfaTotpActivateEndpoint = defineEndpoint({
  handlers: {
    post: async (ctx) => {
      const user = requireUser(ctx)
      const { code } = requireValidFields(ctx.data, codeFields)
      await requireVerifiedEmail(ctx, user)
      const result = await activateTotp({ ...ctx, code: code!, userId: user.id })
      if (result === 'incorrect_code') {
        throw fieldErrors({ code: [messages.mfaIncorrectCode] })
      }
      if (result !== 'activated') {
        throw nonFieldError(result === 'already_active' ? messages.mfaAlreadyActive : messages.mfaSetupMissing)
      }
      const recoveryCodes = await regenerateRecoveryCodes({ ...ctx, userId: user.id })
      await sendMfaNotice({ ...ctx, notice: 'mfaActivated', user })
      const authenticators = await listAuthenticators({ ...ctx, userId: user.id })
      return jsonResponse({ authenticators, recovery_codes: recoveryCodes })
    },
  },
  isAuthenticationRequired: true,
  isEnabled: (settings) => settings.mfaEnabled,
  metadata: {
    actions: () => ({ POST: describeFields(codeFields) }),
    description: 'Activate the authenticator app set up with mfa/totp/setup/ with one of its codes.',
    name: 'TOTP Activate',
  },
  path: '/mfa/totp/activate',
})

/** DELETE mfa/totp/: the authenticator app and the recovery codes go; logins ask for no code any more. */
export const mfaTotpEndpoint = defineEndpoint({
  handlers: {
    delete: async (ctx) => {
      const user = requireUser(ctx)
      if (!(await hasActiveAuthenticator({ ...ctx, userId: user.id }))) {
        throw nonFieldError(messages.mfaNotActive)
      }
      await removeAuthenticators({ ...ctx, userId: user.id })
      await sendMfaNotice({ ...ctx, notice: 'mfaDeactivated', user })
      return emptyResponse()
    },
  },
  isAuthenticationRequired: true,
  metadata: { description: 'Deactivate the authenticator app, and with it the recovery codes.', name: 'TOTP' },
  path: '/mfa/totp',
})

const recoveryCounts = async (ctx: EndpointContext, userId: number | string) => {
  const entry = (await listAuthenticators({ ...ctx, userId })).find((authenticator) => authenticator.type === 'recovery_codes')
  return { total_code_count: entry?.total_code_count ?? 0, unused_code_count: entry?.unused_code_count ?? 0 }
}

/** GET mfa/recovery-codes/: how many codes are left (never the codes); POST: a new set, shown once. */
export const mfaRecoveryCodesEndpoint = defineEndpoint({
  handlers: {
    get: async (ctx) => {
      const user = requireUser(ctx)
      if (!(await hasActiveAuthenticator({ ...ctx, userId: user.id }))) {
        throw detailError(404, messages.notFound)
      }
      return jsonResponse(await recoveryCounts(ctx, user.id))
    },
    post: async (ctx) => {
      const user = requireUser(ctx)
      if (!(await hasActiveAuthenticator({ ...ctx, userId: user.id }))) {
        throw nonFieldError(messages.mfaNotActive)
      }
      const recoveryCodes = await regenerateRecoveryCodes({ ...ctx, userId: user.id })
      await sendMfaNotice({ ...ctx, notice: 'mfaRecoveryCodesRegenerated', user })
      return jsonResponse({ recovery_codes: recoveryCodes, ...(await recoveryCounts(ctx, user.id)) })
    },
  },
  isAuthenticationRequired: true,
  metadata: { description: 'Recovery codes: how many are left, or a new set that replaces them.', name: 'Recovery Codes' },
  path: '/mfa/recovery-codes',
})

export const mfaEndpoints = [
  mfaAuthenticateEndpoint,
  mfaAuthenticatorsEndpoint,
  mfaTotpSetupEndpoint,
  mfaTotpActivateEndpoint,
  mfaTotpEndpoint,
  mfaRecoveryCodesEndpoint,
]
