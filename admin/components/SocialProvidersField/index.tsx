import type { UIFieldServerProps } from 'payload'
import type React from 'react'

import type { RestAuthServerProps } from '../../../src/admin/components.js'
import type { ProviderCard } from './index.client.js'

import { secretStatus } from '../../../src/admin/secrets.js'
import { findSocialProviders } from '../../../src/admin/socialProviders.js'
import { SocialProviderCards } from './index.client.js'

/**
 * One card per social provider of the settings table (none while the table has no `social`
 * group). Secrets never reach the browser: only whether one is saved.
 */
export const SocialProvidersField = async ({ payload, restAuth }: RestAuthServerProps & UIFieldServerProps): Promise<React.ReactElement | null> => {
  const { providers, sharedCallbackUrl } = findSocialProviders()
  if (providers.length === 0) {
    return null
  }
  const secrets = (await secretStatus({ options: restAuth, payload })) as Record<string, boolean | undefined>
  const cards: ProviderCard[] = providers.map((provider) => ({
    callbackUrlKey: provider.callbackUrl ?? sharedCallbackUrl,
    clientIdKey: provider.clientId,
    enabledKey: provider.enabled,
    hasSavedSecret: provider.secret ? secrets[provider.secret] === true : false,
    id: provider.id,
    label: provider.label,
    secretKey: provider.secret,
  }))
  return <SocialProviderCards cards={cards} />
}
