import type { I18nLike } from '../../admin/translations/index.js'
import type { ProviderSettingDefinition, SettingDefinition } from '../settings/settingTypes.js'

import { translateOr } from '../../admin/translations/index.js'
import { settingDefinitions, settingKeys } from '../settings/definitions.js'

const ACRONYMS: Record<string, string> = {
  csrf: 'CSRF',
  github: 'GitHub',
  http: 'HTTP',
  id: 'ID',
  ids: 'IDs',
  ip: 'IP',
  jwks: 'JWKS',
  jwt: 'JWT',
  oidc: 'OIDC',
  url: 'URL',
}

/** `jwtAuthCookieUseCsrf` → `JWT auth cookie use CSRF`. */
export const humanizeSettingKey = (key: string): string =>
  key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(' ')
    .map((word, index) => {
      const lower = word.toLowerCase()
      if (ACRONYMS[lower]) {
        return ACRONYMS[lower]
      }
      return index === 0 ? lower.charAt(0).toUpperCase() + lower.slice(1) : lower
    })
    .join(' ')

/** A setting, or a field of a setting's rows (`oidcProviders.issuer`), by its path. */
export const settingAt = (path: string): ProviderSettingDefinition | SettingDefinition | undefined => {
  const [key, field] = path.split('.') as [string, string | undefined]
  const definition = (settingDefinitions as Record<string, SettingDefinition>)[key]
  return field === undefined ? definition : definition?.type === 'rows' ? definition.fields[field] : undefined
}

const paths = settingKeys.flatMap((key) => {
  const definition = settingDefinitions[key] as SettingDefinition
  return [key, ...(definition.type === 'rows' ? Object.keys(definition.fields).map((field) => `${key}.${field}`) : [])]
})

/**
 * The English label and help text of every setting and row field (`setting-<path>-label`,
 * `-description`), made from the settings table so the documentation lives in one place. Other
 * languages translate the same keys.
 */
export const settingTranslations: Record<string, string> = Object.fromEntries(
  paths.flatMap((path) => [
    [`setting-${path}-label`, humanizeSettingKey(path.split('.').at(-1)!)],
    [`setting-${path}-description`, settingAt(path)?.description ?? ''],
  ]),
)

/** A setting's label or help text in the admin's language, English from the table otherwise. */
export const settingText = (i18n: I18nLike | undefined, path: string, part: 'description' | 'label'): string =>
  translateOr(i18n, `setting-${path}-${part}`, settingTranslations[`setting-${path}-${part}`] ?? path)
