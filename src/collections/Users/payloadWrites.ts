import type { CollectionAfterOperationHook, CollectionBeforeOperationHook, PayloadRequest, Where } from 'payload'

import { Forbidden, ValidationError } from 'payload'

import type { RestAuthUser, SanitizedRestAuthOptions } from '../../types.js'

import { syncPrimaryAddress } from '../../emailAddresses/syncPrimaryAddress.js'
import { messages } from '../../errors/messages.js'
import { passwordProblems } from '../../passwords/checkNewPassword.js'
import { normalizeIdentifier } from '../../users/findUser.js'
import { isValidUsername } from '../../users/validateUsername.js'
import { localApi } from '../../utilities/localApi.js'
import { isAdminRequest, usersCollectionUser } from '../access.js'
import { adminManagedFieldNames } from './fields.js'

/*
 * Creating and updating users through Payload's own operations (REST, GraphQL, the admin panel,
 * the Local API with `overrideAccess: false`): what the plugin's endpoints would check, checked
 * here. The Local API with access overridden is the server's own code (the plugin's endpoints are
 * that too) and is trusted, except that revocation (credentialRevocation.ts) follows every path.
 */

type Data = Record<string, unknown>

const FIRST_USER_KEY = 'restAuthFirstUser'

const isFirstRegisterRoute = (options: SanitizedRestAuthOptions, req: PayloadRequest): boolean => {
  try {
    const pathname = new URL(req.url ?? '', 'http://localhost').pathname.replace(/\/+$/, '')
    return pathname === `${req.payload.config.routes.api}/${options.usersCollection}/first-register`
  } catch {
    return false
  }
}

/**
 * Whether this request is Payload's first-register (the admin's create-first-user screen posts
 * there) creating the first user, as `guardUserWrites` found when the user was created.
 */
export const isFirstRegistration = (req: Pick<PayloadRequest, 'context'>): boolean =>
  (req.context as Record<string, unknown>)[FIRST_USER_KEY] === true

/** Payload's 403 (logged as Payload logs its own refusals), saying which fields and where to go instead. */
class AdminOnlyChangeError extends Forbidden {
  constructor(req: PayloadRequest, fields: string[]) {
    super(req.t)
    this.name = 'Forbidden'
    this.message = `Only an admin may change ${fields.join(', ')} here; change yours through the authentication API (user/, password/change/, password/reset/).`
  }
}

const isChange = (name: string, value: unknown, current: RestAuthUser | undefined): boolean => {
  if (value === undefined) {
    return false
  }
  if (name === 'password') {
    return value !== null && value !== ''
  }
  const normalize = (v: unknown) => (typeof v === 'string' && (name === 'email' || name === 'username') ? normalizeIdentifier(v) : (v ?? null))
  return normalize(value) !== normalize(current?.[name])
}

/**
 * A user who is not an admin changes none of these through Payload: the password (password/change/
 * or the reset, which check the old password and the validators and revoke the other credentials),
 * the e-mail (confirmation and the EmailAddresses rows), the username (user/, with its characters),
 * staff and active flags, last login. Sending the stored value back unchanged is not a change.
 */
const refuseSelfServiceChanges = (data: Data, self: RestAuthUser, req: PayloadRequest): void => {
  const changed = ['password', ...adminManagedFieldNames].filter((name) => isChange(name, data[name], self))
  if (changed.length > 0) {
    throw new AdminOnlyChangeError(req, changed)
  }
}

/** The user a write by id is about, read before the change. */
const storedUser = async (options: SanitizedRestAuthOptions, req: PayloadRequest, id: unknown): Promise<RestAuthUser | undefined> =>
  typeof id === 'number' || typeof id === 'string'
    ? ((await localApi(req.payload).findByID<RestAuthUser | null>({
        collection: options.usersCollection,
        depth: 0,
        disableErrors: true,
        id,
        overrideAccess: true,
        req,
      })) ?? undefined)
    : undefined

/**
 * What an admin (or first-register) sets through Payload passes the checks of the plugin's own
 * flows: Django's password validators (with the similarity to the user's own details), Django's
 * username characters, and an e-mail address that is not another user's (in their EmailAddresses
 * rows too). All problems are reported at once, as Payload's field errors.
 */
