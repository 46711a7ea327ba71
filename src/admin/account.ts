import type { Payload, PayloadRequest, Where } from 'payload'

import type { RestAuthSettings, RestAuthUser, SanitizedRestAuthOptions } from '../types.js'

import { sendConfirmation } from '../emailAddresses/sendConfirmation.js'
import { revokeAllCredentials } from '../auth/revokeCredentials.js'
import { blacklistToken } from '../jwt/outstandingTokens.js'
import { endSession } from '../sessions/endSessions.js'
import { evictUserFromTokenCache } from '../tokens/tokenStore.js'
import { withTransaction } from '../utilities/withTransaction.js'
import { localApi } from '../utilities/localApi.js'
import { markAddressVerified } from '../emailAddresses/markVerified.js'
import { providerLabel } from './socialProviders.js'

/** How many active tokens the user page lists; "Revoke all" still reaches every one. */
export const ACCOUNT_TOKEN_LIMIT = 100

type Id = number | string

export type AccountEmail = { email: string; id: Id; isPrimary: boolean; isVerified: boolean }
export type AccountSocialAccount = {
  createdAt: null | string
  id: Id
  /** The provider's name (an OpenID Connect provider's label). */
  label: string
  lastLogin: null | string
  provider: string
  uid: string
}
export type AccountTokenKind = 'refresh' | 'session' | 'token'
export type AccountToken = {
  createdAt: null | string
  expiresAt: null | string
  id: Id
  /** The first characters of the key (opaque tokens) or of the jti (refresh tokens). */
  key: string
  kind: AccountTokenKind
  lastUsedAt: null | string
  /** The public id of the login it belongs to (see `sessions`); null for credentials older than sessions. */
  session: null | string
  userAgent: string
}

/** A live login of the user, whose credentials the page lists under it. */
export type AccountSession = {
  authenticatedAt: null | string
  createdAt: null | string
  device: string
  expiresAt: null | string
  /** The public id. */
  id: string
  ipAddress: string
  lastSeenAt: null | string
  /** The methods used, by name (`password`, `social:google`). */
  methods: string[]
}
/** The user's second factor, as the account panel shows it (never a secret). */
export type AccountMfa = { isActive: boolean; unusedRecoveryCodes: number }

/** What the user's page shows about their account, as the admin endpoints answer it. */
export type UserAccount = {
  emails: AccountEmail[]
  /** The user's live logins, newest first; each token's `session` names one of them (or none). */
  sessions: AccountSession[]
  mfa: AccountMfa
  socialAccounts: AccountSocialAccount[]
  tokens: AccountToken[]
  /** Active tokens in all, listed or not. */
  totalTokens: number
}

type Row = Record<string, unknown>

const text = (value: unknown): string => (typeof value === 'string' ? value : '')
const dateOrNull = (value: unknown): null | string => (typeof value === 'string' && value ? value : null)


const activeTokenWhere = (userId: Id, now: string): Where => ({
  and: [
    { user: { equals: userId } },
    { or: [{ expiresAt: { exists: false } }, { expiresAt: { greater_than: now } }] },
  ],
})

const activeRefreshWhere = (userId: Id, now: string): Where => ({
  and: [
    { user: { equals: userId } },
    { blacklistedAt: { exists: false } },
    { expiresAt: { greater_than: now } },
  ],
})

const methodNames = (value: unknown): string[] =>
  Array.isArray(value)
    ? value.map((entry: Row) => (typeof entry?.provider === 'string' ? `${text(entry.method)}:${entry.provider}` : text(entry?.method)))
    : []

const toAccountSession = (row: Row): AccountSession => ({
  authenticatedAt: dateOrNull(row.authenticatedAt),
  createdAt: dateOrNull(row.createdAt),
  device: text(row.device),
  expiresAt: dateOrNull(row.expiresAt),
  id: text(row.publicId),
  ipAddress: text(row.ipAddress),
  lastSeenAt: dateOrNull(row.lastSeenAt),
  methods: methodNames(row.methods),
})

