// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react'
import React from 'react'
import { afterEach, describe, expect, it, vi } from 'vitest'

import type { EndpointSummary } from '../../src/admin/endpointList.js'

const state: { fields: Record<string, { value: unknown }>; isModified: boolean; updatedAt?: string } = { fields: {}, isModified: false }

const toast = { error: vi.fn(), success: vi.fn() }

vi.mock('@payloadcms/ui', () => ({
  Button: ({ children, disabled, onClick }: { children: React.ReactNode; disabled?: boolean; onClick?: () => void }) => (
    <button disabled={disabled} onClick={onClick} type="button">
      {children}
    </button>
  ),
  toast,
  Banner: ({ children }: { children: React.ReactNode }) => <div role="note">{children}</div>,
  CopyToClipboard: ({ value }: { value: string }) => <button type="button">{`copy ${value}`}</button>,
  Pill: ({ children }: { children: React.ReactNode }) => <span className="pill">{children}</span>,
  useAllFormFields: () => [state.fields, () => undefined],
  useConfig: () => ({ config: { routes: { api: '/api' }, serverURL: 'https://cms.example.com' } }),
  useDocumentInfo: () => ({ data: { updatedAt: state.updatedAt } }),
  useFormModified: () => state.isModified,
  useTranslation: () => ({ i18n: { language: 'en', t: (key: string) => key, translations: {} } }),
}))

const { EndpointsList } = await import('../../admin/components/EndpointsField/index.client.js')
const { providerCardValues, SECRET_MASK, SocialProviderCards } = await import('../../admin/components/SocialProvidersField/index.client.js')
const { SecretSettingInput } = await import('../../admin/components/SecretSettingField/index.client.js')

const endpoint = (path: string, isEnabled: boolean): EndpointSummary => ({
  isEnabled,
  methods: ['POST'],
  path,
  url: `https://cms.example.com/api/dj-rest-auth${path}`,
})

describe('<EndpointsList> on the settings screen', () => {
  afterEach(() => {
    cleanup()
    vi.unstubAllGlobals()
    state.updatedAt = undefined
    state.isModified = false
  })

  it('shows enabled and disabled routes with their URLs, and warns about unsaved edits', () => {
    state.updatedAt = '2026-11-29T10:00:00.000Z'
    state.isModified = true
    render(
      <EndpointsList
        initialEndpoints={[endpoint('/login/', true), endpoint('/token/refresh/', false)]}
        routePrefix="dj-rest-auth"
        savedAt="2026-11-29T10:00:00.000Z"
      />,
    )
    expect(screen.getByRole('table', { name: 'Enabled (1)' }).textContent).toContain('https://cms.example.com/api/dj-rest-auth/login/')
    expect(screen.getByRole('table', { name: 'Disabled by the current settings (1)' }).textContent).toContain('/token/refresh/')
    expect(screen.getByRole('note').textContent).toContain('unsaved changes')
  })

  it('links to the OpenAPI document while openApiAccess mounts it', () => {
    render(<EndpointsList initialEndpoints={[endpoint('/login/', true), endpoint('/openapi.json/', false)]} routePrefix="dj-rest-auth" />)
    expect(screen.queryByRole('link', { name: 'openapi.json' })).toBeNull()
    cleanup()
    render(<EndpointsList initialEndpoints={[endpoint('/login/', true), endpoint('/openapi.json/', true)]} routePrefix="dj-rest-auth" />)
    expect(screen.getByRole('link', { name: 'openapi.json' }).getAttribute('href')).toBe('https://cms.example.com/api/dj-rest-auth/openapi.json/')
    expect(screen.getByRole('link', { name: 'YAML' }).getAttribute('href')).toBe('https://cms.example.com/api/dj-rest-auth/openapi.yaml/')
  })

  it('reloads the list once the settings were saved after the page was rendered', async () => {
    const fetchMock = vi.fn(async () => Response.json({ endpoints: [endpoint('/login/', true), endpoint('/token/refresh/', true)] }))
    vi.stubGlobal('fetch', fetchMock)
    state.updatedAt = '2026-11-29T10:00:00.000Z'
    const props = { initialEndpoints: [endpoint('/login/', true), endpoint('/token/refresh/', false)], routePrefix: 'dj-rest-auth' }
    const { rerender } = render(<EndpointsList {...props} savedAt="2026-11-29T10:00:00.000Z" />)
    expect(fetchMock).not.toHaveBeenCalled()

    state.updatedAt = '2026-11-29T10:05:00.000Z'
    rerender(<EndpointsList {...props} savedAt="2026-11-29T10:00:00.000Z" />)
    await waitFor(() => expect(screen.getByRole('table', { name: 'Enabled (2)' })).toBeTruthy())
    expect(fetchMock).toHaveBeenCalledWith('https://cms.example.com/api/dj-rest-auth/admin/endpoints', expect.objectContaining({ method: 'GET' }))
  })

  it('says so when the list cannot be reloaded', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => Response.json({ detail: 'nope' }, { status: 500 })))
    state.updatedAt = '2026-11-29T10:05:00.000Z'
    render(<EndpointsList initialEndpoints={[endpoint('/login/', true)]} routePrefix="dj-rest-auth" savedAt="2026-11-29T10:00:00.000Z" />)
    await waitFor(() => expect(screen.getByRole('note').textContent).toBe('Could not reload the list of endpoints.'))
  })
})

