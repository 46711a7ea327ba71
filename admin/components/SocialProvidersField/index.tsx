import type { UIFieldServerProps } from 'payload'
import type React from 'react'

import type { RestAuthServerProps } from '../../../src/admin/components.js'
import type { ProviderCard } from './index.client.js'

import { secretStatus } from '../../../src/admin/secrets.js'
import { builtinProviderCards } from '../../../src/admin/socialProviders.js'
import { SocialProviderCards } from './index.client.js'

/**
 * One card per built-in provider, then one per OpenID Connect row of the form. Secrets never reach
 * the browser: only whether one is saved.
 */
export const SocialProvidersField = async ({ payload, restAuth }: RestAuthServerProps & UIFieldServerProps): Promise<React.ReactElement> => {
  const secrets = await secretStatus({ options: restAuth, payload })
  const cards: ProviderCard[] = builtinProviderCards().map((card) => ({
    ...card,
    hasSavedSecret: card.secretKey ? secrets[card.secretKey] === true : false,
  }))
  const savedRowSecrets = Object.fromEntries(Object.entries(secrets).filter(([key]) => key.startsWith('oidcProviders.')))
  return <SocialProviderCards cards={cards} rows={{ path: 'oidcProviders', savedSecrets: savedRowSecrets }} />
}
