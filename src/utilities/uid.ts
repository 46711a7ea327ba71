import type { Payload } from 'payload'

import { hasNumericIds, toDatabaseId } from './databaseId.js'

/**
 * django-allauth's user_pk_to_url_str: numeric ids in base 36 ("1"), other ids (MongoDB) in
 * URL-safe base 64.
 */
export const encodeUid = (id: number | string): string =>
  typeof id === 'number' ? id.toString(36) : Buffer.from(id, 'utf8').toString('base64url')

/** The id a uid names, or null for anything that cannot be the id of a user on this database. */
export const decodeUid = (payload: Payload, usersCollection: string, uid: string): null | number | string => {
  if (hasNumericIds(payload, usersCollection)) {
    return /^[0-9A-Za-z]{1,13}$/.test(uid) ? toDatabaseId(payload, usersCollection, parseInt(uid, 36)) : null
  }
  return /^[A-Za-z0-9_-]{1,88}$/.test(uid) ? toDatabaseId(payload, usersCollection, Buffer.from(uid, 'base64url').toString('utf8')) : null
}
