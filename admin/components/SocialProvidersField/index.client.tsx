'use client'
import { Pill, useAllFormFields, useTranslation } from '@payloadcms/ui'
import React, { useEffect, useMemo, useState } from 'react'

import type { Translate } from '../../translations/index.js'
import type { SecretEventDetail } from '../SecretSettingField/index.client.js'

import { translator } from '../../translations/index.js'
import { SECRET_EVENT } from '../SecretSettingField/index.client.js'
import './index.css'

const baseClass = 'rest-auth-providers'

export const SECRET_MASK = '••••••••'

/** A provider as the server describes it: which settings play which role, never the secret itself. */
export type ProviderCard = {
  callbackUrlKey?: string
  clientIdKey?: string
  enabledKey?: string
  hasSavedSecret: boolean
  id: string
  label: string
  secretKey?: string
}

export type ProviderCardValues = {
  callbackUrl: string
  clientId: string
  isEnabled: boolean | undefined
  secret: 'empty' | 'masked'
}

const str = (value: unknown): string => (typeof value === 'string' ? value : '')

/** What a card shows under the values being edited. */
export const providerCardValues = (card: ProviderCard, values: Record<string, unknown>): ProviderCardValues => {
  const typedSecret = card.secretKey ? str(values[card.secretKey]) : ''
  return {
    callbackUrl: card.callbackUrlKey ? str(values[card.callbackUrlKey]).replaceAll('{provider}', card.id) : '',
    clientId: card.clientIdKey ? str(values[card.clientIdKey]) : '',
    isEnabled: card.enabledKey ? values[card.enabledKey] === true : undefined,
    secret: typedSecret || card.hasSavedSecret ? 'masked' : 'empty',
  }
}

export const ProviderCardsView: React.FC<{ cards: { card: ProviderCard; values: ProviderCardValues }[]; t: Translate }> = ({ cards, t }) => (
  <section aria-labelledby={`${baseClass}-title`} className={baseClass}>
    <h3 className={`${baseClass}__title`} id={`${baseClass}-title`}>
      {t('social-title')}
    </h3>
    <ul className={`${baseClass}__cards`}>
      {cards.map(({ card, values }) => (
        <li aria-labelledby={`${baseClass}-${card.id}`} className={`${baseClass}__card`} data-testid={`provider-${card.id}`} key={card.id}>
          <div className={`${baseClass}__card-header`}>
            <h4 id={`${baseClass}-${card.id}`}>{card.label}</h4>
            {values.isEnabled !== undefined && (
              <Pill pillStyle={values.isEnabled ? 'success' : 'light-gray'} size="small">
                {t(values.isEnabled ? 'social-enabled' : 'social-disabled')}
              </Pill>
            )}
          </div>
          <dl>
            <dt>{t('social-client-id')}</dt>
            <dd>{values.clientId ? <code>{values.clientId}</code> : <span className={`${baseClass}__muted`}>{t('social-not-set')}</span>}</dd>
            <dt>{t('social-secret')}</dt>
            <dd>
              {values.secret === 'masked' ? (
                <>
                  <code aria-hidden="true">{SECRET_MASK}</code> <span className={`${baseClass}__muted`}>{t('social-secret-set')}</span>
                </>
              ) : (
                <span className={`${baseClass}__muted`}>{t('social-not-set')}</span>
              )}
            </dd>
            <dt>{t('social-callback-url')}</dt>
            <dd>
              {values.callbackUrl ? <code>{values.callbackUrl}</code> : <span className={`${baseClass}__muted`}>{t('social-not-set')}</span>}
            </dd>
          </dl>
        </li>
      ))}
    </ul>
  </section>
)

/** The OpenID Connect rows of the form (`oidcProviders.<n>.…`), each as a card; a row's secret is addressed by the row's id. */
export const rowCards = (
  { path, savedSecrets }: { path: string; savedSecrets: Record<string, boolean> },
  values: Record<string, unknown>,
  unnamed: string,
): ProviderCard[] => {
  const count = typeof values[path] === 'number' ? (values[path] as number) : 0
  return Array.from({ length: count }, (_, index) => {
    const at = (field: string) => `${path}.${index}.${field}`
    const slug = str(values[at('slug')])
    const secretKey = `${path}.${str(values[at('id')])}.secret`
    return {
      callbackUrlKey: at('callbackUrl'),
      clientIdKey: at('clientId'),
      enabledKey: at('enabled'),
      hasSavedSecret: savedSecrets[secretKey] === true,
      id: slug || `${path}-${index}`,
      label: str(values[at('label')]) || slug || unnamed,
      secretKey,
    }
  })
}

/** The provider cards at the top of the Social providers tab, following the form as it is edited. */
export const SocialProviderCards: React.FC<{ cards: ProviderCard[]; rows?: { path: string; savedSecrets: Record<string, boolean> } }> = ({
  cards,
  rows,
}) => {
  const [fields] = useAllFormFields()
  const { i18n } = useTranslation()
  const t = useMemo(() => translator(i18n as never), [i18n])
  const [savedSecrets, setSavedSecrets] = useState<Record<string, boolean>>({})
  useEffect(() => {
    const onSecret = (event: Event) => {
      const { isSet, key } = (event as CustomEvent<SecretEventDetail>).detail
      setSavedSecrets((current) => ({ ...current, [key]: isSet }))
    }
    window.addEventListener(SECRET_EVENT, onSecret)
    return () => window.removeEventListener(SECRET_EVENT, onSecret)
  }, [])
  const values = Object.fromEntries(Object.entries(fields).map(([path, field]) => [path, field?.value]))
  const all = [...cards, ...(rows ? rowCards(rows, values, t('social-oidc-unnamed')) : [])]
  const current = all.map((card) =>
    card.secretKey && card.secretKey in savedSecrets ? { ...card, hasSavedSecret: savedSecrets[card.secretKey]! } : card,
  )
  return <ProviderCardsView cards={current.map((card) => ({ card, values: providerCardValues(card, values) }))} t={t} />
}