/** Reads outside any transaction (the four queries run at once), after the action has committed. */
export const loadUserAccount = async ({
  options,
  payload,
  userId,
}: {
  options: SanitizedRestAuthOptions
  payload: Payload
  userId: Id
}): Promise<UserAccount> => {
  const now = new Date().toISOString()
  const common = { depth: 0, overrideAccess: true } as const
  const [emails, social, tokens, refresh, settings, sessions, mfaRows] = await Promise.all([
    localApi(payload).find({
      ...common,
      collection: options.slugs.emailAddresses,
      limit: 50,
      sort: 'email',
      where: { user: { equals: userId } },
    }),
    localApi(payload).find({
      ...common,
      collection: options.slugs.socialAccounts,
      limit: 50,
      sort: 'provider',
      where: { user: { equals: userId } },
    }),
    localApi(payload).find({
      ...common,
      collection: options.slugs.tokens,
      limit: ACCOUNT_TOKEN_LIMIT,
      sort: '-createdAt',
      where: activeTokenWhere(userId, now),
    }),
    localApi(payload).find({
      ...common,
      collection: options.slugs.outstandingTokens,
      limit: ACCOUNT_TOKEN_LIMIT,
      sort: '-createdAt',
      where: activeRefreshWhere(userId, now),
    }),
    options.settingsStore.get(payload),
    localApi(payload).find({
      ...common,
      collection: options.slugs.sessions,
      limit: ACCOUNT_TOKEN_LIMIT,
      sort: '-createdAt',
      where: {
        and: [
          { user: { equals: userId } },
          { endedAt: { exists: false } },
          { or: [{ expiresAt: { exists: false } }, { expiresAt: { greater_than: now } }] },
        ],
      },
    }),
    localApi(payload).find({
      ...common,
      collection: options.slugs.mfaAuthenticators,
      pagination: false,
      where: { user: { equals: userId } },
    }),
  ])
  const mfaDocs = mfaRows.docs as Row[]
  const tokenRows: AccountToken[] = [
    ...(tokens.docs as Row[]).map((row) => ({
      createdAt: dateOrNull(row.createdAt),
      expiresAt: dateOrNull(row.expiresAt),
      id: row.id as Id,
      key: text(row.prefix),
      kind: (row.kind === 'session' ? 'session' : 'token') as AccountTokenKind,
      lastUsedAt: dateOrNull(row.lastUsedAt),
      session: text(row.session) || null,
      userAgent: text(row.userAgent),
    })),
    ...(refresh.docs as Row[]).map((row) => ({
      createdAt: dateOrNull(row.createdAt),
      expiresAt: dateOrNull(row.expiresAt),
      id: row.id as Id,
      key: text(row.jti).slice(0, 8),
      kind: 'refresh' as const,
      lastUsedAt: null,
      session: text(row.session) || null,
      userAgent: text(row.userAgent),
    })),
  ]
  return {
    emails: (emails.docs as Row[]).map((row) => ({
      email: text(row.email),
      id: row.id as Id,
      isPrimary: row.primary === true,
      isVerified: row.verified === true,
    })),
    sessions: (sessions.docs as Row[]).map(toAccountSession),
    mfa: {
      isActive: mfaDocs.some((row) => row.type === 'totp' && Boolean(row.activatedAt)),
      unusedRecoveryCodes: mfaDocs.filter((row) => row.type === 'recovery_code' && !row.usedAt).length,
    },
    socialAccounts: (social.docs as Row[]).map((row) => ({
      createdAt: dateOrNull(row.createdAt),
      id: row.id as Id,
      label: providerLabel(settings, text(row.provider)),
      lastLogin: dateOrNull(row.lastLogin),
      provider: text(row.provider),
      uid: text(row.uid),
    })),
    tokens: tokenRows,
    totalTokens: tokens.totalDocs + refresh.totalDocs,
  }
}

