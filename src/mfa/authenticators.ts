import type { PayloadRequest, Where } from 'payload'

import type { RestAuthSettings, SanitizedRestAuthOptions } from '../types.js'
import type { TotpParameters } from './totp.js'

import { now } from '../utilities/clock.js'
import { safeEqual } from '../utilities/crypto.js'
import { decryptSecret, encryptSecret } from '../utilities/encryption.js'
import { localApi, pluginDatabase } from '../utilities/localApi.js'
import { withTransaction } from '../utilities/withTransaction.js'
import { newRecoveryCodes, newRecoverySalt, normalizeRecoveryCode, recoveryCodeDigest } from './recoveryCodes.js'
import { matchTotpStep, newTotpSecret, normalizeTotpCode, totpParametersOf } from './totp.js'

/*
 * The rows of src/collections/MfaAuthenticators: every read and write of a second factor. Using a
 * factor is one compare-and-set (a TOTP step later than the last one used, a recovery code not yet
 * used), so of concurrent requests with the same code exactly one gets through, on every instance.
 */

type Id = number | string

type Row = {
  activatedAt?: null | string
  codeDigest?: null | string
  createdAt: string
  id: Id
  lastStep?: null | number
  lastUsedAt?: null | string
  parameters?: null | TotpParameters
  salt?: null | string
  secret?: null | string
  setupExpiresAt?: null | string
  type: 'recovery_code' | 'totp'
  usedAt?: null | string
}

export type StoreArgs = { options: SanitizedRestAuthOptions; req: PayloadRequest; settings: RestAuthSettings }

const TOTP_PURPOSE = 'mfa-totp-secret'

const isoNow = (): string => new Date(now()).toISOString()

const findRows = async ({ options, req, userId, where }: { userId: Id; where: Where } & Omit<StoreArgs, 'settings'>): Promise<Row[]> =>
  (
    await localApi(req.payload).find<Row>({
      collection: options.slugs.mfaAuthenticators,
      depth: 0,
      overrideAccess: true,
      pagination: false,
      req,
      showHiddenFields: true,
      sort: '-createdAt',
      where: { and: [{ user: { equals: userId } }, where] },
    })
  ).docs

const activeTotpWhere: Where = { and: [{ type: { equals: 'totp' } }, { activatedAt: { exists: true } }] }

/** The user's active TOTP authenticator, if any. */
const activeTotp = async (args: { userId: Id } & StoreArgs): Promise<null | Row> => (await findRows({ ...args, where: activeTotpWhere }))[0] ?? null

/** The kinds of second factor the user can give now (`totp`, `recovery_codes`); empty: none is required. */
export const authenticatorTypes = async (args: { userId: Id } & Omit<StoreArgs, 'settings'>): Promise<('recovery_codes' | 'totp')[]> => {
  const rows = await findRows({
    ...args,
    where: { or: [activeTotpWhere, { and: [{ type: { equals: 'recovery_code' } }, { usedAt: { exists: false } }] }] },
  })
  if (!rows.some((row) => row.type === 'totp')) {
    return []
  }
  return rows.some((row) => row.type === 'recovery_code') ? ['totp', 'recovery_codes'] : ['totp']
}

/** Whether the user must give a second factor at login. */
export const hasActiveAuthenticator = async ({ options, req, userId }: { userId: Id } & Omit<StoreArgs, 'settings'>): Promise<boolean> => {
  const { totalDocs } = await localApi(req.payload).count({
    collection: options.slugs.mfaAuthenticators,
    overrideAccess: true,
    req,
    where: { and: [{ user: { equals: userId } }, activeTotpWhere] },
  })
  return totalDocs > 0
}

const decryptTotp = (row: Row, { req, settings }: StoreArgs) =>
  row.secret ? decryptSecret({ payload: req.payload, purpose: TOTP_PURPOSE, settings, value: row.secret }) : null

const encryptTotp = (secret: string, { req, settings }: StoreArgs): string =>
  encryptSecret({ payload: req.payload, plaintext: secret, purpose: TOTP_PURPOSE, settings })

/**
 * Copies whether the user has an active authenticator onto the user (`mfa_enabled`), which the
 * users list shows and filters on. Called after every change of a TOTP row.
 */
