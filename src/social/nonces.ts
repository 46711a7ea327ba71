import type { PayloadRequest } from 'payload'

import { ValidationError } from 'payload'

import type { SanitizedRestAuthOptions } from '../types.js'
import type { SocialProvider } from './types.js'

import { afterResponse } from '../utilities/afterResponse.js'
import { now } from '../utilities/clock.js'
import { sha256Hex } from '../utilities/crypto.js'
import { localApi } from '../utilities/localApi.js'
import { refusal } from './providerCalls.js'
import { messages } from '../errors/messages.js'

/**
 * Records an id_token's nonce as used, once: the row's digest is unique, so of several requests
 * with one token (a replay, or a race) exactly one gets through. Rows of expired tokens, which no
 * longer verify anyway, are removed after the answer.
 */
export const consumeNonce = async ({
  expiresAt,
  nonce,
  options,
  provider,
  req,
}: {
  /** The token's `exp`, in seconds. */
  expiresAt: number
  nonce: string
  options: SanitizedRestAuthOptions
  provider: SocialProvider
  req: PayloadRequest
}): Promise<void> => {
  const collection = options.slugs.idTokenNonces
  try {
    await localApi(req.payload).create({
      collection,
      data: { digest: sha256Hex(`${provider.id}:${nonce}`), expiresAt: new Date(expiresAt * 1000).toISOString() },
      depth: 0,
      overrideAccess: true,
      req,
    })
  } catch (err) {
    if (err instanceof ValidationError) {
      throw refusal(provider.config, messages.idToken.replayed)
    }
    throw err
  }
  const { payload } = req
  afterResponse(() =>
    localApi(payload).delete({ collection, overrideAccess: true, where: { expiresAt: { less_than: new Date(now()).toISOString() } } }),
  )
}
