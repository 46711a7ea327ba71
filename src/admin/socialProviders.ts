import type { SettingDefinition } from '../settings/definitions.js'

import { settingDefinitions } from '../settings/definitions.js'

export const SOCIAL_GROUP = 'social'

/** The settings of one social provider, by the role each plays on its card. */
export type SocialProviderSettings = {
  callbackUrl?: string
  clientId?: string
  enabled?: string
  id: string
  label: string
  secret?: string
}

type Role = 'callbackUrl' | 'clientId' | 'enabled' | 'secret'

const ROLE_SUFFIXES: [Role, RegExp][] = [
  ['enabled', /(?:Is)?Enabled?$/],
  ['clientId', /(?:ClientId|AppId|ClientKey|ConsumerKey|Key)$/],
  ['secret', /(?:ClientSecret|AppSecret|ConsumerSecret|Secret)$/],
  ['callbackUrl', /(?:CallbackUrl|CallbackUri|CallbackURL|RedirectUrl|RedirectUri|RedirectURL)$/],
]

const KNOWN_LABELS: Record<string, string> = {
  apple: 'Apple',
  facebook: 'Facebook',
  github: 'GitHub',
  gitlab: 'GitLab',
  google: 'Google',
  linkedin: 'LinkedIn',
  microsoft: 'Microsoft',
  twitter: 'Twitter',
}

export const providerLabel = (id: string): string => KNOWN_LABELS[id.toLowerCase()] ?? id.charAt(0).toUpperCase() + id.slice(1)

/**
 * Groups the settings of the `social` group by provider from their names: `googleClientId`,
 * `socialGoogleSecret`, `githubEnabled`, `twitterCallbackUrl`… A group-wide `socialCallbackUrl`
 * (with an optional `{provider}` placeholder) serves every provider without its own. Empty when
 * the group does not exist, so the screens work before and after social login lands.
 */
export const findSocialProviders = (
  definitions: Record<string, Pick<SettingDefinition, 'group'>> = settingDefinitions,
): { providers: SocialProviderSettings[]; sharedCallbackUrl?: string } => {
  const byProvider = new Map<string, SocialProviderSettings>()
  let sharedCallbackUrl: string | undefined
  for (const [key, definition] of Object.entries(definitions)) {
    if ((definition.group as string) !== SOCIAL_GROUP) {
      continue
    }
    const name = key.replace(/^social(?:Account|account)?(?=[A-Z])/, '')
    for (const [role, suffix] of ROLE_SUFFIXES) {
      const match = suffix.exec(name)
      if (!match) {
        continue
      }
      const prefix = name.slice(0, match.index)
      if (!prefix) {
        if (role === 'callbackUrl') {
          sharedCallbackUrl = key
        }
        break
      }
      const id = prefix.charAt(0).toLowerCase() + prefix.slice(1)
      const provider = byProvider.get(id) ?? { id, label: providerLabel(id) }
      provider[role] ??= key
      byProvider.set(id, provider)
      break
    }
  }
  const providers = [...byProvider.values()].filter((provider) => provider.clientId)
  return { providers, sharedCallbackUrl }
}
