import type { Field, Tab, UIField } from 'payload'

import type { I18nLike, RestAuthTranslationKey } from '../../admin/translations/index.js'
import type { SettingKey, SettingsGroup } from '../settings/definitions.js'
import type { SanitizedRestAuthOptions } from '../types.js'

import { en } from '../../admin/translations/en.js'
import { translate } from '../../admin/translations/index.js'
import { settingDefinitions } from '../settings/definitions.js'
import { componentPaths, serverProps } from './components.js'
import { findSocialProviders, SOCIAL_GROUP } from './socialProviders.js'

type LabelArgs = { i18n: I18nLike }

/** The setting's label in the admin's language. */
export const settingLabel =
  (key: SettingKey) =>
  ({ i18n }: LabelArgs): string =>
    translate(i18n, `setting-${key}-label`)

/** The setting's documentation (the table's `description`), translated, with the dj-rest-auth name. */
export const settingDescription =
  (key: SettingKey) =>
  ({ i18n }: LabelArgs): string => {
    const { django } = settingDefinitions[key] as { django?: string }
    // The table's descriptions use Markdown code spans, which a field description would print as is.
    const text = translate(i18n, `setting-${key}-description`).replace(/`([^`]+)`/g, '$1')
    return django ? `${text} (${django})` : text
  }

/** A tab label: the group's translation, else the label the settings table gives it (a group added later). */
export const groupLabel =
  (group: SettingsGroup, fallback: string) =>
  ({ i18n }: LabelArgs): string => {
    const key = `group-${group}`
    return key in en ? translate(i18n, key as RestAuthTranslationKey) : fallback
  }

type UiFieldComponent = NonNullable<NonNullable<UIField['admin']>['components']>['Field']

const uiField = (name: string, Field: UiFieldComponent): Field => ({
  name,
  type: 'ui',
  admin: { components: { Field }, disableListColumn: true },
})

/** Admin UI shown above a group's settings: the Set-Cookie previews and the provider cards. */
export const settingsTabFields = (group: SettingsGroup, options: SanitizedRestAuthOptions): Field[] => {
  if (!options.enabled) {
    return []
  }
  switch (group as string) {
    case 'jwt':
      return [uiField('restAuthJwtCookiePreview', { clientProps: { kind: 'jwt' }, path: componentPaths.cookiePreview })]
    case 'tokens':
      return [uiField('restAuthSessionCookiePreview', { clientProps: { kind: 'session' }, path: componentPaths.cookiePreview })]
    case SOCIAL_GROUP:
      return findSocialProviders().providers.length > 0
        ? [uiField('restAuthSocialProviders', { path: componentPaths.socialProvidersField, serverProps: serverProps(options) })]
        : []
    default:
      return []
  }
}

/**
 * Secrets are write-only (no read access), so Payload leaves them out of the form: each gets an
 * input of its own next to where it would be, which sets or clears it through an admin route.
 */
export const secretSettingFields = (key: SettingKey, options: SanitizedRestAuthOptions): Field[] =>
  options.enabled && (settingDefinitions[key] as { isSecret?: boolean }).isSecret
    ? [
        uiField(`restAuthSecret_${key}`, {
          clientProps: { settingKey: key },
          path: componentPaths.secretSettingField,
          serverProps: serverProps(options),
        }),
      ]
    : []

/** Tabs after the settings: the endpoints the saved settings enable. */
export const settingsExtraTabs = (options: SanitizedRestAuthOptions): Tab[] =>
  options.enabled
    ? [
        {
          fields: [uiField('restAuthEndpoints', { path: componentPaths.endpointsField, serverProps: serverProps(options) })],
          label: ({ i18n }: LabelArgs) => translate(i18n, 'tab-endpoints'),
        } as Tab,
      ]
    : []
