import type { Field, Tab, UIField } from 'payload'

import type { I18nLike, RestAuthTranslationKey } from '../../admin/translations/index.js'
import type { SettingsGroup } from '../settings/definitions.js'
import type { SanitizedRestAuthOptions } from '../types.js'

import { en } from '../../admin/translations/en.js'
import { translate } from '../../admin/translations/index.js'
import { settingAt, settingText } from './settingTranslations.js'
import { componentPaths, serverProps } from './components.js'

type LabelArgs = { i18n: I18nLike }

/** The setting's (or a row field's: `oidcProviders.issuer`) label in the admin's language. */
export const settingLabel =
  (path: string) =>
  ({ i18n }: LabelArgs): string =>
    settingText(i18n, path, 'label')

/** The setting's documentation (the table's `description`), translated, with the dj-rest-auth name. */
export const settingDescription =
  (path: string) =>
  ({ i18n }: LabelArgs): string => {
    const { django } = (settingAt(path) ?? {}) as { django?: string }
    // The table's descriptions use Markdown code spans, which a field description would print as is.
    const text = settingText(i18n, path, 'description').replace(/`([^`]+)`/g, '$1')
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
    case 'social':
      return [uiField('restAuthSocialProviders', { path: componentPaths.socialProvidersField, serverProps: serverProps(options) })]
    default:
      return []
  }
}

/**
 * Secrets are write-only (no read access), so Payload leaves them out of the form: each gets an
 * input of its own next to where it would be, which sets or clears it through an admin route. A
 * secret of a row (`oidcProviders.secret`) gets one in each row.
 */
export const secretSettingFields = (path: string, options: SanitizedRestAuthOptions): Field[] =>
  options.enabled && settingAt(path)?.isSecret
    ? [
        uiField(`restAuthSecret_${path.replace(/\./g, '_')}`, {
          clientProps: { settingKey: path },
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
