import type { UIFieldServerProps } from 'payload'
import type React from 'react'

import type { RestAuthServerProps } from '../../../src/admin/components.js'

import { secretStatus } from '../../../src/admin/secrets.js'
import { settingDescription, settingLabel } from '../../../src/admin/settingsFields.js'
import { translator } from '../../translations/index.js'
import { SecretSettingInput } from './index.client.js'

/**
 * A write-only setting (signing keys, provider secrets): whether it is set, and an input to replace
 * it. `settingKey` is a setting, or a row field (`oidcProviders.secret`): then the secret of the
 * row this input sits in, which must have been saved once.
 */
export const SecretSettingField = async ({
  i18n,
  payload,
  restAuth,
  settingKey,
  siblingData,
}: { settingKey: string } & RestAuthServerProps & UIFieldServerProps): Promise<React.ReactElement> => {
  const [rowsKey, field] = settingKey.split('.')
  const rowId = field ? (siblingData as { id?: unknown } | undefined)?.id : undefined
  const key = field ? `${rowsKey}.${String(rowId ?? '')}.${field}` : settingKey
  const [status, settings] = await Promise.all([secretStatus({ options: restAuth, payload }), restAuth.settingsStore.get(payload)])
  return (
    <SecretSettingInput
      csrfCookieName={settings.csrfCookieName}
      description={settingDescription(settingKey)({ i18n: i18n as never })}
      isSet={status[key] === true}
      label={settingLabel(settingKey)({ i18n: i18n as never })}
      routePrefix={restAuth.routePrefix}
      settingKey={key}
      unavailable={key in status ? undefined : translator(i18n as never)('secret-save-row-first')}
    />
  )
}
