import type { UIFieldServerProps } from 'payload'
import type React from 'react'

import type { RestAuthServerProps } from '../../../src/admin/components.js'
import type { SettingKey } from '../../../src/settings/definitions.js'

import { secretStatus } from '../../../src/admin/secrets.js'
import { settingDescription, settingLabel } from '../../../src/admin/settingsFields.js'
import { SecretSettingInput } from './index.client.js'

/** A write-only setting (signing keys, provider secrets): whether it is set, and an input to replace it. */
export const SecretSettingField = async ({
  i18n,
  payload,
  restAuth,
  settingKey,
}: { settingKey: SettingKey } & RestAuthServerProps & UIFieldServerProps): Promise<React.ReactElement> => {
  const [status, settings] = await Promise.all([secretStatus({ options: restAuth, payload }), restAuth.settingsStore.get(payload)])
  return (
    <SecretSettingInput
      csrfCookieName={settings.csrfCookieName}
      description={settingDescription(settingKey)({ i18n: i18n as never })}
      isSet={status[settingKey] === true}
      label={settingLabel(settingKey)({ i18n: i18n as never })}
      routePrefix={restAuth.routePrefix}
      settingKey={settingKey}
    />
  )
}
