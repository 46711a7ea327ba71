import type { ResponseSpec } from '../http/contract.js'
import type { AnyEndpoint, EndpointContext } from '../http/defineEndpoint.js'
import type { RestAuthSettings } from '../types.js'

import { completeLogin } from '../auth/completeLogin.js'
import { loginAnswer, loginStatus } from '../auth/loginAnswer.js'
import { requireRecentAuthentication } from '../auth/recentAuthentication.js'
import { isEmailVerified } from '../emailAddresses/isEmailVerified.js'
import { messages } from '../errors/messages.js'
import { detailError, fieldErrors, nonFieldError } from '../errors/RestAuthError.js'
import { detailResponse, fieldErrorsResponse, objectSchema, stringSchema } from '../http/contract.js'
import { recordAuthEvent } from '../events/recordEvent.js'
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
  REAUTHENTICATION_FLOW,
  startUserAssertion,
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
import { requireBoolean, requireCeremonyFields } from '../webauthn/requestFields.js'
import { mfaWebauthnAuthenticateEndpoint, mfaWebauthnOptionsEndpoint } from './webauthnSecondFactor.js'

const isPasskeysOn = (settings: RestAuthSettings): boolean => settings.webauthnEnabled
const isPasskeyLoginOn = (settings: RestAuthSettings): boolean => settings.webauthnEnabled && settings.webauthnLoginEnabled

const NAME_MAX_LENGTH = 100
const DEFAULT_NAME = 'Passkey'
const CREDENTIAL_HELP = 'The PublicKeyCredential as JSON (what @simplewebauthn/browser returns): an object, or its JSON text in a form.'

const registerFields = {
  flow_token: { required: true },
  credential: { helpText: CREDENTIAL_HELP, required: true },
  name: { allowBlank: true, maxLength: NAME_MAX_LENGTH },
} as const
/** `credential` is an object, which the string field checks would refuse: checked on its own. */
const { credential: _registerCredential, ...registerStringFields } = registerFields
const loginFields = {
  flow_token: { required: true },
  credential: { helpText: CREDENTIAL_HELP, required: true },
} as const
const renameFields = { name: { maxLength: NAME_MAX_LENGTH, required: true } } as const
const optionsFields = { passwordless: { helpText: 'true: a discoverable passkey with user verification, for passwordless login.' } } as const

const authenticatorSchema = objectSchema({
  type: { const: 'webauthn' },
  id: { type: ['integer', 'string'] },
  name: stringSchema,
  created_at: { type: 'integer' },
  last_used_at: { type: ['integer', 'null'] },
  is_passwordless: { type: 'boolean' },
})
const authenticatorAnswer = (description: string): ResponseSpec => ({ description, schema: authenticatorSchema })
const reauthenticationAnswer: ResponseSpec = {
  description: 'The login is not recent: `{"detail", "code": "reauthentication_required", "methods"}`; prove it again at reauthenticate/.',
  schema: { type: 'object' },
}
const notFoundAnswer = detailResponse("No such passkey of the user's.", messages.request.notFound)

/**
 * Who may add a passkey: a user whose address is proven (as allauth asks before any second factor)
 * and whose login proved their identity recently (requireRecentAuthentication: 401 with the
 * reauthentication methods otherwise).
 */
const requireRegistrant = async (ctx: EndpointContext<unknown>) => {
  const user = requireUser(ctx)
  if (!(await isEmailVerified({ options: ctx.options, req: ctx.req, user }))) {
    throw nonFieldError(messages.webauthn.unverifiedEmail)
  }
  await requireRecentAuthentication(ctx as EndpointContext)
  return user
}

/** POST webauthn/register/options/ (ours): creation options for a new passkey, and their flow token. */
export const webauthnRegisterOptionsEndpoint = defineEndpoint({
  access: 'user',
  body: { fields: optionsFields, read: (ctx) => ({ passwordless: requireBoolean(ctx.data, 'passwordless', false) }) },
  handlers: {
    post: async (ctx) => {
      const user = await requireRegistrant(ctx)
      const { creationOptions, flowToken } = await startRegistration(ctx, user, { passwordless: ctx.body.passwordless })
      return jsonResponse({ creation_options: creationOptions, flow_token: flowToken })
    },
  },
  isEnabled: isPasskeysOn,
  metadata: {
    actions: () => ({ POST: describeFields(optionsFields) }),
    description: `Start registering a passkey for the signed-in user: the options for
navigator.credentials.create() and the flow token that completes it.`,
    name: 'WebAuthn Register Options',
  },
  path: '/webauthn/register/options',
  responses: {
    200: {
      description: 'PublicKeyCredentialCreationOptionsJSON and the flow token for webauthn/register/.',
      schema: objectSchema({ creation_options: { type: 'object' }, flow_token: stringSchema }),
    },
    400: fieldErrorsResponse,
    401: reauthenticationAnswer,
  },
  summary: 'Start registering a passkey',
})

