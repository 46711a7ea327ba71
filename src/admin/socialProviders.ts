import type { RestAuthSettings } from '../settings/definitions.js'

import { builtinProviderList } from '../providers/index.js'
import { settingKeyOf } from '../social/providerSettings.js'
import { listProviders } from '../providers/registry.js'

/** The settings that play each role on a built-in provider's card in the settings screen. */
export type ProviderCardKeys = {
  callbackUrlKey?: string
  clientIdKey: string
  enabledKey: string
  id: string
  label: string
  /** The provider's write-only setting (a client secret, Apple's private key). */
  secretKey?: string
}

/** One card per built-in provider, from what each declares. */
export const builtinProviderCards = (): ProviderCardKeys[] =>
  builtinProviderList.map(({ id, label, settings }) => {
    const secretRole = Object.keys(settings).find((role) => settings[role]?.isSecret)
    return {
      callbackUrlKey: 'callbackUrl' in settings ? settingKeyOf(id, 'callbackUrl') : undefined,
      clientIdKey: settingKeyOf(id, 'clientId'),
      enabledKey: settingKeyOf(id, 'enabled'),
      id,
      label,
      secretKey: secretRole ? settingKeyOf(id, secretRole) : undefined,
    }
  })

/** A provider's name for the admin screens (an OpenID Connect provider's label; the slug of one since removed). */
export const providerLabel = (settings: RestAuthSettings, slug: string): string =>
  listProviders(settings).find((provider) => provider.id === slug)?.label ?? slug
