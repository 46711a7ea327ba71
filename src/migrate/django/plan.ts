import type { DumpRecord } from './dump.js'

import { identifyDjangoHasher, isUnusableDjangoPassword } from '../../passwords/django/hashers.js'
import { pbkdf2ToPayloadHash } from '../../passwords/django/pbkdf2.js'
import { dumpDate } from './dump.js'

/** What the import sets a user's password to. */
export type PlannedPassword =
  /** Django 4.2's pbkdf2_sha256 at 600,000 iterations: Payload's own format, written as such. */
  | { algorithm: string; hash: string; kind: 'payload'; salt: string }
  /** Kept as Django wrote it until the first login converts it. */
  | { algorithm: string; encoded: string; kind: 'django' }
  | { kind: 'unusable' }

export type PlannedAddress = { email: string; pk: unknown; primary: boolean; verified: boolean }
export type PlannedSocialAccount = {
  createdAt: null | string
  extraData: unknown
  lastLogin: null | string
  pk: unknown
  provider: string
  uid: string
}
export type PlannedToken = { createdAt: null | string; key: string }

export type PlannedUser = {
  addresses: PlannedAddress[]
  createdAt: null | string
  djangoId: string
  email: null | string
  firstName: string
  isActive: boolean
  isStaff: boolean
  isSuperuser: boolean
  lastLogin: null | string
  lastName: string
  password: PlannedPassword
  socialAccounts: PlannedSocialAccount[]
  tokens: PlannedToken[]
  username: string
}

export type ImportProblem = {
  /** `collision`: the row would clash with another; `skipped`: the row cannot be imported as it is. */
  kind: 'collision' | 'skipped'
  message: string
  model: string
  pk: unknown
}

export type ImportPlan = {
  ignoredModels: Record<string, number>
  problems: ImportProblem[]
  /** Rows left out before the database is asked anything (duplicates and orphans in the dump). */
  skipped: { emailAddresses: number; socialAccounts: number; tokens: number; users: number }
  userModel: string
  users: PlannedUser[]
}

export const relatedModels = {
  emailAddresses: 'account.emailaddress',
  socialAccounts: 'socialaccount.socialaccount',
  tokens: 'authtoken.token',
} as const

/** Payload stores usernames and addresses so (src/users/findUser.ts normalizeIdentifier). */
const normalize = (value: unknown): string => (typeof value === 'string' ? value.toLowerCase().trim() : '')

const text = (value: unknown): string => (typeof value === 'string' ? value : '')

/** An integer primary key sorts as a number; `--natural-primary` dumps have none and fall back to the username. */
const keyOf = (record: DumpRecord): string =>
  record.pk === undefined || record.pk === null ? `natural:${text(record.fields.username)}` : String(record.pk)

/** A token's primary key is its secret: reports name it by its first eight characters, as the admin does. */
export const shownPk = (record: DumpRecord, model: string): unknown =>
  model === relatedModels.tokens && typeof record.pk === 'string' ? `${record.pk.slice(0, 8)}…` : record.pk

const byKey = (a: DumpRecord, b: DumpRecord): number => {
  const [x, y] = [Number(a.pk), Number(b.pk)]
  return Number.isFinite(x) && Number.isFinite(y) ? x - y : keyOf(a).localeCompare(keyOf(b))
}

const planPassword = (encoded: unknown): PlannedPassword => {
  if (typeof encoded !== 'string' || isUnusableDjangoPassword(encoded)) {
    return { kind: 'unusable' }
  }
  const algorithm = identifyDjangoHasher(encoded)?.algorithm ?? encoded.split('$', 1)[0]!
  const converted = pbkdf2ToPayloadHash(encoded)
  return converted ? { algorithm, ...converted, kind: 'payload' } : { algorithm, encoded, kind: 'django' }
}

const parseExtraData = (value: unknown): unknown => {
  // allauth before 0.52 kept extra_data in a TextField: the dump has it as a JSON string.
  if (typeof value !== 'string') {
    return value ?? {}
  }
  try {
    return JSON.parse(value) as unknown
  } catch {
    return value
  }
}

/**
 * Everything the dump alone decides: the users sorted by primary key, each with its rows, and the
 * rows that cannot come along. Usernames are compared lower-cased, as the plugin stores them: of two
 * Django users that differ only in case, the one with the lower key comes. An address belongs to the
 * first user (by key) that has it as `email` or as an EmailAddress; a later one goes without it.
 */
