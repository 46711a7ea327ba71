'use client'

import { useCallback, useEffect, useRef, useState } from 'react'

import type { ApiResult, DemoClient, PublicProvider } from './api.js'
import type { SocialAction } from './socialFlow.js'

import { demoCallbackUrl, errorText, finishSocialFlow, startSocialFlow } from './socialFlow.js'

type SocialAccount = { id: number | string; provider: string; uid: string }

/** One button per enabled provider; a hint when the provider would send the user elsewhere. */
const ProviderButtons = ({
  action,
  basePath,
  client,
  providers,
}: {
  action: SocialAction
  basePath: string
  client: DemoClient
  providers: PublicProvider[]
}) => {
  const [error, setError] = useState('')
  if (providers.length === 0) {
    return <p className="pending">No social provider is enabled. An admin turns them on under Settings → Social in /admin.</p>
  }
  return (
    <>
      {error && (
        <p className="errors" data-testid="social-errors" role="alert">
          {error}
        </p>
      )}
      <ul className="providers">
        {providers.map((provider) => {
          const expected = demoCallbackUrl(basePath, provider.provider)
          return (
            <li key={provider.provider}>
              <button
                data-testid={`${action}-${provider.provider}`}
                onClick={() => void startSocialFlow(client, provider, action).then(setError)}
                type="button"
              >
                {action === 'login' ? `Log in with ${provider.name}` : `Connect ${provider.name}`}
              </button>
              {provider.callback_url !== expected && (
                <small>
                  {' '}
                  The callback URL is {provider.callback_url ? <code>{provider.callback_url}</code> : 'not set'}; set it to{' '}
                  <code>{expected}</code> (or <code>{`{origin}${basePath}/social/callback/${provider.provider}/`}</code>) for this demo.
                </small>
              )}
            </li>
          )
        })}
      </ul>
    </>
  )
}

/** Social login buttons, or, when logged in, connect buttons and the linked accounts with disconnect. */
export const Social = ({ basePath, client, isLoggedIn }: { basePath: string; client: DemoClient; isLoggedIn: boolean }) => {
  const [providers, setProviders] = useState<null | PublicProvider[]>(null)
  const [accounts, setAccounts] = useState<null | SocialAccount[]>(null)
  const [problem, setProblem] = useState('')
  const load = useCallback(async () => {
    const listed = await client.providers()
    if (!listed.ok) {
      setProblem(listed.status === 404 ? 'Social login is not available on this server.' : errorText(listed))
      return
    }
    setProviders(listed.data)
    if (isLoggedIn) {
      const linked = await client.socialAccounts()
      setAccounts(linked.ok ? (linked.data as SocialAccount[]) : [])
    }
  }, [client, isLoggedIn])
  useEffect(() => {
    void load()
  }, [load])
  if (problem) {
    return <p className="pending">{problem}</p>
  }
  if (!providers) {
    return <p>Loading the providers…</p>
  }
  return (
    <>
      <h2>{isLoggedIn ? 'Social accounts' : 'Social login'}</h2>
      <ProviderButtons action={isLoggedIn ? 'connect' : 'login'} basePath={basePath} client={client} providers={providers} />
      {isLoggedIn && accounts && (
        <>
          <h3>Linked accounts</h3>
          {accounts.length === 0 ? (
            <p>No linked accounts.</p>
          ) : (
            <ul data-testid="social-accounts">
              {accounts.map(({ id, provider, uid }) => (
                <li data-testid={`account-${provider}`} key={String(id)}>
                  {provider}: {uid}{' '}
                  <button
                    onClick={() =>
                      void client.disconnect(id).then((result) => (result.ok ? load() : setProblem(errorText(result))))
                    }
                    type="button"
                  >
                    Disconnect
                  </button>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </>
  )
}

/** The page a provider sends the user back to: posts the code (or OAuth 1.0a verifier) to the API. */
export const SocialCallback = ({
  afterLogin,
  client,
  go,
  provider,
}: {
  afterLogin: (result: ApiResult, message: string) => Promise<void>
  client: DemoClient
  go: (to: string, message?: string) => void
  provider: string
}) => {
  const [error, setError] = useState('')
  // The query, or the fragment the proxy put Apple's form POST in, read once.
  const [received] = useState(() => window.location.hash || window.location.search)
  // The parent re-creates these on every render; the flow must finish once.
  const next = useRef({ afterLogin, go })
  next.current = { afterLogin, go }
  useEffect(() => {
    if (window.location.hash) {
      // What Apple posted: out of the address bar (and the history) once read.
      window.history.replaceState(null, '', window.location.pathname + window.location.search)
    }
    void finishSocialFlow(client, provider, received).then((outcome) => {
      if ('error' in outcome) {
        setError(outcome.error)
      } else if (!outcome.result.ok) {
        setError(errorText(outcome.result))
      } else if (outcome.action === 'connect') {
        next.current.go('/social', `Connected your ${outcome.name} account.`)
      } else {
        void next.current.afterLogin(outcome.result, `Logged in with ${outcome.name}.`)
      }
    })
  }, [client, provider, received])
  return error ? (
    <p data-testid="social-errors" role="alert">
      {error}
    </p>
  ) : (
    <p>Finishing the {provider} login…</p>
  )
}
