'use client'
import { Button, ConfirmationModal, Pill, toast, useConfig, useModal, useTranslation } from '@payloadcms/ui'
import React, { useCallback, useMemo, useRef, useState } from 'react'

import type { AccountSession, AccountSocialAccount, AccountToken, UserAccount as Account } from '../../../src/admin/account.js'
import type { RestAuthTranslationKey } from '../../translations/index.js'

import { translator } from '../../translations/index.js'
import { adminApiBase, callAdminApi } from '../shared/api.js'
import { RowActions } from './RowActions.js'
import '../shared/table.css'
import './index.css'

const baseClass = 'rest-auth-account'

const KIND_KEYS: Record<AccountToken['kind'], RestAuthTranslationKey> = {
  refresh: 'token-kind-refresh',
  session: 'token-kind-session',
  token: 'token-kind-token',
}

type Id = number | string

/** One admin action: its route under admin/users/:id/, its body, and what to say when it worked. */
export type AccountAction = { body?: Record<string, unknown>; path: string; success: string }

export const formatDate = (value: null | string, language: string, never: string): string => {
  if (!value) {
    return never
  }
  const date = new Date(value)
  if (Number.isNaN(date.getTime())) {
    return value
  }
  try {
    return new Intl.DateTimeFormat(language, { dateStyle: 'short', timeStyle: 'short' }).format(date)
  } catch {
    return date.toISOString()
  }
}

type SessionGroup = { session: AccountSession | null; tokens: AccountToken[] }

/** The credentials under the login they belong to, newest login first; those of no listed login last. */
export const groupBySession = (account: Account): SessionGroup[] => {
  const groups: SessionGroup[] = account.sessions.map((session) => ({ session, tokens: [] }))
  const byId = new Map(groups.map((group) => [group.session!.id, group]))
  const rest: AccountToken[] = []
  for (const token of account.tokens) {
    const group = token.session ? byId.get(token.session) : undefined
    if (group) {
      group.tokens.push(token)
    } else {
      rest.push(token)
    }
  }
  return rest.length > 0 ? [...groups, { session: null, tokens: rest }] : groups
}

/** A section of the panel: its heading, and its list as a table, or a line when the list is empty. */
const ListSection: React.FC<{
  actions?: React.ReactNode
  actionsLabel: string
  children: React.ReactNode
  columns: string[]
  empty: string
  headingRef: React.Ref<HTMLHeadingElement>
  id: string
  isEmpty: boolean
  title: string
}> = ({ actions, actionsLabel, children, columns, empty, headingRef, id, isEmpty, title }) => (
  <section aria-labelledby={id} className={`${baseClass}__section`}>
    <div className={`${baseClass}__section-header`}>
      <h4 id={id} ref={headingRef} tabIndex={-1}>
        {title}
      </h4>
      {actions}
    </div>
    {isEmpty ? (
      <p className={`${baseClass}__empty`}>{empty}</p>
    ) : (
      <div className="table rest-auth-table">
        <table aria-labelledby={id}>
          <thead>
            <tr>
              {columns.map((column) => (
                <th key={column} scope="col">
                  {column}
                </th>
              ))}
              <th scope="col">
                <span className="rest-auth-visually-hidden">{actionsLabel}</span>
              </th>
            </tr>
          </thead>
          <tbody>{children}</tbody>
        </table>
      </div>
    )}
  </section>
)

/**
 * The account panel. Every action calls an admin route and redraws from the account it answers;
 * focus returns to the section heading when the row that held it is gone.
 */
