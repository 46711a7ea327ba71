import type { OpenIdConnectRow } from './openIdConnect.js'
import type { RestAuthSettings } from '../settings/definitions.js'
import type { ProviderDefinition, SocialProvider } from '../social/types.js'

import { builtinProviderList, openIdConnectProvider } from './index.js'
import { rowSlugOf } from './openIdConnect.js'
import { readProviderConfig } from '../social/config.js'
import { settingKeyOf } from '../social/providerSettings.js'

/*
 * The providers the settings configure: the built-in ones, each with its `<id>…` settings, then
 * every OpenID Connect provider an admin added (a row of `oidcProviders`, served under its slug).
 */

const builtin = (definition: ProviderDefinition, settings: RestAuthSettings, origin: string): SocialProvider => {
  const values = settings as unknown as Record<string, unknown>
  return {
    config: readProviderConfig(definition.settings, (role) => values[settingKeyOf(definition.id, role)], origin),
    definition,
    id: definition.id,
    label: definition.label,
    protocol: definition.protocol,
  }
}

const fromRow = (row: OpenIdConnectRow, origin: string): SocialProvider => {
  const values = row as Record<string, unknown>
  const id = rowSlugOf(row)
  return {
    config: readProviderConfig(openIdConnectProvider.settings, (role) => values[role], origin),
    definition: openIdConnectProvider,
    id,
    label: (typeof row.label === 'string' && row.label.trim()) || id,
    protocol: 'oauth2',
  }
}

/** The built-in providers, enabled or not, in order. */
export const listBuiltinProviders = (settings: RestAuthSettings, origin = ''): SocialProvider[] =>
  builtinProviderList.map((definition) => builtin(definition, settings, origin))

/** Every provider the settings know, enabled or not: the built-in ones in order, then the OpenID Connect rows with a slug. */
export const listProviders = (settings: RestAuthSettings, origin = ''): SocialProvider[] => [
  ...listBuiltinProviders(settings, origin),
  ...(settings.oidcProviders ?? []).filter((row) => rowSlugOf(row) !== '').map((row) => fromRow(row, origin)),
]

/** The provider a route's slug names, when it is enabled; null otherwise (its routes answer 404). */
export const findEnabledProvider = (settings: RestAuthSettings, slug: unknown, origin = ''): null | SocialProvider => {
  if (typeof slug !== 'string' || slug === '') {
    return null
  }
  const definition = builtinProviderList.find((candidate) => candidate.id === slug)
  const row = definition ? undefined : (settings.oidcProviders ?? []).find((candidate) => rowSlugOf(candidate) === slug)
  const provider = definition ? builtin(definition, settings, origin) : row ? fromRow(row, origin) : null
  return provider?.config.isEnabled ? provider : null
}