const checkUserChanges = async ({
  current,
  data,
  options,
  req,
}: {
  current: RestAuthUser | undefined
  data: Data
  options: SanitizedRestAuthOptions
  req: PayloadRequest
}): Promise<void> => {
  const errors: { message: string; path: string }[] = []
  if (isChange('password', data.password, current) && typeof data.password === 'string') {
    const settings = await options.settingsStore.get(req.payload)
    const user = { ...current, ...data } as RestAuthUser
    for (const message of passwordProblems({ password: data.password, settings, user })) {
      errors.push({ message, path: 'password' })
    }
  }
  if (isChange('username', data.username, current) && typeof data.username === 'string' && !isValidUsername(data.username.trim())) {
    errors.push({ message: messages.account.invalidUsername, path: 'username' })
  }
  if (isChange('email', data.email, current) && typeof data.email === 'string' && data.email.trim() !== '') {
    const where: Where = {
      and: [{ email: { equals: normalizeIdentifier(data.email) } }, ...(current ? [{ user: { not_equals: current.id } }] : [])],
    }
    const { totalDocs } = await localApi(req.payload).count({ collection: options.slugs.emailAddresses, overrideAccess: true, req, where })
    if (totalDocs > 0) {
      errors.push({ message: messages.account.emailTaken, path: 'email' })
    }
  }
  if (errors.length > 0) {
    throw new ValidationError({ collection: options.usersCollection, errors }, req.t)
  }
}

/**
 * beforeOperation of create: Payload's first-register (the admin's create-first-user screen) makes
 * the first user, and only it makes staff without an admin: its user is staff and active (Django's
 * createsuperuser); its password passes the validators too. Once there is a user, first-register
 * is an ordinary create (Payload refuses it).
 */
export const promoteFirstUser =
  (options: SanitizedRestAuthOptions): CollectionBeforeOperationHook =>
  async ({ args, operation, req }) => {
    const { data } = args as { data?: Data }
    if (operation !== 'create' || !data || typeof data !== 'object' || !isFirstRegisterRoute(options, req)) {
      return args
    }
    const { totalDocs } = await localApi(req.payload).count({ collection: options.usersCollection, overrideAccess: true, req })
    if (totalDocs > 0) {
      return args
    }
    await checkUserChanges({ current: undefined, data, options, req })
    ;(req.context as Record<string, unknown>)[FIRST_USER_KEY] = true
    return { ...args, data: { ...data, is_active: true, is_staff: true } }
  }

/**
 * beforeOperation of create and update (after `promoteFirstUser`): an admin's writes pass the
 * plugin's checks; a user changes none of its admin-managed fields; the server's own code (access
 * overridden) and the first user, checked already, pass.
 */
export const guardUserWrites =
  (options: SanitizedRestAuthOptions): CollectionBeforeOperationHook =>
  async ({ args, operation, overrideAccess, req }) => {
    if (operation !== 'create' && operation !== 'update') {
      return args
    }
    const { data, id } = args as { data?: Data; id?: unknown }
    if (!data || typeof data !== 'object' || overrideAccess === true || (operation === 'create' && isFirstRegistration(req))) {
      return args
    }
    if (isAdminRequest(options, req)) {
      await checkUserChanges({ current: operation === 'update' ? await storedUser(options, req, id) : undefined, data, options, req })
      return args
    }
    const self = usersCollectionUser(options, req)
    if (self && operation === 'update') {
      // Access lets a user update no one but itself (and create no one at all).
      refuseSelfServiceChanges(data, self, req)
    }
    return args
  }

const writtenUsers = (result: unknown): RestAuthUser[] => {
  if (result && typeof result === 'object' && Array.isArray((result as { docs?: unknown }).docs)) {
    return (result as { docs: RestAuthUser[] }).docs
  }
  return result && typeof result === 'object' && 'id' in result ? [result as RestAuthUser] : []
}

/**
 * afterOperation of create and update, in the write's transaction: an e-mail an admin set (or the
 * first user's, which Payload verifies as it would with its own `verify`) becomes the user's
 * primary EmailAddress, so the e-mail flows, verification and ACCOUNT_UNIQUE_EMAIL see it.
 */
export const syncAddressAfterWrite =
  (options: SanitizedRestAuthOptions): CollectionAfterOperationHook =>
  async ({ args, operation, req, result }) => {
    if (operation !== 'create' && operation !== 'update' && operation !== 'updateByID') {
      return result
    }
    const { data, overrideAccess } = args as { data?: Data; overrideAccess?: boolean }
    const isFirstUser = operation === 'create' && isFirstRegistration(req)
    const isAdminWrite = overrideAccess !== true && typeof data?.email === 'string' && isAdminRequest(options, req)
    if (!isFirstUser && !isAdminWrite) {
      return result
    }
    for (const user of writtenUsers(result)) {
      await syncPrimaryAddress({ email: user.email, options, req, userId: user.id, verified: isFirstUser })
    }
    return result
  }
