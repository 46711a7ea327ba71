import type { DefaultServerCellComponentProps } from 'payload'
import type React from 'react'

import { Pill } from '@payloadcms/ui'

import type { RestAuthServerProps } from '../../../src/admin/components.js'

import { providerLabel } from '../../../src/admin/socialProviders.js'
import { translator } from '../../translations/index.js'
import { loadUserBadges } from '../shared/userBadges.js'
import '../shared/cells.css'

/** Users list column: the providers the user has linked. */
export const UserSocialAccountsCell = async ({
  i18n,
  payload,
  restAuth,
  rowData,
}: DefaultServerCellComponentProps & RestAuthServerProps): Promise<React.ReactElement | null> => {
  // Payload also renders a UI field's Cell inside the edit form, without a row: nothing to show there.
  if (!rowData) {
    return null
  }
  const [{ providers }, settings] = await Promise.all([loadUserBadges(restAuth, payload, rowData.id, rowData.email), restAuth.settingsStore.get(payload)])
  if (providers.length === 0) {
    return <span className="rest-auth-cell-muted">{translator(i18n as never)('none')}</span>
  }
  return (
    <span className="rest-auth-cell-pills">
      {providers.map((provider) => (
        <Pill key={provider} size="small">
          {providerLabel(settings, provider)}
        </Pill>
      ))}
    </span>
  )
}
