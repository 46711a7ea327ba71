import type { Config } from 'payload'

import { deepMergeSimple } from 'payload/shared'

import type { SanitizedRestAuthOptions } from '../types.js'

import { payloadTranslations, TRANSLATION_NAMESPACE } from '../../admin/translations/index.js'
import { toPayloadEndpoints } from '../http/defineEndpoint.js'
import { componentPaths, serverProps } from './components.js'
import { adminEndpoints } from './endpoints.js'
import { fieldTranslations } from './fieldTranslations.js'
import { settingTranslations } from './settingTranslations.js'

export { userAdminFieldNames, userAdminFields } from './userFields.js'

/**
 * The admin logs in through the plugin's users (Payload's default: the first auth collection), whose
 * login the plugin gates with a second factor: the login screen must be able to ask for it. An app's
 * own login view is kept (it then has to send `code` itself; see the README).
 */
const withLoginView = (config: Config, options: SanitizedRestAuthOptions): NonNullable<NonNullable<Config['admin']>['components']>['views'] => {
  const views = config.admin?.components?.views
  const adminUsers = config.admin?.user ?? config.collections?.find((collection) => collection.auth)?.slug
  if (views?.login || adminUsers !== options.usersCollection) {
    return views
  }
  return { ...views, login: { Component: componentPaths.adminLoginView } }
}

/**
 * The admin side of the plugin on the finished config: its translations (always, they cost
 * nothing), and unless the plugin is disabled, the dashboard counts and the admin-only routes the
 * screens call.
 */
export const withAdminScreens = (config: Config, options: SanitizedRestAuthOptions): Config => {
  const ours = deepMergeSimple(payloadTranslations, {
    en: { [TRANSLATION_NAMESPACE]: { ...settingTranslations, ...fieldTranslations } },
  })
  const i18n = {
    ...config.i18n,
    translations: deepMergeSimple(ours, (config.i18n?.translations ?? {}) as Record<string, unknown>),
  } as Config['i18n']
  if (!options.enabled) {
    return { ...config, i18n }
  }
  const components = config.admin?.components ?? {}
  // Every component goes into the import map, including those used only once a settings group
  // exists (the social provider cards), so the map stays right whatever the settings table holds.
  const dependencies = Object.fromEntries(
    Object.entries(componentPaths).map(([name, path]) => [`payload-rest-auth:${name}`, { path, type: 'component' as const }]),
  )
  return {
    ...config,
    admin: {
      ...config.admin,
      dependencies: { ...dependencies, ...config.admin?.dependencies },
      components: {
        ...components,
        views: withLoginView(config, options),
        beforeDashboard: [
          ...(components.beforeDashboard ?? []),
          { path: componentPaths.dashboardStats, serverProps: serverProps(options) },
        ],
      },
    },
    endpoints: [...(config.endpoints ?? []), ...adminEndpoints.flatMap((endpoint) => toPayloadEndpoints(endpoint, options))],
    i18n,
  }
}
