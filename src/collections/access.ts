import type { Access, AccessResult, FieldAccess, PayloadRequest, Where } from 'payload'

import type { RestAuthUser, SanitizedRestAuthOptions } from '../types.js'

type RequestUser = ({ collection?: string } & RestAuthUser) | null

/**
 * The request's user when it is an active user of the users collection, else null. Ids are only
 * compared after this: id 1 of another auth collection (`customers`) is not user 1, and a
 * deactivated user still holding one of Payload's own JWTs is nobody.
 */
export const usersCollectionUser = (options: SanitizedRestAuthOptions, req: Pick<PayloadRequest, 'user'>): null | RestAuthUser => {
  const user = req.user as RequestUser
  return user && user.collection === options.usersCollection && user.is_active !== false ? user : null
}

export const isAdminRequest = (options: SanitizedRestAuthOptions, req: PayloadRequest): boolean => {
  const user = req.user as RequestUser
  if (user && user.collection === options.usersCollection && user.is_active === false) {
    return false
  }
  return options.isAdmin({ req, user })
}

export const adminOnly =
  (options: SanitizedRestAuthOptions): Access =>
  ({ req }) =>
    isAdminRequest(options, req)

/** Admins reach every row; a user of the users collection the rows whose `ownerField` is its id. */
const adminOrOwner =
  (options: SanitizedRestAuthOptions, ownerField: 'id' | 'user'): Access =>
  ({ req }) => {
    if (isAdminRequest(options, req)) {
      return true
    }
    const user = usersCollectionUser(options, req)
    return user ? { [ownerField]: { equals: user.id } } : false
  }

/** Admins see every user; a user of the users collection sees itself. */
export const adminOrSelf = (options: SanitizedRestAuthOptions): Access => adminOrOwner(options, 'id')

/** Admins see every row; a user of the users collection sees the rows whose `user` is theirs. */
export const adminOrOwnRows = (options: SanitizedRestAuthOptions): Access => adminOrOwner(options, 'user')

/** Field-level access must be a plain boolean. */
export const adminOnlyField =
  (options: SanitizedRestAuthOptions): FieldAccess =>
  ({ req }) =>
    isAdminRequest(options, req)

const bothResults = (first: AccessResult, second: AccessResult): AccessResult => {
  if (first === false || second === false) {
    return false
  }
  if (first === true) {
    return second
  }
  if (second === true) {
    return first
  }
  return { and: [first as Where, second as Where] }
}

/**
 * Access that grants only what both grant: the host app's own rule, narrowed by the plugin's. A
 * missing host rule leaves the plugin's alone.
 */
export const bothAccess =
  (host: Access | undefined, plugin: Access): Access =>
  async (args) => {
    const pluginResult = await plugin(args)
    if (!host || pluginResult === false) {
      return pluginResult
    }
    return bothResults(await host(args), pluginResult)
  }

export const bothFieldAccess =
  (host: FieldAccess | undefined, plugin: FieldAccess): FieldAccess =>
  async (args) =>
    (await plugin(args)) && (!host || (await host(args)))
