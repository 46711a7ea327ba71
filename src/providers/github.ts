import { checkbox, text } from '../settings/settingTypes.js'
import { emailOf, namesOf, textOf, uidOf } from '../social/identity.js'
import { exchangeCode } from '../social/oauth2.js'
import { describeAnswer, fetchFromProvider, fetchProviderJson, fetchProviderObject, jsonObjectOf, refusal } from '../social/providerCalls.js'
import { defineOAuth2Provider } from '../social/types.js'
import { messages } from '../errors/messages.js'

type ListedEmail = { email?: unknown; primary?: unknown; verified?: unknown }

/** allauth's choice: the primary address if GitHub lists one, else a verified one, else the public one. */
const chooseEmail = (listed: ListedEmail[], publicEmail: unknown): { email?: string; isEmailVerified: boolean } => {
  const entries = listed
    .map((entry) => ({ email: emailOf(entry.email), isPrimary: entry.primary === true, isVerified: entry.verified === true }))
    .filter((entry) => entry.email)
  const chosen = entries.find((entry) => entry.isPrimary) ?? entries.find((entry) => entry.isVerified) ?? entries[0]
  return chosen ? { email: chosen.email, isEmailVerified: chosen.isVerified } : { email: emailOf(publicEmail), isEmailVerified: false }
}

const HEADERS = { accept: 'application/vnd.github+json', 'user-agent': 'payload-rest-auth' }

/**
 * GitHub (REST API `user`). With the `user` or `user:email` scope the addresses and their
 * `verified` flags are read from `<profile URL>/emails`; without it only the public address is
 * known, unverified.
 */
export const githubProvider = defineOAuth2Provider({
  id: 'github',
  label: 'GitHub',
  protocol: 'oauth2',
  settings: {
    enabled: checkbox({
      default: false,
      description: 'GitHub login at github/ and github/connect/.',
      django: 'SOCIALACCOUNT_PROVIDERS.github',
    }),
    clientId: text({ default: '', description: 'OAuth app client ID (GitHub, Developer settings).', django: 'SocialApp.client_id' }),
    secret: text({
      default: '',
      description: 'OAuth app client secret, used to exchange a code. Write-only.',
      django: 'SocialApp.secret',
      isSecret: true,
    }),
    callbackUrl: text({
      default: '',
      description: 'redirect_uri of the code exchange: the authorization callback URL of the GitHub app. May start with {origin}.',
      django: 'SocialLoginView.callback_url',
      format: 'url',
    }),
    scopes: text({
      default: 'read:user,user:email',
      description: 'Scopes your client requests (comma-separated). With user:email the verified addresses are read from the profile URL + /emails.',
      django: 'SOCIALACCOUNT_PROVIDERS.github.SCOPE',
    }),
    authorizationUrl: text({
      default: 'https://github.com/login/oauth/authorize',
      description: 'Consent page your client sends the user to.',
      format: 'url',
    }),
    tokenUrl: text({
      default: 'https://github.com/login/oauth/access_token',
      description: 'Token endpoint a code is exchanged at.',
      format: 'url',
    }),
    profileUrl: text({
      default: 'https://api.github.com/user',
      description: 'REST API user endpoint; its /emails lists the addresses.',
      format: 'url',
    }),
    tokenCheckUrl: text({
      default: 'https://api.github.com/applications/{client_id}/token',
      description: 'Endpoint that confirms an access token belongs to this OAuth app (socialCheckTokenAudience), with {client_id}.',
      format: 'url',
    }),
  },
  authorization: (config) => ({ scopeSeparator: ',', url: config.authorizationUrl }),
  /**
   * GitHub's "check a token" API answers 200 only for tokens of the OAuth app whose ID and secret
   * authenticate the request (404 for any other token).
   */
  checkAccessToken: async (config, accessToken) => {
    const url = config.tokenCheckUrl.replace('{client_id}', encodeURIComponent(config.clientId))
    const answer = await fetchFromProvider(config, 'GitHub', url, {
      body: JSON.stringify({ access_token: accessToken }),
      headers: {
        ...HEADERS,
        authorization: `Basic ${Buffer.from(`${config.clientId}:${config.secret}`).toString('base64')}`,
        'content-type': 'application/json',
      },
      method: 'POST',
    })
    const app = jsonObjectOf(answer.text).app as Record<string, unknown> | undefined
    if (answer.status === 404 || (answer.status === 200 && app?.client_id !== config.clientId)) {
      throw refusal(config, messages.social.incorrectValue, messages.social.otherApplication('GitHub'))
    }
    if (answer.status !== 200) {
      throw refusal(config, messages.social.incorrectValue, describeAnswer(answer))
    }
  },
  exchangeCode: (config, grant) => exchangeCode(config, 'GitHub', { grant, tokenUrl: config.tokenUrl }),
  fetchIdentity: async (config, accessToken) => {
    const headers = { ...HEADERS, authorization: `Bearer ${accessToken}` }
    const json = await fetchProviderObject(config, 'GitHub', config.profileUrl, { headers })
    const uid = uidOf(json.id)
    if (!uid) {
      return null
    }
    const canListEmails = config.scopes.some((scope) => scope === 'user' || scope === 'user:email')
    const listed = canListEmails ? await fetchProviderJson(config, 'GitHub', `${config.profileUrl.replace(/\/+$/, '')}/emails`, { headers }) : []
    if (!Array.isArray(listed)) {
      throw refusal(config, messages.social.incorrectValue, messages.social.notJson('GitHub'))
    }
    return {
      ...chooseEmail(listed as ListedEmail[], json.email),
      extraData: json,
      ...namesOf({ fullName: json.name }),
      uid,
      username: textOf(json.login) || undefined,
    }
  },
})
