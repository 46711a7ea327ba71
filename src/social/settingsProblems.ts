import type { RestAuthSettings, SettingKey } from '../settings/definitions.js'

import { settingDefinitions } from '../settings/definitions.js'

/** The ids of the social providers of the settings table: every `<id>Enabled` of the `social` group. */
export const socialProviderIds = (Object.keys(settingDefinitions) as SettingKey[])
  .filter((key) => settingDefinitions[key].group === 'social' && key.endsWith('Enabled'))
  .map((key) => key.slice(0, -'Enabled'.length))

const isHttpUrl = (value: string): boolean => {
  try {
    return ['http:', 'https:'].includes(new URL(value.replace('{origin}', 'http://localhost')).protocol)
  } catch {
    return false
  }
}

/**
 * An enabled provider without a client ID could never log anyone in, and a provider URL that is not
 * an absolute http(s) URL could never be reached or redirected to: refuse to save either.
 */
export const socialSettingsProblems = (settings: RestAuthSettings): Partial<Record<SettingKey, string>> => {
  const values = settings as unknown as Record<string, unknown>
  const problems: Partial<Record<SettingKey, string>> = {}
  for (const id of socialProviderIds) {
    const clientId = values[`${id}ClientId`]
    if (values[`${id}Enabled`] === true && (typeof clientId !== 'string' || clientId.trim() === '')) {
      problems[`${id}ClientId` as SettingKey] = 'An enabled provider needs its client ID.'
    }
  }
  for (const key of Object.keys(settingDefinitions) as SettingKey[]) {
    const isCheckUrl = key.endsWith('TokenInfoUrl') || key.endsWith('TokenCheckUrl')
    if (isCheckUrl && settings.socialCheckTokenAudience && String(values[key] ?? '').trim() === '') {
      // An empty check URL would let any app's access token through while the setting says otherwise.
      problems[key] = 'Needed while socialCheckTokenAudience is on (turn that off to accept tokens of any app).'
    }
  }
  for (const key of Object.keys(settingDefinitions) as SettingKey[]) {
    const value = values[key]
    if (settingDefinitions[key].group === 'social' && key.endsWith('Url') && typeof value === 'string' && value.trim() && !isHttpUrl(value.trim())) {
      problems[key] = 'Must be an absolute http(s) URL.'
    }
  }
  return problems
}
