import type { DefaultServerCellComponentProps } from 'payload'
import type React from 'react'

import { Pill } from '@payloadcms/ui'

import type { RestAuthServerProps } from '../../../src/admin/components.js'

import { translator } from '../../translations/index.js'
import { loadUserBadges } from '../shared/userBadges.js'
import '../shared/cells.css'

const PILL_STYLES = { 'no-email': 'light-gray', unverified: 'warning', verified: 'success' } as const

/** Users list column: whether the user's e-mail address is verified. */
export const UserVerifiedCell = async ({
  i18n,
  payload,
  restAuth,
  rowData,
}: DefaultServerCellComponentProps & RestAuthServerProps): Promise<React.ReactElement | null> => {
  // Payload also renders a UI field's Cell inside the edit form, without a row: nothing to show there.
  if (!rowData) {
    return null
  }
  const t = translator(i18n as never)
  const { verification } = await loadUserBadges(restAuth, payload, rowData.id, rowData.email)
  return (
    <Pill pillStyle={PILL_STYLES[verification]} size="small">
      {t(verification)}
    </Pill>
  )
}
