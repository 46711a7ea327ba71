import type { Schema } from '../http/fields.js'
import type { RequestData } from '../http/parseBody.js'
import type { ProviderDefinition, SignInExtras, SocialCredentials, SocialProvider } from './types.js'

import { messages } from '../errors/messages.js'
import { fieldErrors, nonFieldError, RestAuthError } from '../errors/RestAuthError.js'
import { requireValidFields } from '../http/fields.js'

/**
 * A code that reached the client still URL-encoded (`4%2F0Ab…` copied from a callback URL) is
 * decoded once; dj-rest-auth passes it on as is and the provider refuses it.
 */
const decodeCode = (code: string): string => {
  if (!/%[0-9A-Fa-f]{2}/.test(code)) {
    return code
  }
  try {
    return decodeURIComponent(code)
  } catch {
    return code
  }
}

/** SocialLoginSerializer's fields (SocialConnectSerializer's too). */
export const socialLoginFields = {
  access_token: { allowBlank: true },
  code: { allowBlank: true },
  id_token: { allowBlank: true },
} satisfies Schema

/** The OAuth 2 body: SocialLoginSerializer's fields and PKCE's code_verifier. */
const oauth2Fields = { ...socialLoginFields, code_verifier: { allowBlank: true } } satisfies Schema

/** An OpenID Connect provider's: and the nonce its id_token must carry. */
const openIdFields = { ...oauth2Fields, nonce: { allowBlank: true } } satisfies Schema

/** TwitterLoginSerializer's fields. */
const oauth1TokenPairFields = { access_token: { required: true }, token_secret: { required: true } } satisfies Schema

/** The request token pair and the callback's verifier, for a client that started with `<provider>/request_token/`. */
const oauth1VerifierFields = {
  oauth_token: { required: true },
  oauth_token_secret: { required: true },
  oauth_verifier: { required: true },
} satisfies Schema

/**
 * The body a provider's login and connect read: OAuth 2's fields (with the nonce where the provider
 * speaks OpenID Connect); for OAuth 1.0a the token pair, or the verifier leg's fields instead.
 */
export const credentialSchemas = (definition: ProviderDefinition): { alternative?: Schema; body: Schema } =>
  definition.protocol === 'oauth1'
    ? { alternative: oauth1VerifierFields, body: oauth1TokenPairFields }
    : { body: definition.openId ? openIdFields : oauth2Fields }

const isObject = (value: unknown): value is RequestData => typeof value === 'object' && value !== null && !Array.isArray(value)

/** Apple's `user` (name on the first login): the JSON text Apple posted, or that object. */
const readExtras = (data: RequestData): SignInExtras => {
  const { user } = data
  if (user === undefined || user === null || user === '') {
    return {}
  }
  if (typeof user !== 'string' && !isObject(user)) {
    throw fieldErrors({ user: [messages.field.invalidValue] })
  }
  return { user }
}

const isOpenId = (provider: SocialProvider): boolean => provider.definition.protocol === 'oauth2' && Boolean(provider.definition.openId)

/**
 * allauth's headless shape, `{"provider", "token": {"client_id", "id_token", "access_token"}}`:
 * an id_token (which must have been issued to client_id) or an access token.
 */
const readAllauthToken = (provider: SocialProvider, data: RequestData): SocialCredentials => {
  if (data.provider !== undefined && data.provider !== provider.id) {
    throw fieldErrors({ provider: [messages.social.otherProvider] })
  }
  if (!isObject(data.token)) {
    throw fieldErrors({ token: [messages.social.tokenNotAnObject] })
  }
  let values: Partial<Record<'access_token' | 'client_id' | 'id_token' | 'nonce', string>>
  try {
    values = requireValidFields(data.token, {
      access_token: { allowBlank: true },
      client_id: { required: true },
      id_token: { allowBlank: true },
      nonce: { allowBlank: true },
    })
  } catch (err) {
    // As a nested serializer reports them: under the field that holds the object.
    throw err instanceof RestAuthError ? new RestAuthError({ body: { token: err.body } as never, status: 400 }) : err
  }
  const nonce = values.nonce || (typeof data.nonce === 'string' && data.nonce) || undefined
  if (values.id_token && isOpenId(provider)) {
    return { clientId: values.client_id, idToken: values.id_token, kind: 'idToken', nonce }
  }
  if (values.access_token) {
    return { accessToken: values.access_token, kind: 'accessToken' }
  }
  throw nonFieldError(values.id_token ? messages.social.idTokenNotSupported(provider.label) : messages.social.tokenRequired)
}

/**
 * SocialLoginSerializer's fields (plus PKCE's code_verifier, and an id_token on its own or with the
 * nonce it must carry), allauth's `token` object, or, for OAuth 1.0a, TwitterLoginSerializer's token
 * pair or the request token pair and the callback's `oauth_verifier` of a client that started with
 * `<provider>/request_token/`. An id_token wins over an access token (dj-rest-auth sends Apple's
 * both), and an access token over a code.
 */
export const readCredentials = (provider: SocialProvider, data: RequestData): { credentials: SocialCredentials; extras: SignInExtras } => {
  if (provider.protocol === 'oauth1' && data.oauth_verifier !== undefined) {
    const values = requireValidFields(data, oauth1VerifierFields)
    return {
      credentials: { kind: 'verifier', token: values.oauth_token, tokenSecret: values.oauth_token_secret, verifier: values.oauth_verifier },
      extras: {},
    }
  }
  if (provider.protocol === 'oauth1') {
    const values = requireValidFields(data, oauth1TokenPairFields)
    return { credentials: { kind: 'tokenPair', token: values.access_token, tokenSecret: values.token_secret }, extras: {} }
  }
  const extras = readExtras(data)
  if (data.token !== undefined) {
    return { credentials: readAllauthToken(provider, data), extras }
  }
  const values: Partial<Record<keyof typeof openIdFields, string>> = requireValidFields(data, credentialSchemas(provider.definition).body)
  const nonce = values.nonce || undefined
  if (values.id_token && isOpenId(provider)) {
    return { credentials: { idToken: values.id_token, kind: 'idToken', nonce }, extras }
  }
  if (values.access_token) {
    return { credentials: { accessToken: values.access_token, kind: 'accessToken' }, extras }
  }
  if (values.code) {
    return { credentials: { code: decodeCode(values.code), codeVerifier: values.code_verifier || undefined, kind: 'code', nonce }, extras }
  }
  throw nonFieldError(values.id_token ? messages.social.idTokenNotSupported(provider.label) : messages.social.accessTokenOrCodeRequired)
}
