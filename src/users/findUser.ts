import type { PayloadRequest, Where } from 'payload'

import type { RestAuthUser, SanitizedRestAuthOptions } from '../types.js'
import { localApi } from '../utilities/localApi.js'

export type UserWithSecrets = { hash?: string; salt?: string } & RestAuthUser

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

/** Payload stores usernames and e-mail addresses lower-cased and trimmed. */
export const normalizeIdentifier = (value: string): string => value.toLowerCase().trim()

export const findUserById = (args: { id: number | string; options: SanitizedRestAuthOptions; req: PayloadRequest }) =>
  findUser({ ...args, where: { id: { equals: args.id } } })
