import type { UIFieldServerProps } from 'payload'
import type React from 'react'

import type { RestAuthServerProps } from '../../../src/admin/components.js'
import type { RestAuthUser } from '../../../src/types.js'

import { loadUserAccount } from '../../../src/admin/account.js'
import { UserAccount } from './index.client.js'

/** The account panel of a user's page: addresses, social accounts, active tokens and sessions. */
export const UserAccountField = async ({
  id,
  payload,
  req,
  restAuth,
}: RestAuthServerProps & UIFieldServerProps): Promise<React.ReactElement | null> => {
  if (id === undefined || id === null || !restAuth.isAdmin({ req, user: req.user as null | RestAuthUser })) {
    return null
  }
  const [account, settings] = await Promise.all([
    loadUserAccount({ options: restAuth, payload, userId: id }),
    restAuth.settingsStore.get(payload),
  ])
  return (
    <UserAccount
      csrfCookieName={settings.csrfCookieName}
      initialAccount={account}
      routePrefix={restAuth.routePrefix}
      userId={id}
      usersCollection={restAuth.usersCollection}
    />
  )
}
