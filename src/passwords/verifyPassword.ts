import type { PayloadRequest, Where } from 'payload'

import type { RestAuthSettings, SanitizedRestAuthOptions } from '../types.js'
import type { UserWithSecrets } from '../users/findUser.js'

import { now } from '../utilities/clock.js'
import { pluginDatabase } from '../utilities/localApi.js'
import { checkDjangoPassword } from './django/hashers.js'
import { djangoPasswordField } from './django/field.js'
import { checkPassword, hashPassword, hasPayloadHash, isCurrentPayloadHash, spendDerivation } from './hashing.js'

export type PasswordCheck = {
  isMatch: boolean
  /** The password matched a hash that is not in Payload's current format: rewrite it (upgradePasswordHash). */
  needsUpgrade: boolean
}

/** `djangoHashesExpireAt` not set, or not reached yet. */
const areDjangoHashesAccepted = (settings: RestAuthSettings): boolean =>
  !settings.djangoHashesExpireAt || now() < Date.parse(settings.djangoHashesExpireAt)

/**
 * The password check of every login: the user's Payload hash (current or Payload's legacy 25,000
 * iterations), else the Django hash it was imported with, else none. Whatever the case, including no
 * user at all, it costs at least one derivation in Payload's current format (see README, "Moving from
 * Django", for the hashes that cost more).
 */
export const verifyPassword = async ({
  password,
  settings,
  user,
}: {
  password: string
  settings: RestAuthSettings
  user: null | UserWithSecrets | undefined
}): Promise<PasswordCheck> => {
  if (user && hasPayloadHash(user)) {
    const isMatch = await checkPassword(user, password)
    return { isMatch, needsUpgrade: isMatch && !isCurrentPayloadHash(user.hash) }
  }
  const encoded = user?.[djangoPasswordField]
  if (typeof encoded === 'string' && encoded !== '' && areDjangoHashesAccepted(settings)) {
    const isMatch = await checkDjangoPassword({ allowWeak: settings.allowWeakDjangoHashes, encoded, password })
    return { isMatch, needsUpgrade: isMatch }
  }
  await spendDerivation(password)
  return { isMatch: false, needsUpgrade: false }
}

/**
 * Stores the password that just matched in Payload's current format and drops the Django hash, on
 * the condition that the hash that matched is still the stored one: a compare-and-set, so a password
 * changed in the meantime is never overwritten, and of two concurrent logins one writes. Like Payload's
 * own re-hash, a failure is logged and the login goes on (the next one tries again).
 */
export const upgradePasswordHash = async ({
  options,
  password,
  req,
  user,
}: {
  options: SanitizedRestAuthOptions
  password: string
  req: PayloadRequest
  user: UserWithSecrets
}): Promise<boolean> => {
  const matched: Where[] = hasPayloadHash(user)
    ? [{ hash: { equals: user.hash } }, { salt: { equals: user.salt } }]
    : [{ [djangoPasswordField]: { equals: user[djangoPasswordField] } }]
  try {
    const { hash, salt } = await hashPassword(password)
    const updated = await pluginDatabase(req.payload).updateOne({
      collection: options.usersCollection,
      data: { [djangoPasswordField]: null, hash, salt },
      options: { atomic: true },
      req,
      where: { and: [{ id: { equals: user.id } }, ...matched] },
    })
    return updated !== null
  } catch (err) {
    req.payload.logger.error({ err, msg: 'payload-rest-auth: could not upgrade a password hash' })
    return false
  }
}
