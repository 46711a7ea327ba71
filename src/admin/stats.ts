import type { Payload, Where } from 'payload'

import type { SanitizedRestAuthOptions } from '../types.js'

import { localApi } from '../utilities/localApi.js'

const DAY_MS = 86_400_000

export type DashboardStats = {
  activeRefreshTokens: number
  activeSessions: number
  activeTokens: number
  signUpsLastWeek: number
  socialAccountsByProvider: { count: number; provider: string }[]
  users: number
  /** Users whose primary e-mail address is verified: what mandatory verification and the users list check. */
  verifiedUsers: number
}

/** The dashboard's counts, each one query through the Local API. */
export const loadDashboardStats = async ({
  now = Date.now(),
  options,
  payload,
}: {
  now?: number
  options: SanitizedRestAuthOptions
  payload: Payload
}): Promise<DashboardStats> => {
  const nowIso = new Date(now).toISOString()
  const count = async (collection: string, where?: Where): Promise<number> =>
    (await localApi(payload).count({ collection: collection, overrideAccess: true, where: where })).totalDocs
  const notExpired = { or: [{ expiresAt: { exists: false } }, { expiresAt: { greater_than: nowIso } }] }

  const [users, verified, signUpsLastWeek, activeTokens, activeSessions, activeRefreshTokens, providers] = await Promise.all([
    count(options.usersCollection),
    localApi(payload).findDistinct({
      collection: options.slugs.emailAddresses,
      field: 'user',
      limit: 1,
      overrideAccess: true,
      where: { and: [{ primary: { equals: true } }, { verified: { equals: true } }] },
    }),
    count(options.usersCollection, { createdAt: { greater_than: new Date(now - 7 * DAY_MS).toISOString() } }),
    count(options.slugs.tokens, { and: [{ kind: { equals: 'token' } }, notExpired] }),
    count(options.slugs.tokens, { and: [{ kind: { equals: 'session' } }, notExpired] }),
    count(options.slugs.outstandingTokens, { and: [{ blacklistedAt: { exists: false } }, { expiresAt: { greater_than: nowIso } }] }),
    localApi(payload).findDistinct({
      collection: options.slugs.socialAccounts,
      field: 'provider',
      limit: 100,
      overrideAccess: true,
      sort: 'provider',
    }),
  ])
  const providerNames = (providers.values as Record<string, unknown>[])
    .map((row) => row.provider)
    .filter((name): name is string => typeof name === 'string' && name !== '')
  const socialAccountsByProvider = await Promise.all(
    providerNames.map(async (provider) => ({
      count: await count(options.slugs.socialAccounts, { provider: { equals: provider } }),
      provider,
    })),
  )
  return {
    activeRefreshTokens,
    activeSessions,
    activeTokens,
    signUpsLastWeek,
    socialAccountsByProvider,
    users,
    verifiedUsers: verified.totalDocs,
  }
}
