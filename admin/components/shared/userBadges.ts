import type { Payload } from 'payload'

import { cache } from 'react'

import type { SanitizedRestAuthOptions } from '../../../src/types.js'

export type VerificationState = 'no-email' | 'unverified' | 'verified'

export type UserBadges = { providers: string[]; verification: VerificationState }

type Row = Record<string, unknown>

/**
 * What the users list shows per row; both cells of a row share one load per request. Verified means
 * what login's mandatory check means: the user's own address has a verified row.
 */
export const loadUserBadges = cache(
  async (options: SanitizedRestAuthOptions, payload: Payload, userId: number | string, email: unknown): Promise<UserBadges> => {
    const [addresses, social] = await Promise.all([
      payload.find({
        collection: options.slugs.emailAddresses as never,
        depth: 0,
        limit: 50,
        overrideAccess: true,
        pagination: false,
        where: { user: { equals: userId } },
      }),
      payload.find({
        collection: options.slugs.socialAccounts as never,
        depth: 0,
        limit: 50,
        overrideAccess: true,
        pagination: false,
        sort: 'provider',
        where: { user: { equals: userId } },
      }),
    ])
    const address = typeof email === 'string' ? email.toLowerCase() : ''
    const isVerified = (addresses.docs as Row[]).some(
      (row) => row.verified === true && typeof row.email === 'string' && row.email.toLowerCase() === address,
    )
    const providers = [...new Set((social.docs as Row[]).map((row) => row.provider).filter((p): p is string => typeof p === 'string'))]
    return { providers, verification: !address ? 'no-email' : isVerified ? 'verified' : 'unverified' }
  },
)
