import type { Field } from 'payload'

import type { I18nLike } from '../../admin/translations/index.js'
import type { SanitizedRestAuthOptions } from '../types.js'

import { translate } from '../../admin/translations/index.js'
import { componentPaths, serverProps } from './components.js'

/** Names of the admin-only UI fields the plugin adds to the users collection (no database column). */
export const userAdminFieldNames = {
  account: 'restAuthAccount',
  socialAccounts: 'restAuthSocialAccounts',
  verified: 'restAuthEmailVerified',
} as const

/**
 * Columns for the users list (verification state, linked providers) and the account panel of a
 * user's page (addresses, social accounts, tokens and sessions, with their actions).
 */
export const userAdminFields = (options: SanitizedRestAuthOptions): Field[] => {
  if (!options.enabled) {
    return []
  }
  const props = serverProps(options)
  return [
    {
      name: userAdminFieldNames.verified,
      type: 'ui',
      admin: { components: { Cell: { path: componentPaths.userVerifiedCell, serverProps: props } } },
      label: ({ i18n }: { i18n: I18nLike }) => translate(i18n, 'column-verified'),
    },
    {
      name: userAdminFieldNames.socialAccounts,
      type: 'ui',
      admin: { components: { Cell: { path: componentPaths.userSocialAccountsCell, serverProps: props } } },
      label: ({ i18n }: { i18n: I18nLike }) => translate(i18n, 'column-social-accounts'),
    },
    {
      name: userAdminFieldNames.account,
      type: 'ui',
      admin: {
        components: { Field: { path: componentPaths.userAccountField, serverProps: props } },
        disableListColumn: true,
      },
      label: ({ i18n }: { i18n: I18nLike }) => translate(i18n, 'account-title'),
    },
  ] as Field[]
}
