import type { CollectionConfig, PayloadRequest } from 'payload'

import type { SanitizedRestAuthOptions } from '../../types.js'

import { adminOnly, adminOrSelf, bothAccess, isAdminRequest } from '../access.js'

type UsersAccess = NonNullable<CollectionConfig['access']>

/**
 * The plugin's rules for Payload's own operations on users, the same as its endpoints': only an
 * admin creates, deletes or unlocks users, enters the admin panel or reads old versions; a user of
 * the users collection reads and updates itself (which fields, `guardUserWrites` decides), and
 * nobody else does — least of all a user of another auth collection with the same id.
 */
const pluginUsersAccess = (options: SanitizedRestAuthOptions) => ({
  admin: ({ req }: { req: PayloadRequest }): boolean => isAdminRequest(options, req),
  create: adminOnly(options),
  delete: adminOnly(options),
  read: adminOrSelf(options),
  readVersions: adminOnly(options),
  unlock: adminOnly(options),
  update: adminOrSelf(options),
})

/**
 * The access of the users collection: the plugin's rules, and where the host app has rules of its
 * own, both. Public sign-up makes "any logged-in user" mean "anybody", so a host rule such as
 * `({ req }) => Boolean(req.user)` can only be narrowed, never widened, by installing the plugin.
 */
export const usersAccess = (options: SanitizedRestAuthOptions, host: UsersAccess = {}): UsersAccess => {
  const plugin = pluginUsersAccess(options)
  return {
    ...host,
    admin: async (args) => plugin.admin(args) && (!host.admin || (await host.admin(args))),
    create: bothAccess(host.create, plugin.create),
    delete: bothAccess(host.delete, plugin.delete),
    read: bothAccess(host.read, plugin.read),
    readVersions: bothAccess(host.readVersions, plugin.readVersions),
    unlock: bothAccess(host.unlock, plugin.unlock),
    update: bothAccess(host.update, plugin.update),
  }
}
