'use client'
import { Button, Pill, toast, useConfig, useTranslation } from '@payloadcms/ui'
import React, { useMemo, useState } from 'react'

import { translator } from '../../translations/index.js'
import { adminApiBase, callAdminApi } from '../shared/api.js'
import './index.css'

const baseClass = 'rest-auth-secret'

/** Announced on `window` when a secret is saved or removed, for the provider cards. */
export const SECRET_EVENT = 'rest-auth:secret'

export type SecretEventDetail = { isSet: boolean; key: string }

export const SecretSettingInput: React.FC<{
  csrfCookieName?: string
  description: string
  isSet: boolean
  label: string
  routePrefix: string
  settingKey: string
  /** Why the secret cannot be set yet (a row that was never saved); the input is disabled. */
  unavailable?: string
}> = ({ csrfCookieName, description, isSet: initiallySet, label, routePrefix, settingKey, unavailable }) => {
  const { config } = useConfig()
  const { i18n } = useTranslation()
  const t = useMemo(() => translator(i18n as never), [i18n])
  const [isSet, setIsSet] = useState(initiallySet)
  const [value, setValue] = useState('')
  const [isBusy, setIsBusy] = useState(false)
  const inputId = `field-secret-${settingKey.replace(/\./g, '-')}`

  const save = async (next: string) => {
    setIsBusy(true)
    try {
      const base = adminApiBase({ api: config.routes.api, routePrefix, serverURL: config.serverURL })
      const result = await callAdminApi<{ isSet: boolean }>(`${base}/settings/secret/`, {
        body: { key: settingKey, value: next },
        csrfCookieName,
        method: 'POST',
      })
      setIsSet(result.isSet)
      setValue('')
      window.dispatchEvent(new CustomEvent<SecretEventDetail>(SECRET_EVENT, { detail: { isSet: result.isSet, key: settingKey } }))
      toast.success(t(result.isSet ? 'secret-saved' : 'secret-removed', { label }))
    } catch (err) {
      toast.error(t('action-failed', { detail: err instanceof Error ? err.message : String(err) }))
    } finally {
      setIsBusy(false)
    }
  }

  return (
    <div className={`field-type text ${baseClass}`} data-testid={`secret-${settingKey}`}>
      <div className={`${baseClass}__header`}>
        <label className={`${baseClass}__label`} htmlFor={inputId}>
          {label}
        </label>
        <Pill pillStyle={isSet ? 'success' : 'light-gray'} size="small">
          {t(isSet ? 'secret-status-set' : 'secret-status-not-set')}
        </Pill>
      </div>
      <div className={`${baseClass}__row`}>
        <div className="field-type__wrap">
          <input
            aria-describedby={`${inputId}-help`}
            autoComplete="new-password"
            disabled={isBusy || unavailable !== undefined}
            id={inputId}
            onChange={(event) => setValue(event.target.value)}
            onKeyDown={(event) => {
              // Enter saves this secret, not the settings document the input sits in.
              if (event.key === 'Enter') {
                event.preventDefault()
                if (value && !isBusy) {
                  void save(value)
                }
              }
            }}
            placeholder={t('secret-input-label')}
            type="password"
            value={value}
          />
        </div>
        <Button buttonStyle="secondary" disabled={isBusy || !value} margin={false} onClick={() => void save(value)} size="medium">
          {t('secret-save')}
        </Button>
        {isSet && (
          <Button buttonStyle="subtle" disabled={isBusy} margin={false} onClick={() => void save('')} size="medium">
            {t('secret-remove')}
          </Button>
        )}
      </div>
      <div className="field-description" id={`${inputId}-help`}>
        {description} {unavailable ?? t('secret-help')}
      </div>
    </div>
  )
}
