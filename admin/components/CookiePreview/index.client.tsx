'use client'
import type { FormState } from 'payload'

import { Banner, useAllFormFields, useTranslation } from '@payloadcms/ui'
import React, { useMemo } from 'react'

import type { RestAuthTranslationKey, Translate } from '../../translations/index.js'
import type { CookiePreview as Preview, PreviewCookieRole, PreviewKind, PreviewNote } from './preview.js'

import { translator } from '../../translations/index.js'
import { cookiePreview } from './preview.js'
import './index.css'

const baseClass = 'rest-auth-cookie-preview'

const NOTE_KEYS: Record<PreviewNote, RestAuthTranslationKey> = {
  'jwt-off': 'cookie-preview-jwt-off',
  'no-access-cookie': 'cookie-preview-no-access-cookie',
  'no-jwt-cookies': 'cookie-preview-no-jwt-cookies',
  'no-refresh-cookie': 'cookie-preview-no-refresh-cookie',
  'session-off': 'cookie-preview-session-off',
}

const ROLE_KEYS: Record<PreviewCookieRole, RestAuthTranslationKey> = {
  access: 'cookie-preview-label-access',
  csrf: 'cookie-preview-label-csrf',
  refresh: 'cookie-preview-label-refresh',
  session: 'cookie-preview-label-session',
}

/** The values of the form, by field name (top-level fields: the settings are flat inside tabs). */
export const valuesFromFormState = (fields: FormState): Record<string, unknown> =>
  Object.fromEntries(Object.entries(fields).map(([path, field]) => [path, field?.value]))

/** Presentational: the headers and the notes of one preview. */
export const CookiePreviewView: React.FC<{ kind: PreviewKind; preview: Preview; t: Translate }> = ({ kind, preview, t }) => {
  const titleId = `${baseClass}-${kind}-title`
  return (
    <section aria-labelledby={titleId} className={baseClass}>
      <h3 className={`${baseClass}__title`} id={titleId}>
        {t(kind === 'jwt' ? 'cookie-preview-title-jwt' : 'cookie-preview-title-session')}
      </h3>
      <p className={`${baseClass}__intro`}>{t('cookie-preview-intro')}</p>
      <div aria-live="polite" className={`${baseClass}__output`} data-testid={`cookie-preview-${kind}`}>
        {preview.notes.map((note) => (
          <Banner key={note} type={note === 'jwt-off' || note === 'session-off' ? 'warning' : 'default'}>
            {t(NOTE_KEYS[note])}
          </Banner>
        ))}
        {preview.cookies.length > 0 && (
          <dl className={`${baseClass}__headers`}>
            {preview.cookies.map((cookie) => (
              <div className={`${baseClass}__header`} key={cookie.role}>
                <dt>{t(ROLE_KEYS[cookie.role])}</dt>
                <dd>
                  {/* `expires` is computed from the clock: the server's render and the browser's differ by a few seconds. */}
                  <code suppressHydrationWarning>
                    <span className={`${baseClass}__name`}>Set-Cookie:</span> {cookie.header}
                  </code>
                </dd>
              </div>
            ))}
          </dl>
        )}
      </div>
    </section>
  )
}

/** A UI field of the settings global: the Set-Cookie headers the values being edited produce. */
export const CookiePreview: React.FC<{ kind?: PreviewKind }> = ({ kind = 'jwt' }) => {
  const [fields] = useAllFormFields()
  const { i18n } = useTranslation()
  const values = valuesFromFormState(fields)
  const preview = cookiePreview(kind, values)
  const t = useMemo(() => translator(i18n as never), [i18n])
  return <CookiePreviewView kind={kind} preview={preview} t={t} />
}