describe('social provider cards', () => {
  afterEach(() => cleanup())

  const github = {
    callbackUrlKey: 'socialCallbackUrl',
    clientIdKey: 'githubClientId',
    enabledKey: 'githubEnabled',
    hasSavedSecret: false,
    id: 'github',
    label: 'GitHub',
    secretKey: 'githubSecret',
  }

  it('never shows a secret, only whether one is set', () => {
    expect(providerCardValues(github, { githubClientId: 'abc', githubEnabled: true, socialCallbackUrl: 'https://app/{provider}/cb' })).toEqual({
      callbackUrl: 'https://app/github/cb',
      clientId: 'abc',
      isEnabled: true,
      secret: 'empty',
    })
    expect(providerCardValues({ ...github, hasSavedSecret: true }, {}).secret).toBe('masked')
    expect(providerCardValues(github, { githubSecret: 'typed-secret' }).secret).toBe('masked')
    expect(providerCardValues({ ...github, enabledKey: undefined }, {}).isEnabled).toBeUndefined()
  })

  it('renders one card per provider from the form values', () => {
    state.fields = {
      githubClientId: { value: 'client-123' },
      githubEnabled: { value: false },
      githubSecret: { value: 'typed-secret' },
    }
    render(<SocialProviderCards cards={[github]} />)
    const card = screen.getByTestId('provider-github')
    expect(card.textContent).toContain('GitHub')
    expect(card.textContent).toContain('Disabled')
    expect(card.textContent).toContain('client-123')
    expect(card.textContent).toContain(SECRET_MASK)
    expect(card.textContent).not.toContain('typed-secret')
    expect(card.textContent).toContain('Not set')
  })
})

describe('<SecretSettingInput> for a write-only setting', () => {
  afterEach(() => {
    cleanup()
    vi.unstubAllGlobals()
  })

  it('saves on Enter without submitting the settings form, and the provider card learns it is set', async () => {
    const fetchMock = vi.fn(async () => Response.json({ detail: 'ok', isSet: true }))
    vi.stubGlobal('fetch', fetchMock)
    state.fields = { githubClientId: { value: 'client-123' } }
    const outerSubmit = vi.fn((event: React.FormEvent) => event.preventDefault())
    render(
      <form onSubmit={outerSubmit}>
        <SocialProviderCards
          cards={[{ clientIdKey: 'githubClientId', hasSavedSecret: false, id: 'github', label: 'GitHub', secretKey: 'githubSecret' }]}
        />
        <SecretSettingInput description="OAuth app client secret." isSet={false} label="Github secret" routePrefix="dj-rest-auth" settingKey="githubSecret" />
      </form>,
    )
    expect(screen.getByTestId('provider-github').textContent).not.toContain(SECRET_MASK)
    const input = screen.getByLabelText('Github secret') as HTMLInputElement
    expect(input.type).toBe('password')
    fireEvent.change(input, { target: { value: 's3cret' } })
    fireEvent.keyDown(input, { key: 'Enter' })
    await waitFor(() => expect(screen.getByTestId('provider-github').textContent).toContain(SECRET_MASK))
    expect(outerSubmit).not.toHaveBeenCalled()
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit]
    expect(url).toBe('https://cms.example.com/api/dj-rest-auth/admin/settings/secret/')
    expect(JSON.parse(init.body as string)).toEqual({ key: 'githubSecret', value: 's3cret' })
    expect(input.value).toBe('')
    expect(screen.getByTestId('secret-githubSecret').textContent).toContain('Set')
    expect(toast.success).toHaveBeenCalledWith('Github secret saved.')
  })
})
