import type { Field, GlobalConfig } from 'payload'

import { ValidationError } from 'payload'

import type { SettingKey } from '../settings/definitions.js'
import type { RestAuthSettings, SanitizedRestAuthOptions } from '../types.js'

import {
  groupLabel,
  secretSettingFields,
  settingDescription,
  settingLabel,
  settingsExtraTabs,
  settingsTabFields,
} from '../admin/settingsFields.js'
import { adminOnly } from '../collections/access.js'
import { settingDefinitions, settingKeys, settingsGroups } from '../settings/definitions.js'
import { validateSettings } from '../settings/validateSettings.js'

const settingField = (key: SettingKey, options: SanitizedRestAuthOptions): Field => {
  const def = settingDefinitions[key]
  const admin = { description: settingDescription(key) }
  const base = {
    name: key,
    access: def.isSecret ? { read: () => false } : undefined,
    admin,
    defaultValue: def.isSecret ? undefined : options.baseSettings[key],
    label: settingLabel(key),
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
          fields: [
            ...settingsTabFields(group, options),
            ...settingKeys
              .filter((key) => settingDefinitions[key].group === group)
              .flatMap((key) => [settingField(key, options), ...secretSettingFields(key, options)]),
          ],
          label: groupLabel(group, label),
        })),
        ...settingsExtraTabs(options),
      ],
    },
  ],
  graphQL: { name: 'RestAuthSettings' },
  hooks: {
    afterChange: [
      ({ req }) => {
        options.settingsStore.invalidate(req.payload)
      },
    ],
    beforeChange: [
      ({ data, originalDoc }) => {
        const merged = { ...options.baseSettings } as Record<SettingKey, unknown>
        for (const key of settingKeys) {
          const value = data?.[key] ?? originalDoc?.[key]
          if (value !== null && value !== undefined) {
            merged[key] = value
          }
        }
        const problems = Object.entries(validateSettings(merged as RestAuthSettings))
        if (problems.length > 0) {
          throw new ValidationError({
            errors: problems.map(([path, message]) => ({ message: message!, path })),
            global: options.slugs.settings,
          })
        }
        return data
      },
    ],
  },
  label: 'REST auth settings',
})
