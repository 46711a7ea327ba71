import { checkbox, text } from '../settings/settingTypes.js'
import { emailOf, namesOf, textOf, uidOf } from '../social/identity.js'
import { signedGet } from '../social/oauth1.js'
import { jsonObjectOf, refusal } from '../social/providerCalls.js'
import { defineOAuth1Provider } from '../social/types.js'
import { messages } from '../errors/messages.js'

const hostOf = (url: string): string => {
  try {
    return new URL(url).host
  } catch {
    return url
  }
}

/**
 * Twitter / X over OAuth 1.0a: the client completes the three-legged flow (or lets
 * `twitter/request_token/` do the first leg) and sends the access token and its secret; the profile
 * request is signed with them and the consumer secret, which binds the token to this app. The
 * address (asked for with include_email) is not vouched for, as in allauth.
 */
export const twitterProvider = defineOAuth1Provider({
  id: 'twitter',
  label: 'Twitter',
  protocol: 'oauth1',
  settings: {
    enabled: checkbox({
      default: false,
      description: 'Twitter (X) login with OAuth 1.0a at twitter/ and twitter/connect/.',
      django: 'SOCIALACCOUNT_PROVIDERS.twitter',
    }),
    clientId: text({ default: '', description: 'API key (consumer key) of the X app.', django: 'SocialApp.client_id' }),
    secret: text({
      default: '',
      description: 'API key secret (consumer secret), signs every request. Write-only.',
      django: 'SocialApp.secret',
      isSecret: true,
    }),
    callbackUrl: text({
      default: '',
      description:
        'oauth_callback of the request tokens twitter/request_token/ obtains; empty: the out-of-band flow, where X shows the user a PIN to post as oauth_verifier. May start with {origin}.',
      format: 'url',
    }),
    authorizationUrl: text({
      default: 'https://api.twitter.com/oauth/authenticate',
      description: 'Authorization page your client sends the user to.',
      format: 'url',
    }),
    requestTokenUrl: text({
      default: 'https://api.twitter.com/oauth/request_token',
      description: 'OAuth 1.0a request token endpoint (used by twitter/request_token/, or by a client that does the flow itself).',
      format: 'url',
    }),
    accessTokenUrl: text({
      default: 'https://api.twitter.com/oauth/access_token',
      description: 'OAuth 1.0a access token endpoint (used when a client sends oauth_verifier, or by a client that does the flow itself).',
      format: 'url',
    }),
    profileUrl: text({
      default: 'https://api.twitter.com/1.1/account/verify_credentials.json',
      description: 'Endpoint that identifies the token owner (asked with include_email=true).',
      format: 'url',
    }),
  },
  endpoints: (config) => ({
    accessTokenUrl: config.accessTokenUrl,
    authorizationUrl: config.authorizationUrl,
    requestTokenUrl: config.requestTokenUrl,
  }),
  fetchIdentity: async (config, pair) => {
    const url = new URL(config.profileUrl)
    url.searchParams.set('include_email', 'true')
    url.searchParams.set('include_entities', 'false')
    url.searchParams.set('skip_status', 'true')
    const { failure, text: body } = await signedGet(config, 'Twitter', url.toString(), pair)
    // django-allauth's OAuth client words a refused request so, naming the provider's host.
    const refused = messages.social.noPrivateAccess(hostOf(config.requestTokenUrl || config.profileUrl))
    if (failure !== undefined) {
      throw refusal(config, refused, failure)
    }
    const json = jsonObjectOf(body)
    const uid = uidOf(json.id_str ?? json.id)
    return uid
      ? {
          email: emailOf(json.email),
          extraData: json,
          isEmailVerified: false,
          ...namesOf({ fullName: json.name }),
          uid,
          username: textOf(json.screen_name) || undefined,
        }
      : null
  },
})
