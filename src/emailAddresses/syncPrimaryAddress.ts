import type { PayloadRequest } from 'payload'

import type { SanitizedRestAuthOptions } from '../types.js'

import { normalizeIdentifier } from '../users/findUser.js'
import { localApi } from '../utilities/localApi.js'

type AddressRow = { email: string; id: number | string; primary?: boolean; verified?: boolean }

/**
 * Makes the user's e-mail (users.email) their primary EmailAddress, as allauth keeps them: the row
 * for that address becomes primary (created unverified when there is none, or verified when
 * `verified` says the address is proven), and no other row of the user stays primary. The user's
 * other addresses stay theirs.
 */
export const syncPrimaryAddress = async ({
  email,
  options,
  req,
  userId,
  verified = false,
}: {
  email: null | string | undefined
  options: SanitizedRestAuthOptions
  req: PayloadRequest
  userId: number | string
  verified?: boolean
}): Promise<void> => {
  if (!email) {
    return
  }
  const address = normalizeIdentifier(email)
  const api = localApi(req.payload)
  const collection = options.slugs.emailAddresses
  const { docs } = await api.find<AddressRow>({
    collection,
    depth: 0,
    overrideAccess: true,
    pagination: false,
    req,
    where: { user: { equals: userId } },
  })
  const current = docs.find((row) => row.email === address)
  for (const row of docs) {
    if (row.primary && row !== current) {
      await api.update({ collection, data: { primary: false }, depth: 0, id: row.id, overrideAccess: true, req })
    }
  }
  if (!current) {
    await api.create({ collection, data: { email: address, primary: true, user: userId, verified }, depth: 0, overrideAccess: true, req })
  } else if (!current.primary || (verified && !current.verified)) {
    await api.update({
      collection,
      data: { primary: true, verified: Boolean(current.verified) || verified },
      depth: 0,
      id: current.id,
      overrideAccess: true,
      req,
    })
  }
}
