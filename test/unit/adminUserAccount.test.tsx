// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react'
import React from 'react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

import type { UserAccount as Account } from '../../src/admin/account.js'

const toast = { error: vi.fn(), success: vi.fn() }
const modal = { closeModal: vi.fn(), openModal: vi.fn() }

vi.mock('@payloadcms/ui', () => ({
  Button: ({ 'aria-label': label, children, disabled, onClick }: { 'aria-label'?: string; children: React.ReactNode; disabled?: boolean; onClick?: () => void }) => (
    <button aria-label={label} disabled={disabled} onClick={onClick} type="button">
      {children}
    </button>
  ),
  ConfirmationModal: ({ confirmLabel, heading, modalSlug, onConfirm }: { confirmLabel: string; heading: string; modalSlug: string; onConfirm: () => void }) => (
    <div data-modal={modalSlug}>
      <span>{heading}</span>
      <button onClick={onConfirm} type="button">
        {`confirm ${confirmLabel}`}
      </button>
    </div>
  ),
  Pill: ({ children }: { children: React.ReactNode }) => <span className="pill">{children}</span>,
  toast,
  useConfig: () => ({ config: { routes: { api: '/api' }, serverURL: '' } }),
  useModal: () => modal,
  useTranslation: () => ({ i18n: { language: 'en', t: (key: string) => key, translations: {} } }),
}))

const { UserAccount } = await import('../../admin/components/UserAccountField/index.client.js')

const account = (overrides: Partial<Account> = {}): Account => ({
  emails: [{ email: 'ann@example.com', id: 11, isPrimary: true, isVerified: false }],
  sessions: [],
  mfa: { isActive: false, unusedRecoveryCodes: 0 },
  socialAccounts: [{ createdAt: null, id: 21, label: 'GitHub', lastLogin: '2026-11-01T10:00:00.000Z', provider: 'github', uid: '4242' }],
  tokens: [
    { createdAt: '2026-11-28T10:00:00.000Z', expiresAt: null, id: 31, key: 'abcd1234', kind: 'token', lastUsedAt: null, session: null, userAgent: 'curl/8' },
    { createdAt: '2026-11-28T11:00:00.000Z', expiresAt: '2026-12-12T11:00:00.000Z', id: 32, key: 'efgh5678', kind: 'session', lastUsedAt: null, session: null, userAgent: 'Firefox' },
    { createdAt: '2026-11-28T12:00:00.000Z', expiresAt: '2026-11-29T12:00:00.000Z', id: 41, key: 'jti00001', kind: 'refresh', lastUsedAt: null, session: null, userAgent: '' },
  ],
  totalTokens: 3,
  ...overrides,
})

const fetchMock = vi.fn()

