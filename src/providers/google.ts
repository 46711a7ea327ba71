import type { SocialIdentity } from '../social/types.js'

import { checkbox, text } from '../settings/settingTypes.js'
import { emailOf, namesOf, uidOf } from '../social/identity.js'
import { exchangeCode } from '../social/oauth2.js'
import { bearer, describeAnswer, fetchFromProvider, fetchProviderObject, jsonObjectOf, refusal } from '../social/providerCalls.js'
import { defineOAuth2Provider } from '../social/types.js'
import { messages } from '../errors/messages.js'

/** A userinfo answer and an id_token say the same: uid is `sub`, the address counts as verified when `email_verified` says so. */
const toIdentity = (json: Record<string, unknown>): null | SocialIdentity => {
  const uid = uidOf(json.sub)
  if (!uid) {
    return null
  }
  const verified = json.email_verified ?? json.verified_email
  return {
    email: emailOf(json.email),
    extraData: json,
    isEmailVerified: verified === true || verified === 'true',
    ...namesOf({ familyName: json.family_name, fullName: json.name, givenName: json.given_name }),
    uid,
  }
}

/**
 * Google: OpenID Connect. A code's exchange answers an id_token, which identifies the user; an
 * access token is identified by the userinfo endpoint (after tokeninfo names its client), and an
 * id_token from a mobile SDK by Google's signing keys.
 */
export const googleProvider = defineOAuth2Provider({
  id: 'google',
  label: 'Google',
  protocol: 'oauth2',
  settings: {
    enabled: checkbox({
      default: false,
      description: 'Google login at google/ and google/connect/.',
      django: 'SOCIALACCOUNT_PROVIDERS.google',
    }),
    clientId: text({
      default: '',
      description: 'OAuth client ID (Google Cloud console, Credentials).',
      django: 'SocialApp.client_id',
    }),
    secret: text({
      default: '',
      description: 'OAuth client secret, used to exchange a code. Write-only.',
      django: 'SocialApp.secret',
      isSecret: true,
    }),
    callbackUrl: text({
      default: '',
      description: 'redirect_uri of the code exchange: exactly the URL registered with Google that received the code. May start with {origin}.',
      django: 'SocialLoginView.callback_url',
      format: 'url',
    }),
    scopes: text({
      default: 'openid email profile',
      description: 'Scopes your client requests (space- or comma-separated).',
      django: 'SOCIALACCOUNT_PROVIDERS.google.SCOPE',
    }),
    acceptedClientIds: text({
      default: '',
      description:
        'Client IDs of your other apps (Android, iOS) whose Google access tokens and id_tokens are accepted too (space- or comma-separated).',
    }),
    authorizationUrl: text({
      default: 'https://accounts.google.com/o/oauth2/v2/auth',
      description: 'Consent page your client sends the user to.',
      format: 'url',
    }),
    tokenUrl: text({ default: 'https://oauth2.googleapis.com/token', description: 'Token endpoint a code is exchanged at.', format: 'url' }),
    profileUrl: text({
      default: 'https://www.googleapis.com/oauth2/v3/userinfo',
      description: 'OpenID Connect userinfo endpoint, which identifies an access token.',
      format: 'url',
    }),
    tokenInfoUrl: text({
      default: 'https://oauth2.googleapis.com/tokeninfo',
      description: 'Endpoint that names the client an access token was issued to (socialCheckTokenAudience).',
      format: 'url',
    }),
    issuer: text({
      default: 'https://accounts.google.com',
      description: 'Issuer (iss) of Google\'s id_tokens; the same without https:// is accepted too, as Google issues both.',
      format: 'url',
    }),
    jwksUrl: text({
      default: 'https://www.googleapis.com/oauth2/v3/certs',
      description: 'Google\'s signing keys (JWKS), which id_tokens are checked against.',
      format: 'url',
    }),
  },
  authorization: (config) => ({ url: config.authorizationUrl }),
  /**
   * tokeninfo names the client a token was issued to (`aud`, and `azp` for tokens obtained by one
   * of a project's clients on behalf of another); either must be ours.
   */
  checkAccessToken: async (config, accessToken) => {
    const url = new URL(config.tokenInfoUrl)
    url.searchParams.set('access_token', accessToken)
    const answer = await fetchFromProvider(config, 'Google', url.toString())
    if (answer.status !== 200) {
      throw refusal(config, messages.social.incorrectValue, describeAnswer(answer))
    }
    const info = jsonObjectOf(answer.text)
    const accepted = new Set([config.clientId, ...config.acceptedClientIds])
    if (![info.aud, info.azp].some((client) => typeof client === 'string' && accepted.has(client))) {
      throw refusal(config, messages.social.incorrectValue, messages.social.otherApplication('Google'))
    }
  },
  exchangeCode: (config, grant) => exchangeCode(config, 'Google', { grant, tokenUrl: config.tokenUrl }),
  fetchIdentity: async (config, accessToken) =>
    toIdentity(await fetchProviderObject(config, 'Google', config.profileUrl, { headers: bearer(accessToken) })),
  openId: {
    rules: async (config) => ({ issuer: [config.issuer, config.issuer.replace(/^https:\/\//, '')], jwksUrl: config.jwksUrl }),
    toIdentity: (claims) => toIdentity(claims),
  },
})
