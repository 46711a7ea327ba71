import type { KeyObject } from 'node:crypto'

import jwt from 'jsonwebtoken'
import { createPrivateKey } from 'node:crypto'

import type { IdTokenClaims, SignInExtras, SocialIdentity } from '../social/types.js'

import { checkbox, text } from '../settings/settingTypes.js'
import { emailOf, namesOf, textOf, uidOf } from '../social/identity.js'
import { exchangeCode } from '../social/oauth2.js'
import { refusal } from '../social/providerCalls.js'
import { defineOAuth2Provider } from '../social/types.js'
import { messages } from '../errors/messages.js'

/** How long a generated client secret is valid; Apple accepts up to six months, one exchange needs seconds. */
const CLIENT_SECRET_SECONDS = 300

/**
 * The .p8 key as PEM: an admin pastes it into a one-line input, which drops its line breaks, so the
 * base64 body is re-wrapped (a bare body, without the BEGIN/END lines, is taken too).
 */
const pemOf = (value: string): string => {
  const body = value
    .replace(/-----(BEGIN|END) [A-Z ]*PRIVATE KEY-----/g, '')
    .replace(/\\n/g, '')
    .replace(/\s+/g, '')
  return `-----BEGIN PRIVATE KEY-----\n${body.replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END PRIVATE KEY-----\n`
}

/** The signing key, or null when the setting is not an ES256 (P-256) private key. */
const signingKeyOf = (value: string): KeyObject | null => {
  try {
    const key = createPrivateKey(pemOf(value))
    return key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1' ? key : null
  } catch {
    return null
  }
}

const isTrue = (value: unknown): boolean => value === true || value === 'true'

/** The `user` Apple posts to the callback on the first authorization only: `{"name": {"firstName", "lastName"}, "email"}`. */
const firstLoginUser = (user: unknown): { firstName?: unknown; lastName?: unknown } => {
  let value = user
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value)
    } catch {
      return {}
    }
  }
  const name = (value as { name?: unknown } | null)?.name
  return name && typeof name === 'object' ? (name as { firstName?: unknown; lastName?: unknown }) : {}
}

/**
 * The identity in Apple's id_token. The name is only known on the first login (from `user`, which
 * the client forwards); the address is in every token, verified by Apple, and may be a private relay
 * address (`…@privaterelay.appleid.com`, `is_private_email`), whose random local part makes a poor
 * username: the name is suggested instead.
 */
const toIdentity = (claims: IdTokenClaims, { user }: SignInExtras): null | SocialIdentity => {
  const uid = uidOf(claims.sub)
  if (!uid) {
    return null
  }
  const { firstName, lastName } = firstLoginUser(user)
  const names = namesOf({ familyName: lastName, givenName: firstName })
  const isPrivateRelay = isTrue(claims.is_private_email)
  return {
    email: emailOf(claims.email),
    extraData: { ...claims, ...(names.firstName || names.lastName ? { name: { firstName: names.firstName, lastName: names.lastName } } : {}) },
    isEmailVerified: isTrue(claims.email_verified),
    ...names,
    uid,
    username: isPrivateRelay ? textOf(`${names.firstName}${names.lastName}`) || 'apple' : undefined,
  }
}

/**
 * Sign in with Apple: OpenID Connect without a userinfo endpoint, so the user is known from the
 * id_token alone (the one a code's exchange answers, or the one an iOS app got from
 * AuthenticationServices). The client secret is a short-lived ES256 JWT signed with the team's key.
 * With scopes, Apple answers the consent page with a form POST to the callback URL
 * (`response_mode=form_post`).
 */
export const appleProvider = defineOAuth2Provider({
  id: 'apple',
  label: 'Apple',
  protocol: 'oauth2',
  settings: {
    enabled: checkbox({
      default: false,
      description: 'Sign in with Apple at apple/ and apple/connect/.',
      django: 'SOCIALACCOUNT_PROVIDERS.apple',
    }),
    clientId: text({
      default: '',
      description: 'Services ID of the web sign-in (Apple Developer, Identifiers); the aud of the id_tokens a code\'s exchange answers.',
      django: 'SocialApp.client_id',
    }),
    callbackUrl: text({
      default: '',
      description: 'redirect_uri of the code exchange: a Return URL of the Services ID, which receives Apple\'s form POST. May start with {origin}.',
      django: 'SocialLoginView.callback_url',
      format: 'url',
    }),
    scopes: text({
      default: 'name email',
      description: 'Scopes your client requests (name, email); with any, Apple posts the answer to the callback URL (form_post).',
      django: 'SOCIALACCOUNT_PROVIDERS.apple.SCOPE',
    }),
    acceptedClientIds: text({
      default: '',
      description: 'Bundle IDs of your iOS and macOS apps, whose id_tokens are accepted too (space- or comma-separated).',
    }),
    teamId: text({ default: '', description: 'Team ID of the Apple Developer account (iss of the client secret).', django: 'SocialApp.key' }),
    keyId: text({ default: '', description: 'Key ID of the Sign in with Apple private key (kid of the client secret).', django: 'SocialApp.secret' }),
    privateKey: text({
      default: '',
      description: 'The Sign in with Apple private key (.p8 file, PEM), which signs the ES256 client secret of a code exchange. Write-only.',
      django: 'SocialApp.settings.certificate_key',
      format: 'pem',
      isSecret: true,
    }),
    authorizationUrl: text({
      default: 'https://appleid.apple.com/auth/authorize',
      description: 'Consent page your client sends the user to.',
      format: 'url',
    }),
    tokenUrl: text({ default: 'https://appleid.apple.com/auth/token', description: 'Token endpoint a code is exchanged at.', format: 'url' }),
    jwksUrl: text({
      default: 'https://appleid.apple.com/auth/keys',
      description: 'Apple\'s signing keys (JWKS), which id_tokens are checked against.',
      format: 'url',
    }),
    issuer: text({
      default: 'https://appleid.apple.com',
      description: 'Issuer (iss) of Apple\'s id_tokens, and the audience of the client secret.',
      format: 'url',
    }),
  },
  settingsProblems: (config) => {
    const parts = [config.teamId, config.keyId, config.privateKey]
    if (parts.every((part) => part === '')) {
      return {}
    }
    if (config.privateKey && !signingKeyOf(config.privateKey)) {
      return { privateKey: 'Must be the ES256 (P-256) private key of a .p8 file.' }
    }
    return parts.some((part) => part === '') ? { teamId: 'The team ID, key ID and private key go together: set all three or none.' } : {}
  },
  authorization: (config) => {
    const params: Record<string, string> = config.scopes.length > 0 ? { response_mode: 'form_post' } : {}
    return { params, url: config.authorizationUrl }
  },
  exchangeCode: async (config, grant) => {
    const key = signingKeyOf(config.privateKey)
    if (!config.teamId || !config.keyId || !key) {
      throw refusal(config, messages.social.clientSecretMissing('Apple'))
    }
    const issuedAt = Math.floor(Date.now() / 1000)
    const clientSecret = jwt.sign(
      { aud: config.issuer, exp: issuedAt + CLIENT_SECRET_SECONDS, iat: issuedAt, iss: config.teamId, sub: config.clientId },
      key,
      { algorithm: 'ES256', keyid: config.keyId, noTimestamp: true },
    )
    return exchangeCode(config, 'Apple', { clientSecret, grant, tokenUrl: config.tokenUrl })
  },
  openId: {
    rules: async (config) => ({ issuer: [config.issuer], jwksUrl: config.jwksUrl }),
    toIdentity,
  },
})
