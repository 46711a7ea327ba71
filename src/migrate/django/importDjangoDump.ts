import type { Payload, PayloadRequest } from 'payload'

import { createLocalReq } from 'payload'
import { email as payloadEmailValidation } from 'payload/shared'

import type { SanitizedRestAuthOptions } from '../../types.js'
import type { TransactionScope } from '../../utilities/withTransaction.js'
import type { DumpRecord } from './dump.js'
import type { ImportProblem, PlannedUser } from './plan.js'

import { djangoIdField, djangoPasswordField } from '../../passwords/django/field.js'
import { djangoHasherNamed } from '../../passwords/django/hashers.js'
import { sha256Hex } from '../../utilities/crypto.js'
import { localApi, pluginDatabase } from '../../utilities/localApi.js'
import { pluginOptionsOf } from '../../utilities/pluginOptions.js'
import { withTransaction } from '../../utilities/withTransaction.js'
import { readDump } from './dump.js'
import { planImport, relatedModels } from './plan.js'

export type { ImportProblem } from './plan.js'
export { DjangoDumpError } from './dump.js'

export type RowCounts = {
  /** Written by this run (with `dryRun`: would be). */
  created: number
  /** Already here from an earlier run, left as they are. */
  existing: number
  skipped: number
}

export type DjangoImportReport = {
  batches: number
  dryRun: boolean
  emailAddresses: RowCounts
  /** The run stopped at this batch, which was rolled back; the batches before it are committed. */
  failure?: { batch: number; message: string }
  ignoredModels: Record<string, number>
  /** Things an administrator should know, in sentences. */
  notices: string[]
  /** How the passwords of the users created were stored. */
  passwords: {
    /** Django's pbkdf2_sha256 at 600,000 iterations, which is Payload's own format. */
    converted: number
    /** Kept as Django hashes until the first login, by algorithm. */
    kept: Record<string, number>
    /** Users without a usable password (social-only accounts, set_unusable_password). */
    unusable: number
  }
  /** Every row that was left out or lost something, and why. */
  problems: ImportProblem[]
  socialAccounts: RowCounts
  tokens: RowCounts
  users: RowCounts
}

export type ImportDjangoDumpArgs = {
  /** Users per transaction. @default 200 */
  batchSize?: number
  /** Decide everything, write nothing. @default false */
  dryRun?: boolean
  /** The dumpdata file (JSON or JSON lines), or its records. */
  dump: DumpRecord[] | string
  /** Called after each batch. */
  onBatch?: (progress: { batch: number; batches: number }) => void
  payload: Payload
  /** The dump's user model (AUTH_USER_MODEL, lower-case `app.model`). @default 'auth.user' */
  userModel?: string
}

/** DRF's Token has no user agent: the admin's token list tells imported keys by this. */
const IMPORTED_TOKEN_AGENT = 'Imported from Django REST framework'

type Id = number | string
type Counters = Pick<DjangoImportReport, 'emailAddresses' | 'passwords' | 'problems' | 'socialAccounts' | 'tokens' | 'users'> & {
  staff: number
  superusers: number
}

/** Who already holds the batch's usernames, addresses, social accounts and token digests. */
type BatchState = {
  addressOwners: Map<string, Id>
  digestOwners: Map<string, Id>
  socialOwners: Map<string, Id>
  userEmailOwners: Map<string, Id>
  usersByDjangoId: Map<string, Id>
  usersByUsername: Map<string, Id>
}

const isSameId = (a: Id | undefined, b: Id): boolean => a !== undefined && String(a) === String(b)

const idOf = (value: unknown): Id => (value && typeof value === 'object' ? (value as { id: Id }).id : (value as Id))

const isValidEmail = (email: string): boolean =>
  payloadEmailValidation(email, { req: { payload: {}, t: () => 'invalid' }, required: false, siblingData: {} } as never) === true

const emptyCounts = (): RowCounts => ({ created: 0, existing: 0, skipped: 0 })

