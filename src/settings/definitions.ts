/**
 * Every setting of payload-rest-auth: its type, its default and its documentation, in one table:
 * the core settings (src/settings/coreSettings.ts), then each social provider's own, declared in
 * its module (src/providers/<id>.ts) and named `<id><Role>` here, then the list of OpenID Connect
 * providers an admin adds. The settings global, the plugin's `settings` option, the admin screens
 * and the README's tables are all generated from, or checked against, this table.
 */

import type { OpenIdConnectRow } from '../providers/openIdConnect.js'
import type { RowsSetting, SettingsGroup, ValueOf } from './settingTypes.js'

import type { ProviderSettingsTable } from '../social/providerSettings.js'
import type { ProviderSettings } from '../social/types.js'

import { builtinProviders, openIdConnectProvider } from '../providers/index.js'
import { providerSettingsTable } from '../social/providerSettings.js'
import { coreSettingDefinitions } from './coreSettings.js'

export type {
  BooleanSetting,
  NumberSetting,
  RowsSetting,
  SelectSetting,
  SettingDefinition,
  SettingsGroup,
  TextSetting,
} from './settingTypes.js'

const oidcProviders: RowsSetting<OpenIdConnectRow> = {
  default: [],
  description:
    'OpenID Connect providers (Keycloak, Auth0, Okta…), each configured by its issuer URL and served at <slug>/ and <slug>/connect/.',
  django: 'SOCIALACCOUNT_PROVIDERS.openid_connect.APPS',
  fields: openIdConnectProvider.settings,
  group: 'social',
  rowLabel: 'OpenID Connect provider',
  type: 'rows',
}

type UnionToIntersection<U> = (U extends unknown ? (arg: U) => void : never) extends (arg: infer I) => void ? I : never

type TableOf<P> = P extends { id: infer Id extends string; settings: infer S extends ProviderSettings } ? ProviderSettingsTable<Id, S> : never

/** Every built-in provider's settings, as rows of the table. */
type BuiltinProviderSettings = UnionToIntersection<TableOf<(typeof builtinProviders)[number]>>

const builtinProviderSettings = Object.assign(
  {},
  ...builtinProviders.map((provider: { id: string; settings: ProviderSettings }) => providerSettingsTable(provider)),
) as BuiltinProviderSettings

export const settingDefinitions = {
  ...coreSettingDefinitions,
  ...builtinProviderSettings,
  oidcProviders,
}

export type SettingKey = keyof typeof settingDefinitions

/** The effective settings, every key present. */
export type RestAuthSettings = { -readonly [K in SettingKey]: ValueOf<(typeof settingDefinitions)[K]> }

export const settingKeys = Object.keys(settingDefinitions) as SettingKey[]

export const defaultSettings = Object.fromEntries(
  settingKeys.map((key) => [key, settingDefinitions[key].default]),
) as RestAuthSettings

export const settingsGroups: { group: SettingsGroup; label: string }[] = [
  { group: 'tokens', label: 'Tokens and sessions' },
  { group: 'jwt', label: 'JWT and cookies' },
  { group: 'registration', label: 'Registration and e-mail' },
  { group: 'passwords', label: 'Password rules' },
  { group: 'mfa', label: 'Two-factor authentication' },
  { group: 'social', label: 'Social providers' },
  { group: 'throttling', label: 'Rate limits' },
  { group: 'security', label: 'Proxies and origins' },
]