/** POST webauthn/register/ (ours): verifies the attestation and stores the passkey; 201 with it. */
export const webauthnRegisterEndpoint = defineEndpoint({
  access: 'user',
  body: {
    fields: registerFields,
    read: (ctx) => requireCeremonyFields(ctx.data, registerStringFields, Object.keys(registerFields)),
  },
  handlers: {
    post: async (ctx) => {
      const user = await requireRegistrant(ctx)
      const { credential, flow_token: flowToken, name } = ctx.body
      try {
        const row = await finishRegistration(ctx, user, { credential, flowToken: flowToken!, name: name || DEFAULT_NAME })
        await recordAuthEvent({ ...ctx, event: { detail: { name: row.name }, type: 'passkey_added', userId: user.id } })
        return jsonResponse(serializeCredential(row), { status: 201 })
      } catch (err) {
        if (!(err instanceof CeremonyError)) {
          throw err
        }
        if (err.reason === 'flow') {
          throw fieldErrors({ flow_token: [messages.webauthn.flowInvalid] })
        }
        throw fieldErrors({ credential: [err.reason === 'duplicate' ? messages.webauthn.alreadyRegistered : messages.webauthn.notVerified] })
      }
    },
  },
  isEnabled: isPasskeysOn,
  metadata: {
    actions: () => ({ POST: describeFields(registerFields) }),
    description: 'Complete a passkey registration with the credential the browser created.',
    name: 'WebAuthn Register',
  },
  path: '/webauthn/register',
  responses: { 201: authenticatorAnswer('The passkey, registered.'), 400: fieldErrorsResponse, 401: reauthenticationAnswer },
  summary: 'Register a passkey',
})

/** GET webauthn/authenticators/ (ours): the signed-in user's passkeys. */
export const webauthnAuthenticatorListEndpoint = defineEndpoint({
  access: 'user',
  handlers: {
    get: async (ctx) => {
      const user = requireUser(ctx)
      return jsonResponse((await listCredentials({ options: ctx.options, req: ctx.req, userId: user.id })).map(serializeCredential))
    },
  },
  isEnabled: isPasskeysOn,
  metadata: { description: "List the signed-in user's passkeys.", name: 'WebAuthn Authenticator List' },
  path: '/webauthn/authenticators',
  responses: { 200: { description: "The user's passkeys, oldest first.", schema: { type: 'array', items: authenticatorSchema } } },
  summary: "List the current user's passkeys",
})

/** The signed-in user's passkey named by the route; another user's or an unknown id is 404. */
const ownPasskey = async (ctx: EndpointContext<unknown>) => {
  const user = requireUser(ctx)
  const raw = (ctx.req.routeParams as Record<string, unknown> | undefined)?.id
  const id = toDatabaseId(ctx.req.payload, ctx.options.slugs.webauthnCredentials, raw)
  const row = id === null ? null : await findOwnCredential({ id, options: ctx.options, req: ctx.req, userId: user.id })
  if (!row || String(ownerOf(row)) !== String(user.id)) {
    throw detailError(404, messages.request.notFound)
  }
  return row
}

/** PATCH (rename) and DELETE webauthn/authenticators/<id>/ (ours). */
export const webauthnAuthenticatorEndpoint = defineEndpoint({
  access: 'user',
  // A rename needs the name even under PATCH (dispatch would make every field optional).
  body: { fields: renameFields, read: (ctx) => requireValidFields(ctx.data, renameFields) },
  handlers: {
    delete: async (ctx) => {
      const row = await ownPasskey(ctx)
      // Removing a way in is sensitive, as adding one is (allauth asks to reauthenticate for both).
      await requireRecentAuthentication(ctx as EndpointContext)
      await deleteCredential({ id: row.id, options: ctx.options, req: ctx.req })
      await recordAuthEvent({ ...ctx, event: { detail: { name: row.name }, type: 'passkey_removed', userId: ownerOf(row) } })
      return emptyResponse()
    },
    patch: async (ctx) => {
      const row = await ownPasskey(ctx)
      const renamed = await renameCredential({ id: row.id, name: ctx.body.name!, options: ctx.options, req: ctx.req })
      return jsonResponse(serializeCredential(renamed))
    },
  },
  isEnabled: isPasskeysOn,
  metadata: {
    description: 'Rename (PATCH with name) or delete one of your passkeys.',
    name: 'WebAuthn Authenticator',
  },
  path: '/webauthn/authenticators/:id',
  responses: {
    200: authenticatorAnswer('The passkey, renamed.'),
    204: { description: 'Deleted.' },
    400: fieldErrorsResponse,
    401: reauthenticationAnswer,
    404: notFoundAnswer,
  },
  summary: 'Rename or delete one of the current user\'s passkeys',
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
  responses: {
    200: {
      description: 'PublicKeyCredentialRequestOptionsJSON and the flow token for webauthn/login/.',
      schema: objectSchema({ flow_token: stringSchema, request_options: { type: 'object' } }),
    },
  },
  summary: 'Start a passwordless login with a passkey',
  throttle: 'login',
})