export const UserAccount: React.FC<{
  csrfCookieName?: string
  initialAccount: Account
  routePrefix: string
  userId: Id
  /** The users collection's slug: where the page goes once the user is deleted. */
  usersCollection?: string
}> = ({ csrfCookieName, initialAccount, routePrefix, userId, usersCollection = 'users' }) => {
  const { config } = useConfig()
  const { i18n } = useTranslation()
  const { closeModal, openModal } = useModal()
  const t = useMemo(() => translator(i18n as never), [i18n])
  const [account, setAccount] = useState(initialAccount)
  const [busy, setBusy] = useState<null | string>(null)
  const [pendingDisconnect, setPendingDisconnect] = useState<AccountSocialAccount | null>(null)
  const emailsHeading = useRef<HTMLHeadingElement>(null)
  const socialHeading = useRef<HTMLHeadingElement>(null)
  const tokensHeading = useRef<HTMLHeadingElement>(null)
  const mfaHeading = useRef<HTMLHeadingElement>(null)
  const base = `${adminApiBase({ api: config.routes.api, routePrefix, serverURL: config.serverURL })}/users/${encodeURIComponent(String(userId))}`
  const revokeAllSlug = `rest-auth-revoke-all-${userId}`
  const disconnectSlug = `rest-auth-disconnect-${userId}`
  const deleteSlug = `rest-auth-delete-user-${userId}`
  const resetMfaSlug = `rest-auth-reset-mfa-${userId}`
  const language = i18n.language
  const date = (value: null | string) => formatDate(value, language, t('never'))

  const run = useCallback(
    async (key: string, action: AccountAction, focusAfter?: React.RefObject<HTMLHeadingElement | null>) => {
      setBusy(key)
      try {
        const result = await callAdminApi<{ account: Account }>(`${base}/${action.path}/`, {
          body: action.body,
          csrfCookieName,
          method: 'POST',
        })
        setAccount(result.account)
        toast.success(action.success)
        focusAfter?.current?.focus()
      } catch (err) {
        toast.error(t('action-failed', { detail: err instanceof Error ? err.message : String(err) }))
      } finally {
        setBusy(null)
      }
    },
    [base, csrfCookieName, t],
  )

  /** user/delete/ on the user's behalf; the page then leaves for the users list. */
  const deleteUser = async () => {
    setBusy('delete-user')
    try {
      const result = await callAdminApi<{ detail: string; outcome: 'deactivated' | 'deleted' }>(`${base}/delete/`, { csrfCookieName, method: 'POST' })
      toast.success(t(result.outcome === 'deleted' ? 'user-deleted' : 'user-deactivated'))
      if (result.outcome === 'deleted') {
        window.location.assign(`${config.routes.admin ?? '/admin'}/collections/${usersCollection}`)
      }
    } catch (err) {
      toast.error(t('action-failed', { detail: err instanceof Error ? err.message : String(err) }))
    } finally {
      setBusy(null)
    }
  }

  const kindLabel = (token: AccountToken) => t(KIND_KEYS[token.kind])
  const hasTokens = account.tokens.length > 0 || account.sessions.length > 0

  return (
    <div className={baseClass} data-testid="rest-auth-account">
      <h3 className={`${baseClass}__title`}>{t('account-title')}</h3>

      <ListSection
        actionsLabel={t('column-actions')}
        columns={[t('column-email'), t('column-status')]}
        empty={t('emails-empty')}
        headingRef={emailsHeading}
        id={`${baseClass}-emails`}
        isEmpty={account.emails.length === 0}
        title={t('emails-title')}
      >
        {account.emails.map((address) => (
          <tr key={String(address.id)}>
            <td>{address.email}</td>
            <td className={`${baseClass}__pills`}>
              <Pill pillStyle={address.isVerified ? 'success' : 'warning'} size="small">
                {t(address.isVerified ? 'verified' : 'unverified')}
              </Pill>
              {address.isPrimary && <Pill size="small">{t('email-primary')}</Pill>}
            </td>
            <td>
              {!address.isVerified && (
                <RowActions
                  actions={[
                    {
                      buttonStyle: 'secondary',
                      label: t('mark-verified'),
                      name: `${t('mark-verified')}: ${address.email}`,
                      onClick: () =>
                        void run(`verify-${address.id}`, {
                          path: `email-addresses/${address.id}/verify`,
                          success: t('marked-verified', { email: address.email }),
                        }),
                    },
                    {
                      buttonStyle: 'subtle',
                      label: t('resend-confirmation'),
                      name: `${t('resend-confirmation')}: ${address.email}`,
                      onClick: () =>
                        void run(`resend-${address.id}`, {
                          path: `email-addresses/${address.id}/resend-confirmation`,
                          success: t('confirmation-sent', { email: address.email }),
                        }),
                    },
                  ]}
                  disabled={busy !== null}
                />
              )}
            </td>
          </tr>
        ))}
      </ListSection>

      <ListSection
        actionsLabel={t('column-actions')}
        columns={[t('column-provider'), t('column-uid'), t('column-last-login')]}
        empty={t('social-accounts-empty')}
        headingRef={socialHeading}
        id={`${baseClass}-social`}
        isEmpty={account.socialAccounts.length === 0}
        title={t('social-accounts-title')}
      >
        {account.socialAccounts.map((social) => (
          <tr key={String(social.id)}>
            <td>{social.label}</td>
            <td>
              <code>{social.uid}</code>
            </td>
            <td>{date(social.lastLogin)}</td>
            <td>
              <RowActions
                actions={[
                  {
                    buttonStyle: 'secondary',
                    label: t('disconnect'),
                    name: `${t('disconnect')}: ${social.label} ${social.uid}`,
                    onClick: () => {
                      setPendingDisconnect(social)
                      openModal(disconnectSlug)
                    },
                  },
                ]}
                disabled={busy !== null}
              />
            </td>
          </tr>
        ))}
      </ListSection>

      <section aria-labelledby={`${baseClass}-mfa`} className={`${baseClass}__section`}>
        <div className={`${baseClass}__section-header`}>
          <h4 id={`${baseClass}-mfa`} ref={mfaHeading} tabIndex={-1}>
            {t('mfa-title')}
          </h4>
          {account.mfa.isActive && (
            <Button buttonStyle="secondary" disabled={busy !== null} margin={false} onClick={() => openModal(resetMfaSlug)} size="small">
              {t('mfa-reset')}
            </Button>
          )}
        </div>
        <p className={`${baseClass}__empty`}>
          {account.mfa.isActive ? t('mfa-active', { count: account.mfa.unusedRecoveryCodes }) : t('mfa-inactive')}
        </p>
      </section>

      <ListSection
        actions={
          hasTokens ? (
            <Button buttonStyle="secondary" disabled={busy !== null} margin={false} onClick={() => openModal(revokeAllSlug)} size="small">
              {t('revoke-all')}
            </Button>
          ) : null
        }
        actionsLabel={t('column-actions')}
        columns={[t('column-kind'), t('column-client'), t('column-last-used'), t('column-expires')]}
        empty={t('tokens-empty')}
        headingRef={tokensHeading}
        id={`${baseClass}-tokens`}
        isEmpty={!hasTokens}
        title={t('tokens-title')}
      >
        {groupBySession(account).map(({ session, tokens }) => (
          <React.Fragment key={session ? `session-${session.id}` : 'sessionless'}>
            {session ? (
              <tr className={`${baseClass}__session`} data-session-id={session.id}>
                <th colSpan={4} scope="rowgroup">
                  <span className={`${baseClass}__kind`}>{session.device || t('session-unknown-device')}</span>
                  <span className={`${baseClass}__session-meta`}>
                    {[session.ipAddress, session.methods.join(', '), t('session-last-seen', { date: date(session.lastSeenAt) })]
                      .filter(Boolean)
                      .join(' · ')}
                  </span>
                </th>
                <td>
                  <RowActions
                    actions={[
                      {
                        buttonStyle: 'secondary',
                        label: t('revoke-session'),
                        name: t('revoke-session-label', { device: session.device }),
                        onClick: () =>
                          void run(
                            `revoke-session-${session.id}`,
                            { body: { session: session.id }, path: 'revoke-tokens', success: t('session-revoked', { device: session.device }) },
                            tokensHeading,
                          ),
                      },
                    ]}
                    disabled={busy !== null}
                  />
                </td>
              </tr>
            ) : account.sessions.length > 0 ? (
              <tr className={`${baseClass}__session`}>
                <th colSpan={5} scope="rowgroup">
                  {t('sessionless-credentials')}
                </th>
              </tr>
            ) : null}
            {tokens.map((token) => (
              <tr data-token-key={token.key} key={`${token.kind}-${token.id}`}>
                <td>
                  <span className={`${baseClass}__kind`}>{kindLabel(token)}</span>
                  <code title={`${t('column-created')}: ${date(token.createdAt)}`}>{token.key}…</code>
                </td>
                <td className={`${baseClass}__client`} title={token.userAgent}>
                  {token.userAgent || '—'}
                </td>
                <td>{token.kind === 'refresh' ? '—' : date(token.lastUsedAt)}</td>
                <td>{date(token.expiresAt)}</td>
                <td>
                  <RowActions
                    actions={[
                      {
                        buttonStyle: 'secondary',
                        label: t('revoke'),
                        name: t('revoke-label', { key: token.key, kind: kindLabel(token) }),
                        onClick: () =>
                          void run(
                            `revoke-${token.kind}-${token.id}`,
                            {
                              body: token.kind === 'refresh' ? { refresh: token.id } : { token: token.id },
                              path: 'revoke-tokens',
                              success: t('revoked', { key: token.key, kind: kindLabel(token) }),
                            },
                            tokensHeading,
                          ),
                      },
                    ]}
                    disabled={busy !== null}
                  />
                </td>
              </tr>
            ))}
          </React.Fragment>
        ))}
      </ListSection>

      <section aria-labelledby={`${baseClass}-delete`} className={`${baseClass}__section`}>
        <div className={`${baseClass}__section-header`}>
          <h4 id={`${baseClass}-delete`}>{t('delete-user-title')}</h4>
          <Button buttonStyle="secondary" disabled={busy !== null} margin={false} onClick={() => openModal(deleteSlug)} size="small">
            {t('delete-user')}
          </Button>
        </div>
      </section>

      <ConfirmationModal
        body={t('confirm-delete-user-body')}
        confirmLabel={t('delete-user')}
        heading={t('confirm-delete-user-heading')}
        modalSlug={deleteSlug}
        onConfirm={async () => {
          await deleteUser()
          closeModal(deleteSlug)
        }}
      />
      <ConfirmationModal
        body={t('confirm-revoke-all-body')}
        confirmLabel={t('revoke-all')}
        heading={t('confirm-revoke-all-heading')}
        modalSlug={revokeAllSlug}
        onConfirm={async () => {
          await run('revoke-all', { path: 'revoke-tokens', success: t('revoked-all') }, tokensHeading)
          closeModal(revokeAllSlug)
        }}
      />
      <ConfirmationModal
        body={t('confirm-mfa-reset-body')}
        confirmLabel={t('mfa-reset')}
        heading={t('confirm-mfa-reset-heading')}
        modalSlug={resetMfaSlug}
        onConfirm={async () => {
          await run('reset-mfa', { path: 'reset-mfa', success: t('mfa-reset-done') }, mfaHeading)
          closeModal(resetMfaSlug)
        }}
      />
      <ConfirmationModal
        body={t('confirm-disconnect-body', { provider: pendingDisconnect?.label ?? '' })}
        confirmLabel={t('disconnect')}
        heading={t('confirm-disconnect-heading', { provider: pendingDisconnect?.label ?? '' })}
        modalSlug={disconnectSlug}
        onCancel={() => setPendingDisconnect(null)}
        onConfirm={async () => {
          if (pendingDisconnect) {
            await run(
              `disconnect-${pendingDisconnect.id}`,
              {
                path: `social-accounts/${pendingDisconnect.id}/disconnect`,
                success: t('disconnected', { provider: pendingDisconnect.label }),
              },
              socialHeading,
            )
          }
          setPendingDisconnect(null)
          closeModal(disconnectSlug)
        }}
      />
    </div>
  )
}