const loadBatchState = async (options: SanitizedRestAuthOptions, req: PayloadRequest, users: PlannedUser[]): Promise<BatchState> => {
  const api = localApi(req.payload)
  const find = async (collection: string, field: string, values: string[], select: Record<string, boolean>) =>
    values.length === 0
      ? []
      : (await api.find({ collection, depth: 0, overrideAccess: true, pagination: false, req, select, where: { [field]: { in: values } } })).docs
  const emails = users.flatMap((user) => [...(user.email ? [user.email] : []), ...user.addresses.map((address) => address.email)])
  const [byDjangoId, byUsername, byEmail, addresses, socialAccounts, tokens] = await Promise.all([
    find(options.usersCollection, djangoIdField, users.map((user) => user.djangoId), { [djangoIdField]: true }),
    find(options.usersCollection, 'username', users.map((user) => user.username), { username: true }),
    find(options.usersCollection, 'email', emails, { email: true }),
    find(options.slugs.emailAddresses, 'email', emails, { email: true, user: true }),
    find(options.slugs.socialAccounts, 'providerUid', users.flatMap((user) => user.socialAccounts.map((a) => `${a.provider}:${a.uid}`)), { providerUid: true, user: true }),
    find(options.slugs.tokens, 'digest', users.flatMap((user) => user.tokens.map((token) => sha256Hex(token.key))), { digest: true, user: true }),
  ])
  const mapOf = (docs: Record<string, unknown>[], key: string, owner: (doc: Record<string, unknown>) => Id) =>
    new Map(docs.map((doc) => [String(doc[key]), owner(doc)]))
  return {
    addressOwners: mapOf(addresses, 'email', (doc) => idOf(doc.user)),
    digestOwners: mapOf(tokens, 'digest', (doc) => idOf(doc.user)),
    socialOwners: mapOf(socialAccounts, 'providerUid', (doc) => idOf(doc.user)),
    userEmailOwners: mapOf(byEmail, 'email', (doc) => doc.id as Id),
    usersByDjangoId: mapOf(byDjangoId, djangoIdField, (doc) => doc.id as Id),
    usersByUsername: mapOf(byUsername, 'username', (doc) => doc.id as Id),
  }
}

/** Values for the collection's other fields, as Payload's create would default them. */
const fieldDefaults = (payload: Payload, slug: string): Record<string, unknown> => {
  const config = payload.collections[slug as keyof typeof payload.collections]?.config
  const defaults: Record<string, unknown> = {}
  for (const field of config?.flattenedFields ?? []) {
    const value = 'defaultValue' in field ? field.defaultValue : undefined
    if (value !== undefined && typeof value !== 'function' && !['array', 'blocks', 'join', 'relationship', 'upload'].includes(field.type)) {
      defaults[field.name] = value
    }
  }
  if (config?.auth && typeof config.auth === 'object' && config.auth.verify) {
    defaults._verified = true
  }
  return defaults
}

/**
 * The user row is written with Payload's database adapter rather than the Local API: Payload's create
 * derives a password hash of 600,000 iterations for every user (a tenth of a second of CPU each), and
 * an imported user has no password to give it. The row gets what Payload's create would give it
 * (normalized username and address, the fields' defaults, timestamps); the collection's hooks do not
 * run for it.
 */
const createUser = async (req: PayloadRequest, options: SanitizedRestAuthOptions, user: PlannedUser, email: null | string): Promise<Id> => {
  const { password } = user
  const row = await pluginDatabase(req.payload).create({
    collection: options.usersCollection,
    data: {
      ...fieldDefaults(req.payload, options.usersCollection),
      [djangoIdField]: user.djangoId,
      [djangoPasswordField]: password.kind === 'django' ? password.encoded : null,
      createdAt: user.createdAt ?? new Date().toISOString(),
      email,
      first_name: user.firstName,
      hash: password.kind === 'payload' ? password.hash : null,
      is_active: user.isActive,
      is_staff: user.isStaff,
      last_login: user.lastLogin,
      last_name: user.lastName,
      salt: password.kind === 'payload' ? password.salt : null,
      updatedAt: new Date().toISOString(),
      username: user.username,
    },
    req,
  })
  return row.id
}

