import type { ProviderConfig } from './types.js'

import { socialMessages } from './messages.js'
import { describeAnswer, fetchFromProvider, jsonObjectOf, refusal } from './providerCalls.js'

const refuseOtherApplication = (config: ProviderConfig, label: string) =>
  refusal(config, socialMessages.incorrectValue, socialMessages.otherApplication(label))

/**
 * Google's tokeninfo names the client a token was issued to (`aud`, and `azp` for tokens obtained
 * by one of a project's clients on behalf of another); either must be ours.
 */
export const checkGoogleTokenAudience = async (config: ProviderConfig, accessToken: string): Promise<void> => {
  const url = new URL(config.tokenCheckUrl)
  url.searchParams.set('access_token', accessToken)
  const answer = await fetchFromProvider(config, 'Google', url.toString())
  if (answer.status !== 200) {
    throw refusal(config, socialMessages.incorrectValue, describeAnswer(answer))
  }
  const info = jsonObjectOf(answer.text)
  const accepted = new Set([config.clientId, ...config.acceptedClientIds])
  if (![info.aud, info.azp].some((client) => typeof client === 'string' && accepted.has(client))) {
    throw refuseOtherApplication(config, 'Google')
  }
}

/**
 * GitHub's "check a token" API answers 200 only for tokens of the OAuth app whose ID and secret
 * authenticate the request (404 for any other token).
 */
export const checkGithubTokenAudience = async (config: ProviderConfig, accessToken: string): Promise<void> => {
  const url = config.tokenCheckUrl.replace('{client_id}', encodeURIComponent(config.clientId))
  const answer = await fetchFromProvider(config, 'GitHub', url, {
    body: JSON.stringify({ access_token: accessToken }),
    headers: {
      accept: 'application/vnd.github+json',
      authorization: `Basic ${Buffer.from(`${config.clientId}:${config.secret}`).toString('base64')}`,
      'content-type': 'application/json',
      'user-agent': 'payload-rest-auth',
    },
    method: 'POST',
  })
  if (answer.status === 404) {
    throw refuseOtherApplication(config, 'GitHub')
  }
  const app = jsonObjectOf(answer.text).app as Record<string, unknown> | undefined
  if (answer.status !== 200 || app?.client_id !== config.clientId) {
    throw refusal(config, socialMessages.incorrectValue, answer.status === 200 ? socialMessages.otherApplication('GitHub') : describeAnswer(answer))
  }
}