/** A row of one of the plugin's collections that belongs to the user, or null. */
const findOwnRow = async ({
  collection,
  id,
  req,
  userId,
}: {
  collection: string
  id: Id
  req: PayloadRequest
  userId: Id
}): Promise<null | Row> => {
  const { docs } = await localApi(req.payload).find({
    collection: collection,
    depth: 0,
    limit: 1,
    overrideAccess: true,
    pagination: false,
    req,
    where: { and: [{ id: { equals: id } }, { user: { equals: userId } }] },
  })
  return (docs[0] as Row | undefined) ?? null
}

/**
 * A user as the admin screens show it: its hidden fields (the imported Django hash) left out, unlike
 * users/findUser.ts's `findUserById`, which the password flows use to check the password.
 */
export const findUserWithoutSecrets = async ({
  options,
  req,
  userId,
}: {
  options: SanitizedRestAuthOptions
  req: PayloadRequest
  userId: Id
}): Promise<null | RestAuthUser> =>
  (await localApi(req.payload).findByID({
    collection: options.usersCollection,
    depth: 0,
    disableErrors: true,
    id: userId,
    overrideAccess: true,
    req,
  })) as null | RestAuthUser

type ActionArgs = { options: SanitizedRestAuthOptions; req: PayloadRequest; userId: Id }

/**
 * Revokes one opaque token or session, as logout does for the one that made the request: the row
 * goes (its afterDelete hook drops the cached lookup) and the user's cached lookups are dropped.
 */
export const revokeTokenById = async ({ options, req, tokenId, userId }: { tokenId: Id } & ActionArgs): Promise<boolean> => {
  const row = await findOwnRow({ collection: options.slugs.tokens, id: tokenId, req, userId })
  if (!row) {
    return false
  }
  await localApi(req.payload).delete({ collection: options.slugs.tokens, depth: 0, id: tokenId, overrideAccess: true, req })
  evictUserFromTokenCache(req.payload, userId)
  return true
}

/** Blacklists one JWT refresh token of the user (simplejwt's admin action). */
export const revokeRefreshTokenById = async ({ options, refreshId, req, userId }: { refreshId: Id } & ActionArgs): Promise<boolean> => {
  const row = await findOwnRow({ collection: options.slugs.outstandingTokens, id: refreshId, req, userId })
  if (!row || typeof row.jti !== 'string') {
    return false
  }
  await blacklistToken({ jti: row.jti, options, reason: 'admin', req })
  return true
}

/** Ends one login of the user with every credential of it, as `sessions/<id>/revoke/` does. */
export const revokeSessionById = ({ options, publicId, req, userId }: { publicId: string } & ActionArgs): Promise<boolean> =>
  endSession({ options, publicId, reason: 'admin', req, userId })

/** Every token, session and refresh token of the user stops working, as after a password reset. */
export const revokeAllUserCredentials = async ({ options, req, userId }: ActionArgs): Promise<void> => {
  await withTransaction(req, () => revokeAllCredentials({ options, reason: 'admin', req, userId }))
}

/** What registration/verify-email/ does with a good key, without the key. */
export const markEmailVerified = async ({ addressId, options, req, userId }: { addressId: Id } & ActionArgs): Promise<null | Row> => {
  const row = await findOwnRow({ collection: options.slugs.emailAddresses, id: addressId, req, userId })
  if (!row) {
    return null
  }
  if (row.verified !== true) {
    await markAddressVerified({ id: addressId, options, req })
  }
  return row
}

/** registration/resend-email/ for one address; unlike the public route it reports whether the mail went out. */
export const resendEmailConfirmation = async ({
  addressId,
  options,
  req,
  settings,
  userId,
}: { addressId: Id; settings: RestAuthSettings } & ActionArgs): Promise<{ address: Row; isSent: boolean } | null> => {
  const row = await findOwnRow({ collection: options.slugs.emailAddresses, id: addressId, req, userId })
  const user = row ? await findUserWithoutSecrets({ options, req, userId }) : null
  if (!row || !user || typeof row.email !== 'string') {
    return null
  }
  const isSent = await sendConfirmation({ address: { email: row.email, id: addressId }, options, req, settings, user })
  return { address: row, isSent }
}
