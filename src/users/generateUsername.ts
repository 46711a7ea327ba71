import type { PayloadRequest } from 'payload'

import { randomInt } from 'node:crypto'

import type { SanitizedRestAuthOptions } from '../types.js'
import { localApi } from '../utilities/localApi.js'

/**
 * django-allauth's generate_unique_username: the first usable candidate (a provider's username
 * `hint`, else the e-mail's local part), made unique with digits.
 */
export const generateUsername = async ({
  email,
  hint,
  options,
  req,
}: {
  email?: string
  /** A preferred username, e.g. the GitHub login of a social sign-up. */
  hint?: string
  options: SanitizedRestAuthOptions
  req: PayloadRequest
}): Promise<string> => {
  const clean = (value: string | undefined): string =>
    (value ?? '')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}_.@+-]/gu, '')
      .slice(0, 30)
  const base = clean(hint) || clean(email?.split('@')[0]) || 'user'
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const candidate = attempt === 0 ? base : `${base}${randomInt(10 ** Math.min(attempt, 6))}`
    const { totalDocs } = await localApi(req.payload).count({
      collection: options.usersCollection,
      overrideAccess: true,
      req,
      where: { username: { equals: candidate } },
    })
    if (totalDocs === 0) {
      return candidate
    }
  }
  return `${base}${Date.now().toString(36)}`
}
