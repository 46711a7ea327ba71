import type { Field, FieldHook, GlobalConfig } from 'payload'

import { ValidationError } from 'payload'

import type { ProviderSettingDefinition, SettingDefinition, SettingsGroup } from '../settings/settingTypes.js'
import type { RestAuthSettings, SanitizedRestAuthOptions, SettingKey } from '../types.js'

import {
  groupLabel,
  secretSettingFields,
  settingDescription,
  settingLabel,
  settingsExtraTabs,
  settingsTabFields,
} from '../admin/settingsFields.js'
import { invalidateCaches } from '../cache/invalidation.js'
import { adminOnly } from '../collections/access.js'
import { builtinProviderList } from '../providers/index.js'
import { settingDefinitions, settingKeys, settingsGroups } from '../settings/definitions.js'
import { mergeProviderRows } from '../settings/settingsStore.js'
import { validateSettings } from '../settings/validateSettings.js'
import { settingKeyOf } from '../social/providerSettings.js'

/**
 * A write-only field of a row is never in the admin's form, so a row saved from the form arrives
 * without it: it keeps the value of the saved row with the same id.
 */
const keepUnreadSecret: FieldHook = ({ previousValue, value }) => (value === undefined || value === null ? previousValue : value)

const fieldOf = (path: string, def: ProviderSettingDefinition | SettingDefinition, defaultValue: boolean | number | string): Field => {
  const name = path.split('.').at(-1)!
  const base = {
    name,
    access: def.isSecret ? { read: () => false } : undefined,
    admin: { description: settingDescription(path) },
    defaultValue: def.isSecret ? undefined : defaultValue,
    label: settingLabel(path),
  }
  switch (def.type) {
    case 'checkbox':
      return { ...base, type: 'checkbox' }
    case 'number':
      return { ...base, type: 'number', min: def.min }
    case 'select':
      return { ...base, type: 'select', options: def.options.map((value) => ({ label: value, value })) }
    default:
      return { ...base, type: 'text' }
  }
}

/** The rows of a list setting (the OpenID Connect providers): an array field whose rows have the declared fields. */
const rowsFieldOf = (key: SettingKey, def: Extract<SettingDefinition, { type: 'rows' }>, options: SanitizedRestAuthOptions): Field => ({
  name: key,
  type: 'array',
  admin: { description: settingDescription(key) },
  fields: Object.entries(def.fields).flatMap(([name, field]) => {
    const path = `${key}.${name}`
    const built = fieldOf(path, field, field.default)
    return field.isSecret
      ? [{ ...built, hooks: { beforeChange: [keepUnreadSecret] } } as Field, ...secretSettingFields(path, options)]
      : [built]
  }),
  label: settingLabel(key),
  labels: { plural: settingLabel(key), singular: def.rowLabel },
})

const settingField = (key: SettingKey, options: SanitizedRestAuthOptions): Field => {
  const def = settingDefinitions[key] as SettingDefinition
  return def.type === 'rows' ? rowsFieldOf(key, def, options) : fieldOf(key, def, options.baseSettings[key] as boolean | number | string)
}

/** Which built-in provider each of the table's provider settings belongs to. */
const providerOfKey = new Map(
  builtinProviderList.flatMap((provider) => Object.keys(provider.settings).map((role) => [settingKeyOf(provider.id, role) as string, provider] as const)),
)

/**
 * A tab's fields in the table's order; a built-in provider's settings under a collapsible heading
 * of their own (presentation only: the global's data stays flat).
 */
const groupFields = (group: SettingsGroup, options: SanitizedRestAuthOptions): Field[] => {
  const fieldsOf = (key: SettingKey) => [settingField(key, options), ...secretSettingFields(key, options)]
  const keys = settingKeys.filter((key) => settingDefinitions[key].group === group)
  return keys.flatMap((key): Field[] => {
    const provider = providerOfKey.get(key)
    if (!provider) {
      return fieldsOf(key)
    }
    const own = keys.filter((candidate) => providerOfKey.get(candidate) === provider)
    return own[0] === key ? [{ type: 'collapsible', fields: own.flatMap(fieldsOf), label: provider.label }] : []
  })
}

/** The settings a save would leave in force: the saved values, the submitted ones over them, the plugin's for the rest. */
const settingsAfterSave = (data: Record<string, unknown> | undefined, originalDoc: Record<string, unknown> | undefined, options: SanitizedRestAuthOptions) => {
  const merged = { ...options.baseSettings } as Record<SettingKey, unknown>
  for (const key of settingKeys) {
    const value = data?.[key] ?? originalDoc?.[key]
    if (value !== null && value !== undefined) {
      merged[key] = value
    }
  }
  merged.oidcProviders = mergeProviderRows(data?.oidcProviders ?? originalDoc?.oidcProviders, options.baseSettings.oidcProviders)
  return merged as RestAuthSettings
}

/** The settings global: one field per setting, grouped in tabs; edits apply on the next request. */
export const settingsGlobal = (options: SanitizedRestAuthOptions): GlobalConfig => ({
  slug: options.slugs.settings,
  access: { read: adminOnly(options), update: adminOnly(options) },
  admin: { group: 'Authentication' },
  fields: [
    {
      type: 'tabs',
      tabs: [
        ...settingsGroups.map(({ group, label }) => ({
          fields: [...settingsTabFields(group, options), ...groupFields(group, options)],
          label: groupLabel(group, label),
        })),
        ...settingsExtraTabs(options),
      ],
    },
  ],
  graphQL: { name: 'RestAuthSettings' },
  hooks: {
    afterChange: [
      async ({ req }) => {
        await invalidateCaches({ message: { kind: 'settings' }, options, payload: req.payload })
      },
    ],
    beforeChange: [
      ({ data, originalDoc }) => {
        const problems = Object.entries(validateSettings(settingsAfterSave(data, originalDoc, options)))
        if (problems.length > 0) {
          throw new ValidationError({
            errors: problems.map(([path, message]) => ({ message, path })),
            global: options.slugs.settings,
          })
        }
        return data
      },
    ],
  },
  label: 'REST auth settings',
})
