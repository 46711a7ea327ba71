import type { Redactable } from './providerCalls.js'

import { now } from '../utilities/clock.js'
import { describeAnswer, fetchFromProvider, isSuccess, jsonObjectOf, refusal } from './providerCalls.js'
import { messages } from '../errors/messages.js'

/*
 * OpenID Connect Discovery 1.0: a provider's endpoints and keys, read from
 * `<issuer>/.well-known/openid-configuration` and cached per URL for an hour.
 */

export type OpenIdConfiguration = {
  authorization_endpoint: string
  /** RFC 7662 token introspection, where the provider offers it. */
  introspection_endpoint?: string
  issuer: string
  jwks_uri: string
  token_endpoint: string
  token_endpoint_auth_methods_supported?: string[]
  userinfo_endpoint?: string
}

const MAX_AGE_MS = 60 * 60_000

const cache = new Map<string, { document: OpenIdConfiguration; fetchedAt: number }>()

/** The discovery URL of an issuer (RFC 8414's rule: the issuer without its trailing slash). */
export const discoveryUrlOf = (issuer: string): string => `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`

const isHttpUrl = (value: unknown): value is string => {
  try {
    return typeof value === 'string' && ['http:', 'https:'].includes(new URL(value).protocol)
  } catch {
    return false
  }
}

/**
 * The provider's configuration. With `issuer`, the document must name that issuer (slashes at the
 * end aside): a document that claims another issuer is refused, as the specification requires.
 */
export const discover = async (
  context: Redactable & { label: string },
  url: string,
  { issuer }: { issuer?: string } = {},
): Promise<OpenIdConfiguration> => {
  const cached = cache.get(url)
  if (cached && now() - cached.fetchedAt < MAX_AGE_MS) {
    return cached.document
  }
  const answer = await fetchFromProvider(context, context.label, url, { headers: { accept: 'application/json' } })
  if (!isSuccess(answer)) {
    throw refusal(context, messages.social.discoveryFailed(context.label), describeAnswer(answer))
  }
  const document = jsonObjectOf(answer.text) as Partial<OpenIdConfiguration>
  const endpoints = [document.authorization_endpoint, document.token_endpoint, document.jwks_uri]
  if (typeof document.issuer !== 'string' || !endpoints.every(isHttpUrl)) {
    throw refusal(context, messages.social.discoveryFailed(context.label), 'issuer, authorization_endpoint, token_endpoint or jwks_uri is missing.')
  }
  const trim = (value: string) => value.replace(/\/+$/, '')
  if (issuer !== undefined && trim(document.issuer) !== trim(issuer)) {
    throw refusal(context, messages.social.discoveryFailed(context.label), `The document names the issuer ${document.issuer}.`)
  }
  const complete = document as OpenIdConfiguration
  cache.set(url, { document: complete, fetchedAt: now() })
  return complete
}
