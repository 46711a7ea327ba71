import type { CollectionBeforeValidateHook } from 'payload'

/**
 * Django's AbstractBaseUser.normalize_username: NFKC, so that `ａｄｍｉｎ` (full-width) or `ﬁnn`
 * (a ligature) cannot register next to `admin` and `finn`. Payload then lower-cases and trims.
 */
export const normalizeUsername = (username: string): string => username.normalize('NFKC')

/**
 * On the users collection, before validation and the unique index: every path that sets a username
 * (the plugin's endpoints, Payload's REST and GraphQL, the admin, the Local API) normalises it the
 * same way.
 */
export const normalizeUsernameBeforeValidate: CollectionBeforeValidateHook = ({ data }) => {
  if (data && typeof data.username === 'string') {
    data.username = normalizeUsername(data.username)
  }
  return data
}