/**
 * POST webauthn/reauthenticate/options/ (ours): request options for one of the user's own passkeys;
 * the assertion goes to reauthenticate/ with the flow token (`{"flow_token", "credential"}`).
 */
export const webauthnReauthenticateOptionsEndpoint = defineEndpoint({
  access: 'user',
  handlers: {
    post: async (ctx) => {
      const { flowToken, requestOptions } = await startUserAssertion(ctx, { kind: REAUTHENTICATION_FLOW, userId: requireUser(ctx).id })
      return jsonResponse({ flow_token: flowToken, request_options: requestOptions })
    },
  },
  isEnabled: isPasskeysOn,
  metadata: {
    description: `Start proving your identity again with one of your passkeys: the options for
navigator.credentials.get() and the flow token; complete it at reauthenticate/.`,
    name: 'WebAuthn Reauthenticate Options',
  },
  path: '/webauthn/reauthenticate/options',
  responses: {
    200: {
      description: 'PublicKeyCredentialRequestOptionsJSON (the user\'s passkeys) and the flow token for reauthenticate/.',
      schema: objectSchema({ flow_token: stringSchema, request_options: { type: 'object' } }),
    },
  },
  summary: 'Start reauthenticating with a passkey',
  throttle: 'reauthenticate',
})

/**
 * POST webauthn/login/ (ours): the assertion of a passwordless passkey logs its owner in, and the
 * answer is login/'s in the current mode. Every refusal is login/'s: the same wording whether the
 * flow, the passkey or its signature failed, or the user is inactive.
 */
export const webauthnLoginEndpoint = defineEndpoint({
  body: { fields: loginFields, read: (ctx) => requireCeremonyFields(ctx.data, { flow_token: loginFields.flow_token }, Object.keys(loginFields)) },
  handlers: {
    post: async (ctx) => {
      const { options, req, settings } = ctx
      let ownerId: number | string
      try {
        const row = await finishAssertion(ctx, {
          credential: ctx.body.credential,
          flowToken: ctx.body.flow_token!,
          kind: LOGIN_FLOW,
          requirePasswordless: true,
          requireUserVerification: true,
        })
        ownerId = ownerOf(row)
      } catch (err) {
        if (err instanceof CeremonyError) {
          throw nonFieldError(messages.account.loginFailed)
        }
        throw err
      }
      const found = await findUserById({ id: ownerId, options, req })
      if (!found || found.is_active === false) {
        throw nonFieldError(messages.account.loginFailed)
      }
      const user = withoutSecrets(found)
      if (settings.accountEmailVerification === 'mandatory' && !(await isEmailVerified({ options, req, user }))) {
        throw nonFieldError(messages.account.emailNotVerified)
      }
      return completeLogin(ctx, user, { methods: [{ method: 'webauthn' }] })
    },
  },
  isEnabled: isPasskeyLoginOn,
  metadata: {
    actions: () => ({ POST: describeFields(loginFields) }),
    description: 'Log in with a passkey: the assertion for the options of webauthn/login/options/.',
    name: 'WebAuthn Login',
  },
  path: '/webauthn/login',
  responses: ({ settings }) => ({ [loginStatus(settings)]: loginAnswer(settings), 400: fieldErrorsResponse }),
  summary: 'Log in with a passkey',
  throttle: 'login',
})

export const webauthnEndpoints: AnyEndpoint[] = [
  webauthnRegisterOptionsEndpoint,
  webauthnRegisterEndpoint,
  webauthnAuthenticatorListEndpoint,
  webauthnAuthenticatorEndpoint,
  webauthnReauthenticateOptionsEndpoint,
  webauthnLoginOptionsEndpoint,
  webauthnLoginEndpoint,
  mfaWebauthnOptionsEndpoint,
  mfaWebauthnAuthenticateEndpoint,
]
