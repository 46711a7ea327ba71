import type { EndpointContext, RestAuthEndpoint } from '../http/defineEndpoint.js'
import type { RestAuthSettings } from '../types.js'

import { completeLogin } from '../auth/completeLogin.js'
import { isEmailVerified } from '../emailAddresses/isEmailVerified.js'
import { messages } from '../errors/messages.js'
import { detailError, fieldErrors, nonFieldError } from '../errors/RestAuthError.js'
import { defineEndpoint, requireUser } from '../http/defineEndpoint.js'
import { requireValidFields } from '../http/fields.js'
import { describeFields } from '../http/metadata.js'
import { emptyResponse, jsonResponse } from '../http/responses.js'
import { findUserById, withoutSecrets } from '../users/findUser.js'
import { toDatabaseId } from '../utilities/databaseId.js'
import {
  CeremonyError,
  finishAssertion,
  finishRegistration,
  LOGIN_FLOW,
  startLogin,
  startRegistration,
} from '../webauthn/ceremonies.js'
import {
  deleteCredential,
  findOwnCredential,
  listCredentials,
  ownerOf,
  renameCredential,
  serializeCredential,
} from '../webauthn/credentials.js'
import { readBoolean, requireCeremonyFields } from '../webauthn/requestFields.js'

const isPasskeysOn = (settings: RestAuthSettings): boolean => settings.webauthnEnabled
const isPasskeyLoginOn = (settings: RestAuthSettings): boolean => settings.webauthnEnabled && settings.webauthnLoginEnabled

const NAME_MAX_LENGTH = 100
const DEFAULT_NAME = 'Passkey'

const registerFields = {
  flow_token: { required: true },
  name: { allowBlank: true, maxLength: NAME_MAX_LENGTH },
} as const
const loginFields = { flow_token: { required: true } } as const
const renameFields = { name: { maxLength: NAME_MAX_LENGTH, required: true } } as const

/** What OPTIONS shows of the `credential` field (a JSON object, which DRF would call a `field`). */
const credentialInfo = { credential: { label: 'Credential', read_only: false, required: true, type: 'field' as const } }

/** Passkeys are for accounts whose address is proven, as allauth asks before any second factor. */
const requireVerifiedEmail = async (ctx: EndpointContext) => {
  const user = requireUser(ctx)
  if (!(await isEmailVerified({ options: ctx.options, req: ctx.req, user }))) {
    throw nonFieldError(messages.webauthnUnverifiedEmail)
  }
  return user
}

/** POST webauthn/register/options/ (ours): creation options for a new passkey, and their flow token. */
export const webauthnRegisterOptionsEndpoint = defineEndpoint({
  handlers: {
    post: async (ctx) => {
      const passwordless = readBoolean(ctx.data, 'passwordless', false)
      if (passwordless.error) {
        throw fieldErrors({ passwordless: [passwordless.error] })
      }
      const user = await requireVerifiedEmail(ctx)
      const { creationOptions, flowToken } = await startRegistration(ctx, user, { passwordless: passwordless.value })
      return jsonResponse({ creation_options: creationOptions, flow_token: flowToken })
    },
  },
  isAuthenticationRequired: true,
  isEnabled: isPasskeysOn,
  metadata: {
    actions: () => ({
      POST: { passwordless: { label: 'Passwordless', read_only: false, required: false, type: 'field' } },
    }),
    description: `Start registering a passkey for the signed-in user: the options for
navigator.credentials.create() and the flow token that completes it.`,
    name: 'WebAuthn Register Options',
  },
  path: '/webauthn/register/options',
})

/** POST webauthn/register/ (ours): verifies the attestation and stores the passkey; 201 with it. */
export const webauthnRegisterEndpoint = defineEndpoint({
  handlers: {
    post: async (ctx) => {
      const { credential, values } = requireCeremonyFields(ctx.data, registerFields, ['flow_token', 'credential', 'name'])
      const user = await requireVerifiedEmail(ctx)
      try {
        const row = await finishRegistration(ctx, user, {
          credential,
          flowToken: values.flow_token!,
          name: values.name || DEFAULT_NAME,
        })
        return jsonResponse(serializeCredential(row), { status: 201 })
      } catch (err) {
        if (err instanceof CeremonyError) {
          throw err.reason === 'flow'
            ? fieldErrors({ flow_token: [messages.webauthnFlowInvalid] })
            : fieldErrors({ credential: [err.reason === 'duplicate' ? messages.webauthnAlreadyRegistered : messages.webauthnNotVerified] })
        }
        throw err
      }
    },
  },
  isAuthenticationRequired: true,
  isEnabled: isPasskeysOn,
  metadata: {
    actions: () => ({ POST: { ...describeFields({ flow_token: registerFields.flow_token }), ...credentialInfo, ...describeFields({ name: registerFields.name }) } }),
    description: 'Complete a passkey registration with the credential the browser created.',
    name: 'WebAuthn Register',
  },
  path: '/webauthn/register',
})

