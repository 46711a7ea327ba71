import type { RestAuthSettings, SettingKey } from '../settings/definitions.js'

import { settingDefinitions } from '../settings/definitions.js'

/** The ids of the social providers of the settings table: every `<id>Enabled` of the `social` group. */
export const socialProviderIds = (Object.keys(settingDefinitions) as SettingKey[])
  .filter((key) => settingDefinitions[key].group === 'social' && key.endsWith('Enabled'))
  .map((key) => key.slice(0, -'Enabled'.length))

/** An enabled provider without a client ID could never log anyone in: refuse to save it. */
export const socialSettingsProblems = (settings: RestAuthSettings): Partial<Record<SettingKey, string>> => {
  const values = settings as unknown as Record<string, unknown>
  const problems: Partial<Record<SettingKey, string>> = {}
  for (const id of socialProviderIds) {
    const clientId = values[`${id}ClientId`]
    if (values[`${id}Enabled`] === true && (typeof clientId !== 'string' || clientId.trim() === '')) {
      problems[`${id}ClientId` as SettingKey] = 'An enabled provider needs its client ID.'
    }
  }
  return problems
}
