import type { PayloadRequest } from 'payload'

import type { SanitizedRestAuthOptions } from '../types.js'

import { now } from '../utilities/clock.js'
import { randomString } from '../utilities/crypto.js'
import { localApi, pluginDatabase } from '../utilities/localApi.js'

type Id = number | string
type StoreArgs = { options: SanitizedRestAuthOptions; req: PayloadRequest }

/** A row of the passkeys collection (src/collections/WebauthnCredentials). */
export type StoredCredential = {
  aaguid?: null | string
  counter: number
  createdAt: string
  credentialId: string
  deviceType?: null | string
  id: Id
  isBackedUp?: boolean | null
  isPasswordless?: boolean | null
  lastUsedAt?: null | string
  name: string
  publicKey: string
  transports?: null | string[]
  user: Id | { id: Id }
  userHandle: string
}

export const ownerOf = (row: StoredCredential): Id => (typeof row.user === 'object' ? row.user.id : row.user)

/** What the API shows of a passkey: allauth headless's authenticator shape. */
export const serializeCredential = (row: StoredCredential) => ({
  type: 'webauthn',
  id: row.id,
  name: row.name,
  created_at: Math.floor(Date.parse(row.createdAt) / 1000),
  last_used_at: row.lastUsedAt ? Math.floor(Date.parse(row.lastUsedAt) / 1000) : null,
  is_passwordless: Boolean(row.isPasswordless),
})

const find = async ({ options, req, where }: { where: Record<string, unknown> } & StoreArgs): Promise<StoredCredential[]> => {
  const { docs } = await localApi(req.payload).find<StoredCredential>({
    collection: options.slugs.webauthnCredentials,
    depth: 0,
    overrideAccess: true,
    pagination: false,
    req,
    showHiddenFields: true,
    sort: 'createdAt',
    where: where as never,
  })
  return docs
}

export const listCredentials = ({ userId, ...args }: { userId: Id } & StoreArgs) => find({ ...args, where: { user: { equals: userId } } })

/** The row of a credential ID, which is all a login trusts from the request. */
export const findByCredentialId = async ({ credentialId, ...args }: { credentialId: string } & StoreArgs): Promise<null | StoredCredential> =>
  (await find({ ...args, where: { credentialId: { equals: credentialId } } }))[0] ?? null

/** One of the user's passkeys by its row id; another user's is as unknown as a missing one. */
export const findOwnCredential = async ({ id, userId, ...args }: { id: Id; userId: Id } & StoreArgs): Promise<null | StoredCredential> =>
  (await find({ ...args, where: { and: [{ id: { equals: id } }, { user: { equals: userId } }] } }))[0] ?? null

/**
 * The user's user handle: the random value every passkey of theirs stores as `user.id`, so an
 * authenticator replaces an old passkey of the same account instead of keeping two. A user's
 * first passkey gets a new one (32 random bytes).
 */
export const userHandleFor = async ({ userId, ...args }: { userId: Id } & StoreArgs): Promise<string> =>
  (await listCredentials({ ...args, userId }))[0]?.userHandle ?? randomString(32)

export const createCredential = async ({
  data,
  options,
  req,
}: { data: Omit<StoredCredential, 'createdAt' | 'id' | 'lastUsedAt'> } & StoreArgs): Promise<StoredCredential> =>
  localApi(req.payload).create<StoredCredential>({
    collection: options.slugs.webauthnCredentials,
    data: data as never,
    depth: 0,
    overrideAccess: true,
    req,
    showHiddenFields: true,
  })

/**
 * Records a login with the passkey: the new signature counter and the time, as one compare-and-set
 * on the counter it was checked against. Two assertions checked against the same counter (cloned
 * authenticators, a replay racing the original) cannot both move it: false for the loser. A
 * passkey whose counter stays 0 (synced passkeys do not count) is accepted each time.
 */
export const recordUse = async ({
  credential,
  newCounter,
  options,
  req,
}: { credential: StoredCredential; newCounter: number } & StoreArgs): Promise<boolean> => {
  const row = await pluginDatabase(req.payload).updateOne({
    collection: options.slugs.webauthnCredentials,
    data: { counter: newCounter, lastUsedAt: new Date(now()).toISOString() },
    options: { atomic: true },
    req,
    returning: true,
    where: {
      and: [
        { id: { equals: credential.id } },
        newCounter === 0 ? { counter: { equals: 0 } } : { counter: { less_than: newCounter } },
      ],
    },
  })
  return row !== null
}

export const renameCredential = async ({ id, name, options, req }: { id: Id; name: string } & StoreArgs): Promise<StoredCredential> =>
  localApi(req.payload).update<StoredCredential>({
    collection: options.slugs.webauthnCredentials,
    data: { name } as never,
    depth: 0,
    id,
    overrideAccess: true,
    req,
  })

export const deleteCredential = async ({ id, options, req }: { id: Id } & StoreArgs): Promise<void> => {
  await localApi(req.payload).delete({ collection: options.slugs.webauthnCredentials, id, overrideAccess: true, req })
}