export const syncMfaFlag = async ({ options, req, userId }: { userId: Id } & Omit<StoreArgs, 'settings'>): Promise<void> => {
  const isEnabled = await hasActiveAuthenticator({ options, req, userId })
  // Written only when it differs: a user row is not touched (nor its updatedAt) for nothing.
  await localApi(req.payload).update({
    collection: options.usersCollection,
    data: { mfa_enabled: isEnabled },
    depth: 0,
    overrideAccess: true,
    req,
    where: { and: [{ id: { equals: userId } }, { or: [{ mfa_enabled: { not_equals: isEnabled } }, { mfa_enabled: { exists: false } }] }] },
  })
}

/** What `GET mfa/authenticators/` lists, allauth's headless shape. */
export const listAuthenticators = async (args: { userId: Id } & StoreArgs): Promise<Record<string, unknown>[]> => {
  const rows = await findRows({ ...args, where: { or: [activeTotpWhere, { type: { equals: 'recovery_code' } }] } })
  const epoch = (value?: null | string) => (value ? Math.floor(Date.parse(value) / 1000) : null)
  const list: Record<string, unknown>[] = rows
    .filter((row) => row.type === 'totp')
    .map((row) => ({ created_at: epoch(row.activatedAt), last_used_at: epoch(row.lastUsedAt), type: 'totp' }))
  const codes = rows.filter((row) => row.type === 'recovery_code')
  if (codes.length > 0) {
    list.push({
      created_at: epoch(codes.at(-1)!.createdAt),
      last_used_at: epoch(codes.map((row) => row.usedAt).filter(Boolean).sort().at(-1)),
      total_code_count: codes.length,
      type: 'recovery_codes',
      unused_code_count: codes.filter((row) => !row.usedAt).length,
    })
  }
  return list
}

/**
 * A new seed waiting for its first code; it replaces any earlier setup that never finished. The
 * seed is encrypted like an active one: only the answer to this request shows it.
 */
export const startTotpSetup = async (args: { userId: Id } & StoreArgs): Promise<{ parameters: TotpParameters; secret: string }> => {
  const { options, req, settings, userId } = args
  const secret = newTotpSecret()
  const parameters = totpParametersOf(settings)
  await withTransaction(req, async () => {
    await localApi(req.payload).delete({
      collection: options.slugs.mfaAuthenticators,
      overrideAccess: true,
      req,
      where: { and: [{ user: { equals: userId } }, { type: { equals: 'totp' } }, { activatedAt: { exists: false } }] },
    })
    await localApi(req.payload).create({
      collection: options.slugs.mfaAuthenticators,
      data: {
        parameters,
        secret: encryptTotp(secret, args),
        setupExpiresAt: new Date(now() + settings.mfaLoginTimeout * 1000).toISOString(),
        type: 'totp',
        user: userId,
      },
      depth: 0,
      overrideAccess: true,
      req,
    })
  })
  return { parameters, secret }
}

export type ActivationResult = 'activated' | 'already_active' | 'incorrect_code' | 'no_setup'

/** The pending setup becomes the user's authenticator when `code` is one of its codes. */
export const activateTotp = async (args: { code: string; userId: Id } & StoreArgs): Promise<ActivationResult> => {
  const { code, options, req, settings } = args
  if (await activeTotp(args)) {
    return 'already_active'
  }
  const pending = (await findRows({ ...args, where: { and: [{ type: { equals: 'totp' } }, { activatedAt: { exists: false } }] } }))[0]
  const decrypted = pending && decryptTotp(pending, args)
  if (!pending || !decrypted || !pending.parameters || !pending.setupExpiresAt || Date.parse(pending.setupExpiresAt) <= now()) {
    return 'no_setup'
  }
  const normalized = normalizeTotpCode(code, pending.parameters)
  const step = normalized
    ? matchTotpStep({
        code: normalized,
        lastStep: null,
        parameters: pending.parameters,
        secret: decrypted.plaintext,
        timestamp: now(),
        tolerance: settings.mfaTotpTolerance,
      })
    : null
  if (step === null) {
    return 'incorrect_code'
  }
  const row = await pluginDatabase(req.payload).updateOne({
    collection: options.slugs.mfaAuthenticators,
    data: { activatedAt: isoNow(), lastStep: step },
    options: { atomic: true },
    req,
    returning: true,
    where: { and: [{ id: { equals: pending.id } }, { activatedAt: { exists: false } }] },
  })
  if (!row) {
    return 'no_setup'
  }
  await syncMfaFlag(args)
  return 'activated'
}

