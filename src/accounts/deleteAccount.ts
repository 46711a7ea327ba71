import type { PayloadRequest } from 'payload'

import type { RestAuthSettings, RestAuthUser, SanitizedRestAuthOptions } from '../types.js'

import { recordAuthEvent } from '../events/recordEvent.js'
import { sendNotice } from '../events/sendNotice.js'
import { afterResponse } from '../utilities/afterResponse.js'
import { localApi } from '../utilities/localApi.js'
import { withTransaction } from '../utilities/withTransaction.js'

export type DeletionOutcome = 'deactivated' | 'deleted'

/**
 * Deletes a user with everything that hangs on it (the users collection's hooks remove their
 * tokens, sessions, addresses, social accounts and refresh tokens), or deactivates the account
 * (`accountDeletionMode`; the hooks then revoke every credential), in one transaction. The
 * security log keeps the event (with the id the user had) and the account's address gets a notice.
 */
export const deleteAccount = async ({
  by,
  options,
  req,
  settings,
  user,
}: {
  by: 'admin' | 'user'
  options: SanitizedRestAuthOptions
  req: PayloadRequest
  settings: RestAuthSettings
  user: RestAuthUser
}): Promise<DeletionOutcome> => {
  const outcome: DeletionOutcome = settings.accountDeletionMode === 'deactivate' ? 'deactivated' : 'deleted'
  await withTransaction(req, async () => {
    if (outcome === 'deactivated') {
      await localApi(req.payload).update({
        collection: options.usersCollection,
        data: { is_active: false },
        depth: 0,
        id: user.id,
        overrideAccess: true,
        req,
      })
    } else {
      await localApi(req.payload).delete({ collection: options.usersCollection, depth: 0, id: user.id, overrideAccess: true, req })
    }
  })
  if (outcome === 'deleted') {
    // The user row is gone: the event keeps only the id it had.
    await recordAuthEvent({ event: { detail: { by }, isUserGone: true, type: 'account_deleted', userId: user.id }, options, req, settings })
  }
  afterResponse(() =>
    sendNotice({ event: outcome === 'deleted' ? 'account_deleted' : 'account_deactivated', options, req, settings, user }),
  )
  return outcome
}
