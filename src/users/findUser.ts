import type { PayloadRequest, Where } from 'payload'

import type { RestAuthUser, SanitizedRestAuthOptions } from '../types.js'

import { djangoPasswordField } from '../passwords/django/field.js'
import { localApi } from '../utilities/localApi.js'
import { normalizeIdentifier } from '../utilities/normalizeIdentifier.js'
import { normalizeUsername } from './normalizeUsername.js'

export type UserWithSecrets = { [djangoPasswordField]?: null | string; hash?: null | string; salt?: null | string } & RestAuthUser

/** The user without password material, as everything after the password check sees it. */
export const withoutSecrets = (user: UserWithSecrets): RestAuthUser => {
  const { [djangoPasswordField]: _django, hash: _hash, salt: _salt, ...rest } = user
  return rest
}

/** The one user matching `where`, with the hidden password fields, or null. */
export const findUser = async ({
  options,
  req,
  where,
}: {
  options: SanitizedRestAuthOptions
  req: PayloadRequest
  where: Where
}): Promise<null | UserWithSecrets> => {
  const { docs } = await localApi(req.payload).find({
    collection: options.usersCollection,
    depth: 0,
    limit: 1,
    overrideAccess: true,
    pagination: false,
    req,
    showHiddenFields: true,
    where,
  })
  return (docs[0] as UserWithSecrets | undefined) ?? null
}

export { normalizeIdentifier }

/** A username as it is stored: NFKC (see normalizeUsername), lower-cased and trimmed. */
export const usernameIdentifier = (value: string): string => normalizeIdentifier(normalizeUsername(value))

export const findUserById = (args: { id: number | string; options: SanitizedRestAuthOptions; req: PayloadRequest }) =>
  findUser({ ...args, where: { id: { equals: args.id } } })
