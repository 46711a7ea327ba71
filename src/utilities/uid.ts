import type { Payload } from 'payload'

/**
 * django-allauth's user_pk_to_url_str: numeric ids in base 36 ("1"), other ids (MongoDB) in
 * URL-safe base 64. Returns null for anything that cannot be an id here.
 */
export const encodeUid = (id: number | string): string =>
  typeof id === 'number' ? id.toString(36) : Buffer.from(id, 'utf8').toString('base64url')

export const decodeUid = (payload: Payload, uid: string): null | number | string => {
  if (payload.db.defaultIDType === 'number') {
    if (!/^[0-9a-z]{1,11}$/.test(uid)) {
      return null
    }
    const id = parseInt(uid, 36)
    return Number.isSafeInteger(id) && id > 0 ? id : null
  }
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(uid)) {
    return null
  }
  const id = Buffer.from(uid, 'base64url').toString('utf8')
  return /^[0-9a-f]{24}$/i.test(id) || /^[\w-]{1,64}$/.test(id) ? id : null
}