const answer = (status: number, body: unknown) =>
  fetchMock.mockResolvedValueOnce(new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' }, status }))

const renderPanel = () => render(<UserAccount csrfCookieName="csrftoken" initialAccount={account()} routePrefix="dj-rest-auth" userId={7} />)

describe('<UserAccount> on a user’s page', () => {
  beforeEach(() => {
    vi.stubGlobal('fetch', fetchMock)
    document.cookie = 'csrftoken=csrf-value; path=/'
  })
  afterEach(() => {
    cleanup()
    vi.unstubAllGlobals()
    fetchMock.mockReset()
    toast.error.mockReset()
    toast.success.mockReset()
    modal.openModal.mockReset()
  })

  it('lists addresses, social accounts and every kind of credential', () => {
    renderPanel()
    expect(screen.getByText('ann@example.com')).toBeTruthy()
    expect(screen.getByText('Unverified')).toBeTruthy()
    expect(screen.getByText('4242')).toBeTruthy()
    const rows = document.querySelectorAll('tr[data-token-key]')
    expect([...rows].map((row) => row.getAttribute('data-token-key'))).toEqual(['abcd1234', 'efgh5678', 'jti00001'])
    expect(screen.getByText('JWT refresh token')).toBeTruthy()
  })

  it('revokes one token through the admin route and redraws from its answer', async () => {
    answer(200, { account: account({ tokens: account().tokens.slice(1), totalTokens: 2 }), detail: 'ok' })
    renderPanel()
    const button = screen.getByRole('button', { name: 'Revoke API token abcd1234' })
    button.focus()
    fireEvent.click(button)
    await waitFor(() => expect(document.querySelector('tr[data-token-key="abcd1234"]')).toBeNull())
    const [url, init] = fetchMock.mock.calls[0] as [string, RequestInit]
    expect(url).toBe('/api/dj-rest-auth/admin/users/7/revoke-tokens/')
    expect(init.method).toBe('POST')
    expect(JSON.parse(init.body as string)).toEqual({ token: 31 })
    expect((init.headers as Record<string, string>)['x-csrftoken']).toBe('csrf-value')
    expect(toast.success).toHaveBeenCalledWith('API token abcd1234 revoked.')
    // The row that had focus is gone: focus returns to the section heading, not to <body>.
    expect(document.activeElement?.id).toBe('rest-auth-account-tokens')
  })

  it('groups credentials under their session, each session revocable as a whole', async () => {
    const session = {
      authenticatedAt: '2026-11-28T10:00:00.000Z',
      createdAt: '2026-11-28T10:00:00.000Z',
      device: 'Chrome on Windows',
      expiresAt: null,
      id: 'pub-session-1',
      ipAddress: '203.0.113.0',
      lastSeenAt: '2026-11-28T10:05:00.000Z',
      methods: ['password'],
    }
    const grouped = account({
      sessions: [session],
      tokens: account().tokens.map((token, index) => ({ ...token, session: index < 2 ? session.id : null })),
    })
    answer(200, { account: account({ sessions: [], tokens: account().tokens.slice(2) }), detail: 'ok' })
    render(<UserAccount csrfCookieName="csrftoken" initialAccount={grouped} routePrefix="dj-rest-auth" userId={7} />)
    const rows = [...document.querySelectorAll('tbody tr')].map((row) => row.getAttribute('data-session-id') ?? row.getAttribute('data-token-key') ?? 'other')
    expect(rows.slice(-5)).toEqual(['pub-session-1', 'abcd1234', 'efgh5678', 'other', 'jti00001'])
    expect(screen.getByText('Chrome on Windows')).toBeTruthy()
    expect(screen.getByText('Credentials of no recorded session')).toBeTruthy()
    fireEvent.click(screen.getByRole('button', { name: 'Revoke the session on Chrome on Windows' }))
    await waitFor(() => expect(document.querySelector('tr[data-session-id]')).toBeNull())
    expect(JSON.parse((fetchMock.mock.calls[0] as [string, RequestInit])[1].body as string)).toEqual({ session: 'pub-session-1' })
    expect(toast.success).toHaveBeenCalledWith('The session on Chrome on Windows was ended with its credentials.')
  })

  it('deletes the account after confirmation through the admin route', async () => {
    answer(200, { detail: 'Account deactivated.', outcome: 'deactivated' })
    renderPanel()
    fireEvent.click(screen.getByRole('button', { name: 'Delete account' }))
    expect(modal.openModal).toHaveBeenCalledWith('rest-auth-delete-user-7')
    fireEvent.click(screen.getByRole('button', { name: 'confirm Delete account' }))
    await waitFor(() => expect(toast.success).toHaveBeenCalledWith('The account was deactivated.'))
    const [url, init] = fetchMock.mock.calls[0] as [string, RequestInit]
    expect(url).toBe('/api/dj-rest-auth/admin/users/7/delete/')
    expect(init.method).toBe('POST')
  })

  it('blacklists a refresh token by its own id', async () => {
    answer(200, { account: account({ tokens: account().tokens.slice(0, 2) }), detail: 'ok' })
    renderPanel()
    fireEvent.click(screen.getByRole('button', { name: 'Revoke JWT refresh token jti00001' }))
    await waitFor(() => expect(fetchMock).toHaveBeenCalled())
    expect(JSON.parse((fetchMock.mock.calls[0] as [string, RequestInit])[1].body as string)).toEqual({ refresh: 41 })
  })

  it('revokes everything after confirmation', async () => {
    answer(200, { account: account({ tokens: [], totalTokens: 0 }), detail: 'ok' })
    renderPanel()
    fireEvent.click(screen.getByRole('button', { name: 'Revoke all' }))
    expect(modal.openModal).toHaveBeenCalledWith('rest-auth-revoke-all-7')
    fireEvent.click(screen.getByRole('button', { name: 'confirm Revoke all' }))
    await waitFor(() => expect(screen.getByText('No active token or session.')).toBeTruthy())
    expect(JSON.parse((fetchMock.mock.calls[0] as [string, RequestInit])[1].body as string)).toEqual({})
  })

  it('marks an address verified and resends its confirmation', async () => {
    answer(200, { account: account(), detail: 'ok' })
    answer(200, { account: account({ emails: [{ email: 'ann@example.com', id: 11, isPrimary: true, isVerified: true }] }), detail: 'ok' })
    renderPanel()
    fireEvent.click(screen.getByRole('button', { name: 'Resend confirmation: ann@example.com' }))
    await waitFor(() => expect(toast.success).toHaveBeenCalledWith('Confirmation mail sent to ann@example.com.'))
    expect((fetchMock.mock.calls[0] as [string])[0]).toBe('/api/dj-rest-auth/admin/users/7/email-addresses/11/resend-confirmation/')
    fireEvent.click(screen.getByRole('button', { name: 'Mark verified: ann@example.com' }))
    await waitFor(() => expect(screen.getByText('Verified')).toBeTruthy())
    expect((fetchMock.mock.calls[1] as [string])[0]).toBe('/api/dj-rest-auth/admin/users/7/email-addresses/11/verify/')
    expect(screen.queryByRole('button', { name: /Mark verified/ })).toBeNull()
  })

  it('resets two-factor authentication after confirmation, and offers it only while the user has it', async () => {
    answer(200, { account: account(), detail: 'ok' })
    render(
      <UserAccount
        csrfCookieName="csrftoken"
        initialAccount={account({ mfa: { isActive: true, unusedRecoveryCodes: 7 } })}
        routePrefix="dj-rest-auth"
        userId={7}
      />,
    )
    expect(screen.getByText('Authenticator app active, 7 recovery codes left.')).toBeTruthy()
    fireEvent.click(screen.getByRole('button', { name: 'Reset two-factor' }))
    expect(modal.openModal).toHaveBeenCalledWith('rest-auth-reset-mfa-7')
    fireEvent.click(screen.getByRole('button', { name: 'confirm Reset two-factor' }))
    await waitFor(() => expect(screen.getByText('No authenticator app: logins ask for the password only.')).toBeTruthy())
    expect((fetchMock.mock.calls[0] as [string])[0]).toBe('/api/dj-rest-auth/admin/users/7/reset-mfa/')
    expect(screen.queryByRole('button', { name: 'Reset two-factor' })).toBeNull()
  })

  it('disconnects a social account after confirmation', async () => {
    answer(200, { account: account({ socialAccounts: [] }), detail: 'ok' })
    renderPanel()
    fireEvent.click(screen.getByRole('button', { name: 'Disconnect: GitHub 4242' }))
    expect(modal.openModal).toHaveBeenCalledWith('rest-auth-disconnect-7')
    const dialog = document.querySelector('[data-modal="rest-auth-disconnect-7"]') as HTMLElement
    fireEvent.click(within(dialog).getByRole('button'))
    await waitFor(() => expect(screen.getByText('No linked social account.')).toBeTruthy())
    expect((fetchMock.mock.calls[0] as [string])[0]).toBe('/api/dj-rest-auth/admin/users/7/social-accounts/21/disconnect/')
  })

  it('keeps the rows and reports the API’s message when an action fails', async () => {
    answer(403, { detail: 'You do not have permission to perform this action.' })
    renderPanel()
    fireEvent.click(screen.getByRole('button', { name: 'Revoke API token abcd1234' }))
    await waitFor(() => expect(toast.error).toHaveBeenCalled())
    expect(toast.error.mock.calls[0]![0]).toBe('The action failed: You do not have permission to perform this action.')
    expect(document.querySelector('tr[data-token-key="abcd1234"]')).not.toBeNull()
    await waitFor(() => expect(screen.getByRole('button', { name: 'Revoke API token abcd1234' }).hasAttribute('disabled')).toBe(false))
  })
})
