import type { ProviderSettings } from './types.js'

type KeyOf<Id extends string, Role extends string> = `${Id}${Capitalize<Role>}`

/** A provider's settings as rows of the settings table: `<id><Role>`, in the `social` group. */
export type ProviderSettingsTable<Id extends string, S extends ProviderSettings> = {
  [Role in keyof S & string as KeyOf<Id, Role>]: { group: 'social' } & S[Role]
}

/** The settings table's key of a provider's setting: google's `clientId` is `googleClientId`. */
export const settingKeyOf = <Id extends string, Role extends string>(id: Id, role: Role): KeyOf<Id, Role> =>
  `${id}${role.charAt(0).toUpperCase()}${role.slice(1)}` as KeyOf<Id, Role>

export const providerSettingsTable = <Id extends string, S extends ProviderSettings>({
  id,
  settings,
}: {
  id: Id
  settings: S
}): ProviderSettingsTable<Id, S> =>
  Object.fromEntries(Object.entries(settings).map(([role, def]) => [settingKeyOf(id, role), { ...def, group: 'social' }])) as unknown as ProviderSettingsTable<
    Id,
    S
  >
