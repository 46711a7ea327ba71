import type { OpenIdConnectRow } from './openIdConnect.js'
import type { RestAuthSettings } from '../settings/definitions.js'
import type { ProviderSettingDefinition } from '../settings/settingTypes.js'

import { builtinProviderList, openIdConnectProvider } from './index.js'
import { isHttpUrl } from '../utilities/isHttpUrl.js'
import { settingKeyOf } from '../social/providerSettings.js'
import { rowSlugOf } from './openIdConnect.js'
import { listBuiltinProviders } from './registry.js'

const SLUG = /^[a-z0-9][a-z0-9_-]{0,49}$/

/** The settings a provider asks which app an access token belongs to (Google's tokenInfoUrl, GitHub's tokenCheckUrl). */
export const checkUrlRolesOf = (settings: object): string[] =>
  Object.keys(settings).filter((role) => role === 'tokenInfoUrl' || role === 'tokenCheckUrl')

/**
 * The first segments of the API's other routes (a test keeps this list equal to the route table)
 * and of the admin's: a provider's slug must be none of them, nor a built-in provider's id.
 */
export const ROUTE_SEGMENTS = [
  'account-confirm-email',
  'admin',
  'code',
  'email',
  'login',
  'logout',
  'mfa',
  'openapi.json',
  'openapi.yaml',
  'password',
  'reauthenticate',
  'registration',
  'sessions',
  'social',
  'socialaccounts',
  'token',
  'user',
  'webauthn',
] as const

const reservedSlugs = (): Set<string> => new Set([...ROUTE_SEGMENTS, ...builtinProviderList.map((provider) => provider.id)])

/** Problems of the OpenID Connect rows, by the path of the field in the settings global (`oidcProviders.0.slug`). */
const rowProblems = (rows: OpenIdConnectRow[]): Record<string, string> => {
  const problems: Record<string, string> = {}
  const reserved = reservedSlugs()
  const seen = new Set<string>()
  rows.forEach((row, index) => {
    const at = (field: string) => `oidcProviders.${index}.${field}`
    const slug = rowSlugOf(row)
    if (!SLUG.test(slug)) {
      problems[at('slug')] = 'Lower-case letters, digits, - and _ (at most 50), starting with a letter or digit.'
    } else if (reserved.has(slug)) {
      problems[at('slug')] = `"${slug}" is taken by a built-in provider or another route of the API.`
    } else if (seen.has(slug)) {
      problems[at('slug')] = `Another provider already uses "${slug}".`
    }
    seen.add(slug)
    if (row.enabled === true && !row.issuer?.trim()) {
      problems[at('issuer')] = 'An enabled provider needs its issuer URL.'
    }
    if (row.enabled === true && !row.clientId?.trim()) {
      problems[at('clientId')] = 'An enabled provider needs its client ID.'
    }
    for (const [field, definition] of Object.entries(openIdConnectProvider.settings as Record<string, ProviderSettingDefinition>)) {
      const value = (row as Record<string, unknown>)[field]
      if (definition.type === 'text' && definition.format === 'url' && typeof value === 'string' && value.trim() && !isHttpUrl(value.trim())) {
        problems[at(field)] = 'Must be an absolute http(s) URL.'
      }
    }
  })
  return problems
}

/**
 * An enabled provider without a client ID could never log anyone in; each provider's own checks
 * (Apple's key, Microsoft's tenant) by setting; and the OpenID Connect rows, whose slugs must be
 * usable routes of their own. Problems are keyed by the path of the field they concern.
 */
export const socialSettingsProblems = (settings: RestAuthSettings): Record<string, string> => {
  const problems: Record<string, string> = {}
  for (const provider of listBuiltinProviders(settings)) {
    const keyOf = (role: string) => settingKeyOf(provider.id, role)
    if (provider.config.enabled === true && !provider.config.clientId) {
      problems[keyOf('clientId')] = 'An enabled provider needs its client ID.'
    }
    for (const role of checkUrlRolesOf(provider.definition.settings)) {
      // An empty check URL would let any app's access token through while the setting says otherwise.
      const isChecked = provider.definition.protocol === 'oauth2' && Boolean(provider.definition.checkAccessToken)
      if (settings.socialCheckTokenAudience && isChecked && !provider.config[role]) {
        problems[keyOf(role)] = 'Needed while socialCheckTokenAudience is on (turn that off to accept tokens of any app).'
      }
    }
    for (const [role, problem] of Object.entries(provider.definition.settingsProblems?.(provider.config) ?? {})) {
      if (problem) {
        problems[keyOf(role)] = problem
      }
    }
  }
  return { ...problems, ...rowProblems(settings.oidcProviders ?? []) }
}
