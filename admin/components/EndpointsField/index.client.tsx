'use client'
import { Banner, CopyToClipboard, Pill, useConfig, useDocumentInfo, useFormModified, useTranslation } from '@payloadcms/ui'
import React, { useEffect, useMemo, useRef, useState } from 'react'

import type { EndpointSummary } from '../../../src/admin/endpointList.js'
import type { Translate } from '../../translations/index.js'

import { translator } from '../../translations/index.js'
import { adminApiBase, callAdminApi } from '../shared/api.js'
import '../shared/table.css'
import './index.css'

const baseClass = 'rest-auth-endpoints'

const EndpointTable: React.FC<{ endpoints: EndpointSummary[]; label: string; t: Translate }> = ({ endpoints, label, t }) => (
  <div className="table rest-auth-table">
    <table aria-label={label}>
      <thead>
        <tr>
          <th scope="col">{t('endpoints-column-path')}</th>
          <th scope="col">{t('endpoints-column-methods')}</th>
          <th scope="col">{t('endpoints-column-url')}</th>
        </tr>
      </thead>
      <tbody>
        {endpoints.map((endpoint) => (
          <tr key={endpoint.path}>
            <td>
              <code>{endpoint.path}</code>
            </td>
            <td className={`${baseClass}__methods`}>
              {endpoint.methods.map((method) => (
                <Pill key={method} size="small">
                  {method}
                </Pill>
              ))}
            </td>
            <td className={`${baseClass}__url`}>
              <code>{endpoint.url}</code>
              <CopyToClipboard value={endpoint.url} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  </div>
)

/** Presentational: enabled routes first, then those the settings turn off. */
export const EndpointsView: React.FC<{ endpoints: EndpointSummary[]; isModified: boolean; t: Translate }> = ({
  endpoints,
  isModified,
  t,
}) => {
  const enabled = endpoints.filter((endpoint) => endpoint.isEnabled)
  const disabled = endpoints.filter((endpoint) => !endpoint.isEnabled)
  const enabledLabel = t('endpoints-enabled', { count: enabled.length })
  const disabledLabel = t('endpoints-disabled', { count: disabled.length })
  // The document's own route, when the openApiAccess setting mounts it.
  const openApi = enabled.find((endpoint) => endpoint.path === '/openapi.json/')
  return (
    <section aria-labelledby={`${baseClass}-title`} className={baseClass} data-testid="rest-auth-endpoints">
      <h3 className={`${baseClass}__title`} id={`${baseClass}-title`}>
        {t('endpoints-title')}
      </h3>
      <p className={`${baseClass}__intro`}>{t('endpoints-intro')}</p>
      {openApi && (
        <p className={`${baseClass}__openapi`}>
          {t('endpoints-openapi')}{' '}
          <a href={openApi.url} rel="noreferrer" target="_blank">
            openapi.json
          </a>{' '}
          (<a href={openApi.url.replace(/openapi\.json\/$/, 'openapi.yaml/')} rel="noreferrer" target="_blank">YAML</a>)
        </p>
      )}
      {isModified && <Banner type="info">{t('endpoints-unsaved')}</Banner>}
      <h4 className={`${baseClass}__subtitle`}>{enabledLabel}</h4>
      <EndpointTable endpoints={enabled} label={enabledLabel} t={t} />
      {disabled.length > 0 && (
        <>
          <h4 className={`${baseClass}__subtitle`}>{disabledLabel}</h4>
          <EndpointTable endpoints={disabled} label={disabledLabel} t={t} />
        </>
      )}
    </section>
  )
}

/**
 * Reloads the list once the settings were saved after the server rendered it (tabs unmount their
 * fields, so this also runs when the tab is opened after a save).
 */
export const EndpointsList: React.FC<{ initialEndpoints: EndpointSummary[]; routePrefix: string; savedAt?: string }> = ({
  initialEndpoints,
  routePrefix,
  savedAt: renderedSavedAt,
}) => {
  const { config } = useConfig()
  const { data } = useDocumentInfo()
  const isModified = useFormModified()
  const { i18n } = useTranslation()
  const t = useMemo(() => translator(i18n as never), [i18n])
  const [endpoints, setEndpoints] = useState(initialEndpoints)
  const [hasFailed, setHasFailed] = useState(false)
  const savedAt = (data as { updatedAt?: string } | undefined)?.updatedAt
  const loadedFor = useRef(renderedSavedAt)

  useEffect(() => {
    if (!savedAt || savedAt === loadedFor.current) {
      return
    }
    const base = adminApiBase({ api: config.routes.api, routePrefix, serverURL: config.serverURL })
    let isCurrent = true
    callAdminApi<{ endpoints: EndpointSummary[] }>(`${base}/endpoints`)
      .then((result) => {
        if (isCurrent) {
          loadedFor.current = savedAt
          setEndpoints(result.endpoints)
          setHasFailed(false)
        }
      })
      .catch(() => {
        if (isCurrent) {
          setHasFailed(true)
        }
      })
    return () => {
      isCurrent = false
    }
  }, [savedAt, config.routes.api, config.serverURL, routePrefix])

  return (
    <>
      {hasFailed && <Banner type="error">{t('endpoints-refresh-failed')}</Banner>}
      <EndpointsView endpoints={endpoints} isModified={isModified} t={t} />
    </>
  )
}
