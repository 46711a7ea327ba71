import type { EndpointContext } from '../http/defineEndpoint.js'

import { localApi } from '../utilities/localApi.js'

export type MailRecipient = { email: string; first_name?: null | string; id: number | string; is_active?: boolean | null; username?: null | string }

/**
 * The account of an address (active or not), or null. Only the fields the mail needs are read (no
 * password material, fewer fields for Payload's read hooks), which keeps the work after the answer
 * for a known address close to that for an unknown one.
 */
export const findMailRecipient = async ({ options, req }: Pick<EndpointContext, 'options' | 'req'>, email: string): Promise<MailRecipient | null> => {
  const { docs } = await localApi(req.payload).find<MailRecipient>({
    collection: options.usersCollection,
    depth: 0,
    limit: 1,
    overrideAccess: true,
    pagination: false,
    req,
    select: { email: true, first_name: true, is_active: true, username: true },
    where: { email: { equals: email } },
  })
  return docs[0] ?? null
}
