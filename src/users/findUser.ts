import type { PayloadRequest, Where } from 'payload'

import type { RestAuthUser, SanitizedRestAuthOptions } from '../types.js'

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
  const { docs } = await req.payload.find({
    collection: options.usersCollection as never,
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

export { normalizeIdentifier } from '../utilities/normalizeIdentifier.js'

export const findUserById = (args: { id: number | string; options: SanitizedRestAuthOptions; req: PayloadRequest }) =>
  findUser({ ...args, where: { id: { equals: args.id } } })
