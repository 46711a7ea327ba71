import { createHmac } from 'node:crypto'

import { checkbox, text } from '../settings/settingTypes.js'
import { emailOf, namesOf, uidOf } from '../social/identity.js'
import { exchangeCode } from '../social/oauth2.js'
import { bearer, fetchProviderObject } from '../social/providerCalls.js'
import { defineOAuth2Provider } from '../social/types.js'

/**
 * Facebook (Graph API `me`), with appsecret_proof on every call as allauth sends it, which also
 * binds access tokens to this app. Facebook does not say whether an address is verified, so allauth
 * (and this plugin) treats it as unverified.
 */
export const facebookProvider = defineOAuth2Provider({
  id: 'facebook',
  label: 'Facebook',
  protocol: 'oauth2',
  settings: {
    enabled: checkbox({
      default: false,
      description: 'Facebook login at facebook/ and facebook/connect/.',
      django: 'SOCIALACCOUNT_PROVIDERS.facebook',
    }),
    clientId: text({ default: '', description: 'App ID (Meta for Developers, App settings).', django: 'SocialApp.client_id' }),
    secret: text({
      default: '',
      description: 'App secret, used to exchange a code and to sign Graph API calls (appsecret_proof). Write-only.',
      django: 'SocialApp.secret',
      isSecret: true,
    }),
    callbackUrl: text({
      default: '',
      description: 'redirect_uri of the code exchange: exactly the URL registered with Facebook that received the code. May start with {origin}.',
      django: 'SocialLoginView.callback_url',
      format: 'url',
    }),
    scopes: text({
      default: 'email,public_profile',
      description: 'Permissions your client requests (comma-separated).',
      django: 'SOCIALACCOUNT_PROVIDERS.facebook.SCOPE',
    }),
    authorizationUrl: text({
      default: 'https://www.facebook.com/v21.0/dialog/oauth',
      description: 'Login dialog your client sends the user to.',
      format: 'url',
    }),
    tokenUrl: text({
      default: 'https://graph.facebook.com/v21.0/oauth/access_token',
      description: 'Token endpoint a code is exchanged at.',
      format: 'url',
    }),
    profileUrl: text({ default: 'https://graph.facebook.com/v21.0/me', description: 'Graph API profile endpoint.', format: 'url' }),
  },
  authorization: (config) => ({ scopeSeparator: ',', url: config.authorizationUrl }),
  exchangeCode: (config, grant) => exchangeCode(config, 'Facebook', { grant, tokenUrl: config.tokenUrl }),
  fetchIdentity: async (config, accessToken) => {
    const url = new URL(config.profileUrl)
    url.searchParams.set('fields', 'id,name,first_name,last_name,middle_name,email')
    if (config.secret) {
      url.searchParams.set('appsecret_proof', createHmac('sha256', config.secret).update(accessToken).digest('hex'))
    }
    const json = await fetchProviderObject(config, 'Facebook', url.toString(), { headers: bearer(accessToken) })
    const uid = uidOf(json.id)
    return uid
      ? {
          email: emailOf(json.email),
          extraData: json,
          isEmailVerified: false,
          ...namesOf({ familyName: json.last_name, fullName: json.name, givenName: json.first_name }),
          uid,
        }
      : null
  },
})