const importUser = async ({
  counts,
  dryRun,
  options,
  req,
  scope,
  state,
  tokenExpiresAt,
  user,
  userModel,
}: {
  counts: Counters
  dryRun: boolean
  options: SanitizedRestAuthOptions
  req: PayloadRequest
  scope: TransactionScope
  state: BatchState
  tokenExpiresAt: null | string
  user: PlannedUser
  userModel: string
}): Promise<void> => {
  const api = localApi(req.payload)
  const problem = (model: string, pk: unknown, kind: ImportProblem['kind'], message: string) =>
    counts.problems.push({ kind, message, model, pk })
  const create = async (collection: string, data: Record<string, unknown>): Promise<void> => {
    if (dryRun) {
      return
    }
    const doc = await api.create({ collection, data, depth: 0, overrideAccess: true, req })
    scope.undoOnFailure(() => api.delete({ collection, id: doc.id, overrideAccess: true }))
  }

  let userId = state.usersByDjangoId.get(user.djangoId)
  if (userId !== undefined) {
    counts.users.existing += 1
  } else {
    if (state.usersByUsername.has(user.username)) {
      problem(userModel, user.djangoId, 'collision', `username "${user.username}" belongs to a user who was not imported from this Django; not imported`)
      counts.users.skipped += 1
      counts.emailAddresses.skipped += user.addresses.length
      counts.socialAccounts.skipped += user.socialAccounts.length
      counts.tokens.skipped += user.tokens.length
      return
    }
    let email = user.email
    if (email && (state.userEmailOwners.has(email) || state.addressOwners.has(email))) {
      problem(userModel, user.djangoId, 'collision', `e-mail "${email}" belongs to another user here; imported without it`)
      email = null
    }
    userId = dryRun ? `(new ${user.djangoId})` : await createUser(req, options, user, email)
    if (!dryRun) {
      const created = userId
      // Deleting the user takes its addresses, social accounts and tokens along (deleteUserRows).
      scope.undoOnFailure(() => api.delete({ collection: options.usersCollection, id: created, overrideAccess: true }))
    }
    counts.users.created += 1
    counts.staff += user.isStaff ? 1 : 0
    counts.superusers += user.isStaff && user.isSuperuser ? 1 : 0
    const { password } = user
    if (password.kind === 'payload') {
      counts.passwords.converted += 1
    } else if (password.kind === 'django') {
      counts.passwords.kept[password.algorithm] = (counts.passwords.kept[password.algorithm] ?? 0) + 1
    } else {
      counts.passwords.unusable += 1
    }
  }

  for (const address of user.addresses) {
    const rowOwner = state.addressOwners.get(address.email)
    const userOwner = state.userEmailOwners.get(address.email)
    if (rowOwner !== undefined || (userOwner !== undefined && !isSameId(userOwner, userId))) {
      if (isSameId(rowOwner, userId)) {
        counts.emailAddresses.existing += 1
      } else {
        problem(relatedModels.emailAddresses, address.pk, 'collision', `"${address.email}" belongs to another user here`)
        counts.emailAddresses.skipped += 1
      }
      continue
    }
    await create(options.slugs.emailAddresses, { email: address.email, primary: address.primary, user: userId, verified: address.verified })
    counts.emailAddresses.created += 1
  }

  for (const account of user.socialAccounts) {
    const owner = state.socialOwners.get(`${account.provider}:${account.uid}`)
    if (owner !== undefined) {
      if (isSameId(owner, userId)) {
        counts.socialAccounts.existing += 1
      } else {
        problem(relatedModels.socialAccounts, account.pk, 'collision', `${account.provider}:${account.uid} is linked to another user here`)
        counts.socialAccounts.skipped += 1
      }
      continue
    }
    await create(options.slugs.socialAccounts, {
      createdAt: account.createdAt ?? undefined,
      extra_data: account.extraData,
      lastLogin: account.lastLogin,
      provider: account.provider,
      uid: account.uid,
      user: userId,
    })
    counts.socialAccounts.created += 1
  }

  for (const token of user.tokens) {
    const digest = sha256Hex(token.key)
    const owner = state.digestOwners.get(digest)
    if (owner !== undefined) {
      if (isSameId(owner, userId)) {
        counts.tokens.existing += 1
      } else {
        problem(relatedModels.tokens, `${token.key.slice(0, 8)}…`, 'collision', 'the key belongs to another user here')
        counts.tokens.skipped += 1
      }
      continue
    }
    // Stored as the plugin stores its own keys: a SHA-256 digest and the first eight characters.
    await create(options.slugs.tokens, {
      createdAt: token.createdAt ?? undefined,
      digest,
      expiresAt: tokenExpiresAt,
      kind: 'token',
      prefix: token.key.slice(0, 8),
      user: userId,
      userAgent: IMPORTED_TOKEN_AGENT,
    })
    counts.tokens.created += 1
  }
}

