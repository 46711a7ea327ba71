import type { ServerProps } from 'payload'
import type React from 'react'

import { formatAdminURL } from 'payload/shared'

import type { RestAuthServerProps } from '../../../src/admin/components.js'
import type { RestAuthUser } from '../../../src/types.js'
import type { RestAuthTranslationKey } from '../../translations/index.js'

import { providerLabel } from '../../../src/admin/socialProviders.js'
import { loadDashboardStats } from '../../../src/admin/stats.js'
import { translator } from '../../translations/index.js'
import './index.css'

const baseClass = 'rest-auth-dashboard'

/** The dashboard's counts (before Payload's own dashboard): users, verification, sign-ups, credentials, social accounts. */
export const DashboardStats = async ({ i18n, payload, restAuth, user }: RestAuthServerProps & ServerProps): Promise<React.ReactElement | null> => {
  // Dashboard components get no request; the default isAdmin only reads the user.
  const isAdmin = restAuth.isAdmin({ req: { payload, user } as never, user: (user ?? null) as null | RestAuthUser })
  if (!isAdmin) {
    return null
  }
  const t = translator(i18n as never)
  const [stats, settings] = await Promise.all([loadDashboardStats({ options: restAuth, payload }), restAuth.settingsStore.get(payload)])
  const numberFormat = new Intl.NumberFormat(i18n.language)
  const tiles: [RestAuthTranslationKey, null | number][] = [
    ['stat-users', stats.users],
    ['stat-verified-users', stats.verifiedUsers],
    ['stat-signups', stats.signUpsLastWeek],
    ['stat-active-tokens', stats.activeTokens],
    ['stat-active-sessions', stats.activeSessions],
    ['stat-active-refresh', stats.activeRefreshTokens],
  ]
  const settingsUrl = formatAdminURL({ adminRoute: payload.config.routes.admin, path: `/globals/${restAuth.slugs.settings}` })
  return (
    <section aria-labelledby={`${baseClass}-title`} className={baseClass} data-testid="rest-auth-dashboard">
      <div className={`${baseClass}__header`}>
        <h2 id={`${baseClass}-title`}>{t('dashboard-title')}</h2>
        <a className={`${baseClass}__link`} href={settingsUrl}>
          {t('dashboard-settings-link')}
        </a>
      </div>
      <dl className={`${baseClass}__tiles`}>
        {tiles
          .filter(([, value]) => value !== null)
          .map(([key, value]) => (
            <div className={`${baseClass}__tile`} data-stat={key} key={key}>
              <dt>{t(key)}</dt>
              <dd>{numberFormat.format(value!)}</dd>
            </div>
          ))}
      </dl>
      <h3 className={`${baseClass}__subtitle`} id={`${baseClass}-social`}>
        {t('stat-social-title')}
      </h3>
      {stats.socialAccountsByProvider.length === 0 ? (
        <p className={`${baseClass}__muted`}>{t('stat-social-none')}</p>
      ) : (
        <dl aria-labelledby={`${baseClass}-social`} className={`${baseClass}__tiles ${baseClass}__tiles--small`}>
          {stats.socialAccountsByProvider.map(({ count, provider }) => (
            <div className={`${baseClass}__tile`} data-provider={provider} key={provider}>
              <dt>{providerLabel(settings, provider)}</dt>
              <dd>{numberFormat.format(count)}</dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  )
}
