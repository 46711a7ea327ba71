import type { JsonWebKey, KeyObject } from 'node:crypto'

import { createPublicKey } from 'node:crypto'

import type { Redactable } from './providerCalls.js'

import { now } from '../utilities/clock.js'
import { fetchProviderJson, refusal } from './providerCalls.js'
import { messages } from '../errors/messages.js'

/*
 * Providers' signing keys (JWKS), cached per URL for every Payload instance of the process. A
 * token signed with a key the cache does not hold makes one refetch, since providers publish a new
 * key before they sign with it; refetches of one URL are at most one per REFETCH_FLOOR_MS, so a
 * flood of tokens with made-up key ids cannot turn the server against the provider.
 */

/** A cached key set is refreshed after this long even when every key is known. */
export const JWKS_MAX_AGE_MS = 60 * 60_000
/** The least time between two fetches of one key set. */
export const JWKS_REFETCH_FLOOR_MS = 60_000

type KeySet = { fetchedAt: number; keys: JsonWebKey[] }

const cache = new Map<string, KeySet>()
const inFlight = new Map<string, Promise<KeySet>>()

/** Forgets every cached key set (a test that moved the plugin's clock starts clean). */
export const clearKeySets = (): void => {
  cache.clear()
}

const load = (context: Redactable & { label: string }, url: string): Promise<KeySet> => {
  const running = inFlight.get(url)
  if (running) {
    return running
  }
  const loading = fetchProviderJson(context, context.label, url)
    .then((body) => {
      const keys = (body as { keys?: unknown } | null)?.keys
      const set = { fetchedAt: now(), keys: Array.isArray(keys) ? (keys.filter((key) => key && typeof key === 'object') as JsonWebKey[]) : [] }
      cache.set(url, set)
      return set
    })
    .finally(() => inFlight.delete(url))
  inFlight.set(url, loading)
  return loading
}

/** Which key type and curve an algorithm needs. */
const keyTypeOf = (alg: string): { crv?: string; kty: string } | null => {
  if (/^(RS|PS)(256|384|512)$/.test(alg)) {
    return { kty: 'RSA' }
  }
  const curves: Record<string, string> = { ES256: 'P-256', ES384: 'P-384', ES512: 'P-521' }
  return curves[alg] ? { crv: curves[alg], kty: 'EC' } : null
}

/** The algorithms an id_token may be signed with: asymmetric ones only (never `none`, never HMAC). */
export const isAcceptedAlgorithm = (alg: unknown): alg is string => typeof alg === 'string' && keyTypeOf(alg) !== null

const matching = (set: KeySet, { alg, kid }: { alg: string; kid?: string }): JsonWebKey | undefined => {
  const type = keyTypeOf(alg)
  const candidates = set.keys.filter(
    (key) =>
      key.kty === type?.kty &&
      (type?.crv === undefined || key.crv === type.crv) &&
      (key.use === undefined || key.use === 'sig') &&
      (key.alg === undefined || key.alg === alg),
  )
  if (kid !== undefined) {
    return candidates.find((key) => (key as { kid?: unknown }).kid === kid)
  }
  // Without a kid a token names no key: only a set with a single candidate is unambiguous.
  return candidates.length === 1 ? candidates[0] : undefined
}

/** The public key a token's header names, from the provider's key set at `url`. */
export const findSigningKey = async (
  context: Redactable & { label: string },
  url: string,
  header: { alg: string; kid?: string },
): Promise<KeyObject> => {
  let set = cache.get(url)
  if (!set || now() - set.fetchedAt >= JWKS_MAX_AGE_MS) {
    set = await load(context, url)
  }
  let key = matching(set, header)
  if (!key && now() - set.fetchedAt >= JWKS_REFETCH_FLOOR_MS) {
    set = await load(context, url)
    key = matching(set, header)
  }
  if (!key) {
    throw refusal(context, messages.idToken.unknownKey(context.label))
  }
  try {
    return createPublicKey({ format: 'jwk', key })
  } catch {
    throw refusal(context, messages.idToken.unknownKey(context.label))
  }
}