const noticesOf = (report: DjangoImportReport, staff: { staff: number; superusers: number }): string[] => {
  const notices: string[] = []
  const weak = Object.entries(report.passwords.kept).filter(([algorithm]) => djangoHasherNamed(algorithm)?.isWeak)
  const unknown = Object.entries(report.passwords.kept).filter(([algorithm]) => !djangoHasherNamed(algorithm))
  if (weak.length > 0) {
    notices.push(
      `${weak.map(([algorithm, count]) => `${count} ${algorithm}`).join(', ')} password hash(es) are weak: those users cannot log in with them unless the allowWeakDjangoHashes setting is on; otherwise they must reset their password.`,
    )
  }
  if (unknown.length > 0) {
    notices.push(
      `${unknown.map(([algorithm, count]) => `${count} "${algorithm}"`).join(', ')} password hash(es) use an algorithm this plugin cannot check: those users must reset their password.`,
    )
  }
  if (staff.staff > 0) {
    notices.push(
      `${staff.staff} imported user(s) are staff (is_staff), ${staff.superusers} of them superusers: here staff administer the whole API; Django's groups and permissions are not imported.`,
    )
  }
  return notices
}

/**
 * Imports `manage.py dumpdata auth.user account.emailaddress socialaccount.socialaccount authtoken.token`
 * into the plugin's collections: users (with `django_id`, their flags, dates and password hashes),
 * e-mail addresses, social accounts and DRF token keys (stored as digests, so `Authorization: Token
 * <key>` goes on working). One transaction per batch of users; rows already here are left as they
 * are, so a second run of the same dump changes nothing.
 */
export const importDjangoDump = async ({
  batchSize = 200,
  dryRun = false,
  dump,
  onBatch,
  payload,
  userModel = 'auth.user',
}: ImportDjangoDumpArgs): Promise<DjangoImportReport> => {
  const options = pluginOptionsOf(payload)
  const records = typeof dump === 'string' ? await readDump(dump) : dump
  const plan = planImport(records, { isValidEmail, userModel: userModel.toLowerCase() })
  const staff = { staff: 0, superusers: 0 }
  const settings = await options.settingsStore.get(payload)
  // A token lifetime counts from the import, so the apps stay logged in at the move.
  const tokenExpiresAt = settings.tokenLifetime > 0 ? new Date(Date.now() + settings.tokenLifetime * 1000).toISOString() : null
  const size = Math.max(1, Math.floor(batchSize))
  const batches = Math.ceil(plan.users.length / size)
  const report: DjangoImportReport = {
    batches,
    dryRun,
    emailAddresses: { ...emptyCounts(), skipped: plan.skipped.emailAddresses },
    ignoredModels: plan.ignoredModels,
    notices: [],
    passwords: { converted: 0, kept: {}, unusable: 0 },
    problems: [...plan.problems],
    socialAccounts: { ...emptyCounts(), skipped: plan.skipped.socialAccounts },
    tokens: { ...emptyCounts(), skipped: plan.skipped.tokens },
    users: { ...emptyCounts(), skipped: plan.skipped.users },
  }
  for (let batch = 0; batch < batches; batch += 1) {
    const users = plan.users.slice(batch * size, (batch + 1) * size)
    const req = await createLocalReq({}, payload)
    // Counted apart and added once the batch is committed: a rolled-back batch reports nothing as written.
    const counts: Counters = {
      emailAddresses: emptyCounts(),
      passwords: { converted: 0, kept: {}, unusable: 0 },
      problems: [],
      socialAccounts: emptyCounts(),
      staff: 0,
      superusers: 0,
      tokens: emptyCounts(),
      users: emptyCounts(),
    }
    try {
      const run = async (scope: TransactionScope) => {
        const state = await loadBatchState(options, req, users)
        for (const user of users) {
          await importUser({ counts, dryRun, options, req, scope, state, tokenExpiresAt, user, userModel: plan.userModel })
        }
      }
      await (dryRun ? run({ undoOnFailure: () => undefined }) : withTransaction(req, run))
    } catch (err) {
      report.failure = { batch: batch + 1, message: (err as Error)?.message ?? String(err) }
      break
    }
    for (const kind of ['users', 'emailAddresses', 'socialAccounts', 'tokens'] as const) {
      for (const key of ['created', 'existing', 'skipped'] as const) {
        report[kind][key] += counts[kind][key]
      }
    }
    report.passwords.converted += counts.passwords.converted
    report.passwords.unusable += counts.passwords.unusable
    for (const [algorithm, count] of Object.entries(counts.passwords.kept)) {
      report.passwords.kept[algorithm] = (report.passwords.kept[algorithm] ?? 0) + count
    }
    report.problems.push(...counts.problems)
    staff.staff += counts.staff
    staff.superusers += counts.superusers
    onBatch?.({ batch: batch + 1, batches })
  }
  report.notices = noticesOf(report, staff)
  return report
}