/**
 * Whether `code` is the current code of the user's authenticator, in a step not used before; the
 * step is recorded in the same statement that checks it is new. A seed read under an older key is
 * re-encrypted under the current one.
 */
export const useTotpCode = async (args: { code: string; userId: Id } & StoreArgs): Promise<boolean> => {
  const { code, options, req, settings } = args
  const row = await activeTotp(args)
  const decrypted = row && decryptTotp(row, args)
  if (!row || !decrypted || !row.parameters) {
    return false
  }
  const normalized = normalizeTotpCode(code, row.parameters)
  const step = normalized
    ? matchTotpStep({
        code: normalized,
        lastStep: row.lastStep ?? null,
        parameters: row.parameters,
        secret: decrypted.plaintext,
        timestamp: now(),
        tolerance: settings.mfaTotpTolerance,
      })
    : null
  if (step === null) {
    return false
  }
  const updated = await pluginDatabase(req.payload).updateOne({
    collection: options.slugs.mfaAuthenticators,
    data: { lastStep: step, lastUsedAt: isoNow(), ...(decrypted.isStale ? { secret: encryptTotp(decrypted.plaintext, args) } : {}) },
    options: { atomic: true },
    req,
    returning: true,
    where: { and: [{ id: { equals: row.id } }, { lastStep: { less_than: step } }] },
  })
  return updated !== null
}

/**
 * Whether `code` is one of the user's unused recovery codes; it is used up by a compare-and-set on
 * its row. Costs one scrypt derivation whatever the code.
 */
export const useRecoveryCode = async (args: { code: string; userId: Id } & StoreArgs): Promise<boolean> => {
  const { code, options, req } = args
  const normalized = normalizeRecoveryCode(code)
  if (!normalized) {
    return false
  }
  const rows = await findRows({ ...args, where: { and: [{ type: { equals: 'recovery_code' } }, { usedAt: { exists: false } }] } })
  const salt = rows[0]?.salt
  if (!salt) {
    return false
  }
  const digest = await recoveryCodeDigest({ code: normalized, salt })
  const match = rows.find((row) => row.codeDigest && safeEqual(row.codeDigest, digest))
  if (!match) {
    return false
  }
  const used = await pluginDatabase(req.payload).updateOne({
    collection: options.slugs.mfaAuthenticators,
    data: { usedAt: isoNow() },
    options: { atomic: true },
    req,
    returning: true,
    where: { and: [{ id: { equals: match.id } }, { usedAt: { exists: false } }] },
  })
  return used !== null
}

/** A new set of recovery codes, replacing every earlier one; the codes are returned once, never stored. */
export const regenerateRecoveryCodes = async ({ options, req, settings, userId }: { userId: Id } & StoreArgs): Promise<string[]> => {
  const codes = newRecoveryCodes(settings.mfaRecoveryCodeCount)
  const salt = newRecoverySalt()
  const digests = await Promise.all(codes.map((code) => recoveryCodeDigest({ code: normalizeRecoveryCode(code)!, salt })))
  await withTransaction(req, async () => {
    await localApi(req.payload).delete({
      collection: options.slugs.mfaAuthenticators,
      overrideAccess: true,
      req,
      where: { and: [{ user: { equals: userId } }, { type: { equals: 'recovery_code' } }] },
    })
    for (const codeDigest of digests) {
      await localApi(req.payload).create({
        collection: options.slugs.mfaAuthenticators,
        data: { codeDigest, salt, type: 'recovery_code', user: userId },
        depth: 0,
        overrideAccess: true,
        req,
      })
    }
  })
  return codes
}

/** Every second factor of the user goes (deactivation, the admin's reset): recovery codes alone protect nothing. */
export const removeAuthenticators = async ({ options, req, userId }: { userId: Id } & Omit<StoreArgs, 'settings'>): Promise<number> => {
  const { docs } = await localApi(req.payload).delete({
    collection: options.slugs.mfaAuthenticators,
    context: { [SYNCED_CONTEXT_KEY]: true },
    overrideAccess: true,
    req,
    where: { user: { equals: userId } },
  })
  await syncMfaFlag({ options, req, userId })
  return docs.filter((doc) => doc.type === 'totp' && doc.activatedAt).length
}

/** A delete that syncs `mfa_enabled` itself says so, so the collection's hook does not. */
export const SYNCED_CONTEXT_KEY = 'restAuthMfaFlagSynced'