export const planImport = (
  records: DumpRecord[],
  { isValidEmail, userModel }: { isValidEmail: (email: string) => boolean; userModel: string },
): ImportPlan => {
  const problems: ImportProblem[] = []
  const skipped = { emailAddresses: 0, socialAccounts: 0, tokens: 0, users: 0 }
  const ignoredModels: Record<string, number> = {}
  const byModel = new Map<string, DumpRecord[]>()
  for (const record of records) {
    const model = record.model.toLowerCase()
    if (model === userModel || Object.values(relatedModels).includes(model as never)) {
      byModel.set(model, [...(byModel.get(model) ?? []), record])
    } else {
      ignoredModels[model] = (ignoredModels[model] ?? 0) + 1
    }
  }

  const users = new Map<string, PlannedUser>()
  /** Foreign keys in a dump are the user's pk, or `["username"]` with --natural-foreign. */
  const byNaturalKey = new Map<string, PlannedUser>()
  const usernames = new Map<string, string>()
  const emailOwners = new Map<string, string>()
  const claimEmail = (email: string, user: PlannedUser): null | string => {
    const owner = emailOwners.get(email)
    if (owner !== undefined && owner !== user.djangoId) {
      return owner
    }
    emailOwners.set(email, user.djangoId)
    return null
  }

  for (const record of [...(byModel.get(userModel) ?? [])].sort(byKey)) {
    const { fields } = record
    const djangoId = keyOf(record)
    // A custom user model without a username logs in by e-mail: the address is its username here.
    const username = normalize(fields.username ?? fields.email)
    if (!username) {
      problems.push({ kind: 'skipped', message: 'has no username', model: userModel, pk: record.pk })
      skipped.users += 1
      continue
    }
    const taken = usernames.get(username)
    if (taken !== undefined) {
      problems.push({
        kind: 'collision',
        message: `username "${text(fields.username)}" is "${username}" here, as is the username of Django user ${taken} (usernames are not case-sensitive here); not imported`,
        model: userModel,
        pk: record.pk,
      })
      skipped.users += 1
      continue
    }
    usernames.set(username, djangoId)
    const user: PlannedUser = {
      addresses: [],
      createdAt: dumpDate(fields.date_joined),
      djangoId,
      email: null,
      firstName: text(fields.first_name).slice(0, 150),
      isActive: fields.is_active !== false,
      isStaff: fields.is_staff === true,
      isSuperuser: fields.is_superuser === true,
      lastLogin: dumpDate(fields.last_login),
      lastName: text(fields.last_name).slice(0, 150),
      password: planPassword(fields.password),
      socialAccounts: [],
      tokens: [],
      username,
    }
    const email = normalize(fields.email)
    if (email && !isValidEmail(email)) {
      problems.push({ kind: 'skipped', message: `e-mail "${email}" is not a valid address here; imported without it`, model: userModel, pk: record.pk })
    } else if (email) {
      const owner = claimEmail(email, user)
      if (owner === null) {
        user.email = email
      } else {
        problems.push({ kind: 'collision', message: `e-mail "${email}" is also Django user ${owner}'s; imported without it`, model: userModel, pk: record.pk })
      }
    }
    users.set(djangoId, user)
    byNaturalKey.set(JSON.stringify([text(fields.username)]), user)
  }

  const ownerOf = (record: DumpRecord, model: string): null | PlannedUser => {
    const reference = record.fields.user
    const user = Array.isArray(reference) ? byNaturalKey.get(JSON.stringify(reference)) : users.get(String(reference))
    if (!user) {
      problems.push({ kind: 'skipped', message: `its user ${JSON.stringify(reference)} is not imported`, model, pk: shownPk(record, model) })
    }
    return user ?? null
  }

  for (const record of [...(byModel.get(relatedModels.emailAddresses) ?? [])].sort(byKey)) {
    const model = relatedModels.emailAddresses
    const user = ownerOf(record, model)
    const email = normalize(record.fields.email)
    if (user && (!email || !isValidEmail(email))) {
      problems.push({ kind: 'skipped', message: `"${email}" is not a valid address here`, model, pk: record.pk })
    }
    const owner = user && email && isValidEmail(email) ? claimEmail(email, user) : undefined
    if (owner === null && user && !user.addresses.some((address) => address.email === email)) {
      user.addresses.push({ email, pk: record.pk, primary: record.fields.primary === true, verified: record.fields.verified === true })
      continue
    }
    if (typeof owner === 'string') {
      problems.push({ kind: 'collision', message: `"${email}" is also Django user ${owner}'s`, model, pk: record.pk })
    }
    skipped.emailAddresses += 1
  }

  const socialKeys = new Set<string>()
  for (const record of [...(byModel.get(relatedModels.socialAccounts) ?? [])].sort(byKey)) {
    const model = relatedModels.socialAccounts
    const user = ownerOf(record, model)
    const provider = text(record.fields.provider)
    const uid = typeof record.fields.uid === 'number' ? String(record.fields.uid) : text(record.fields.uid)
    const key = `${provider}:${uid}`
    if (user && provider && uid && !socialKeys.has(key)) {
      socialKeys.add(key)
      user.socialAccounts.push({
        createdAt: dumpDate(record.fields.date_joined),
        extraData: parseExtraData(record.fields.extra_data),
        lastLogin: dumpDate(record.fields.last_login),
        pk: record.pk,
        provider,
        uid,
      })
      continue
    }
    if (user) {
      problems.push({ kind: 'skipped', message: provider && uid ? `${key} appears twice in the dump` : 'has no provider or uid', model, pk: record.pk })
    }
    skipped.socialAccounts += 1
  }

  for (const record of byModel.get(relatedModels.tokens) ?? []) {
    const model = relatedModels.tokens
    const user = ownerOf(record, model)
    // DRF's Token: the key is the primary key (custom token models may keep it in `key`).
    const key = typeof record.pk === 'string' ? record.pk : text(record.fields.key)
    if (user && key) {
      user.tokens.push({ createdAt: dumpDate(record.fields.created), key })
      continue
    }
    if (user) {
      problems.push({ kind: 'skipped', message: 'has no key', model, pk: shownPk(record, model) })
    }
    skipped.tokens += 1
  }
  return { ignoredModels, problems, skipped, userModel, users: [...users.values()] }
}