/** GET webauthn/authenticators/ (ours): the signed-in user's passkeys. */
export const webauthnAuthenticatorListEndpoint = defineEndpoint({
  handlers: {
    get: async (ctx) => {
      const user = requireUser(ctx)
      return jsonResponse((await listCredentials({ options: ctx.options, req: ctx.req, userId: user.id })).map(serializeCredential))
    },
  },
  isAuthenticationRequired: true,
  isEnabled: isPasskeysOn,
  metadata: { description: "List the signed-in user's passkeys.", name: 'WebAuthn Authenticator List' },
  path: '/webauthn/authenticators',
})

/** The signed-in user's passkey named by the route; another user's or an unknown id is 404. */
const ownPasskey = async (ctx: EndpointContext) => {
  const user = requireUser(ctx)
  const id = toDatabaseId(ctx.req.payload, ctx.options.slugs.webauthnCredentials, (ctx.req.routeParams as Record<string, unknown> | undefined)?.id)
  const row = id === null ? null : await findOwnCredential({ id, options: ctx.options, req: ctx.req, userId: user.id })
  if (!row || String(ownerOf(row)) !== String(user.id)) {
    throw detailError(404, messages.notFound)
  }
  return row
}

/** PATCH (rename) and DELETE webauthn/authenticators/<id>/ (ours). */
export const webauthnAuthenticatorEndpoint = defineEndpoint({
  handlers: {
    delete: async (ctx) => {
      const row = await ownPasskey(ctx)
      await deleteCredential({ id: row.id, options: ctx.options, req: ctx.req })
      return emptyResponse()
    },
    patch: async (ctx) => {
      const { name } = requireValidFields(ctx.data, renameFields)
      const row = await ownPasskey(ctx)
      return jsonResponse(serializeCredential(await renameCredential({ id: row.id, name: name!, options: ctx.options, req: ctx.req })))
    },
  },
  isAuthenticationRequired: true,
  isEnabled: isPasskeysOn,
  metadata: {
    description: 'Rename (PATCH with name) or delete one of your passkeys.',
    name: 'WebAuthn Authenticator',
  },
  path: '/webauthn/authenticators/:id',
})

/** POST webauthn/login/options/ (ours): request options for a passwordless login, and their flow token. */
export const webauthnLoginOptionsEndpoint = defineEndpoint({
  handlers: {
    post: async (ctx) => {
      const { flowToken, requestOptions } = await startLogin(ctx)
      return jsonResponse({ flow_token: flowToken, request_options: requestOptions })
    },
  },
  isEnabled: isPasskeyLoginOn,
  metadata: {
    description: `Start a passwordless login: the options for navigator.credentials.get()
(discoverable passkeys, user verification required; conditional UI works with them) and the flow token.`,
    name: 'WebAuthn Login Options',
  },
  path: '/webauthn/login/options',
  throttle: 'login',
})

/**
 * POST webauthn/login/ (ours): the assertion of a passwordless passkey logs its owner in, and the
 * answer is login/'s in the current mode. Every refusal is login/'s: the same wording whether the
 * flow, the passkey or its signature failed, or the user is inactive.
 */
export const webauthnLoginEndpoint = defineEndpoint({
  handlers: {
    post: async (ctx) => {
      const { credential, values } = requireCeremonyFields(ctx.data, loginFields, ['flow_token', 'credential'])
      let ownerId: number | string
      try {
        const row = await finishAssertion(ctx, {
          credential,
          flowToken: values.flow_token!,
          kind: LOGIN_FLOW,
          requirePasswordless: true,
          requireUserVerification: true,
        })
        ownerId = ownerOf(row)
      } catch (err) {
        if (err instanceof CeremonyError) {
          throw nonFieldError(messages.loginFailed)
        }
        throw err
      }
      const user = await findUserById({ id: ownerId, options: ctx.options, req: ctx.req })
      if (!user || user.is_active === false) {
        throw nonFieldError(messages.loginFailed)
      }
      const plain = withoutSecrets(user)
      if (ctx.settings.accountEmailVerification === 'mandatory' && !(await isEmailVerified({ options: ctx.options, req: ctx.req, user: plain }))) {
        throw nonFieldError(messages.emailNotVerified)
      }
      return completeLogin(ctx, plain)
    },
  },
  isEnabled: isPasskeyLoginOn,
  metadata: {
    actions: () => ({ POST: { ...describeFields(loginFields), ...credentialInfo } }),
    description: 'Log in with a passkey: the assertion for the options of webauthn/login/options/.',
    name: 'WebAuthn Login',
  },
  path: '/webauthn/login',
  throttle: 'login',
})

export const webauthnEndpoints: RestAuthEndpoint[] = [
  webauthnRegisterOptionsEndpoint,
  webauthnRegisterEndpoint,
  webauthnAuthenticatorListEndpoint,
  webauthnAuthenticatorEndpoint,
  webauthnLoginOptionsEndpoint,
  webauthnLoginEndpoint,
]
