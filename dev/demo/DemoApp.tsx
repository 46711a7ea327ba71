'use client'

import type { ReactNode } from 'react'

import { useCallback, useEffect, useState } from 'react'

import type { ApiResult, DemoClient } from './api.js'

import { createClient } from './api.js'
import { Form } from './Form.js'
import { PasskeyLogin, Passkeys } from './Passkeys.js'
import { Social, SocialCallback } from './Social.js'
import { TwoFactor } from './TwoFactor.js'

type User = Record<string, unknown>

/**
 * The demo single-page app: one screen per flow of the API, routed on the client under `basePath`.
 * It talks to the plugin's REST endpoints only, with fetch (see api.ts).
 */
export const DemoApp = ({ apiBase, basePath }: { apiBase: string; basePath: string }) => {
  // Created after mount: the server renders nothing, so hydration never mismatches.
  const [client, setClient] = useState<DemoClient | null>(null)
  useEffect(() => setClient(createClient(apiBase)), [apiBase])
  const [path, setPath] = useState<string>('/')
  const [user, setUser] = useState<null | User>(null)
  const [notice, setNotice] = useState<string>('')

  useEffect(() => {
    const sync = () => setPath(window.location.pathname.slice(basePath.length) || '/')
    sync()
    window.addEventListener('popstate', sync)
    return () => window.removeEventListener('popstate', sync)
  }, [basePath])

  const go = useCallback(
    (to: string, message = '') => {
      window.history.pushState(null, '', `${basePath}${to}`)
      setPath(to)
      setNotice(message)
    },
    [basePath],
  )

  const loadUser = useCallback(async () => {
    if (!client) {
      return
    }
    const result = await client.restore()
    setUser(result.ok ? (result.data as User) : null)
  }, [client])

  useEffect(() => {
    void loadUser()
  }, [loadUser])

  if (!client) {
    return null
  }

  const afterLogin = async (result: ApiResult, message: string) => {
    if (result.ok) {
      await loadUser()
      go('/profile', message)
    } else if (client.hasPendingMfa()) {
      go('/mfa', 'Enter the code from your authenticator app, or a recovery code.')
    }
  }

  const link = (to: string, label: string) => (
    <a
      href={`${basePath}${to}`}
      onClick={(event) => {
        event.preventDefault()
        go(to)
      }}
    >
      {label}
    </a>
  )

  const screens: [RegExp, (match: RegExpExecArray) => ReactNode][] = [
    [
      /^\/signup\/?$/,
      () => (
        <>
          <h2>Sign up</h2>
          <Form
            fields={[
              { label: 'Username', name: 'username' },
              { label: 'E-mail', name: 'email', type: 'email' },
              { label: 'Password', name: 'password1', type: 'password' },
              { label: 'Password again', name: 'password2', type: 'password' },
            ]}
            onDone={(result) => {
              if (!result.ok) return
              if (result.status === 201 && 'detail' in result.data) {
                go('/login', 'Check your mailbox: a confirmation link is on its way.')
              } else {
                void afterLogin(result, 'Welcome! Your account is ready; confirm your e-mail address from the mail we sent.')
              }
            }}
            submit={client.register}
            submitLabel="Sign up"
          />
        </>
      ),
    ],
    [
      /^\/login\/?$/,
      () => (
        <>
          <h2>Log in</h2>
          <Form
            fields={[
              { label: 'Username', name: 'username' },
              { label: 'E-mail (if you log in by e-mail)', name: 'email', type: 'email' },
              { label: 'Password', name: 'password', type: 'password' },
            ]}
            onDone={(result) => void afterLogin(result, 'Logged in.')}
            submit={client.login}
            submitLabel="Log in"
          />
          <p>
            {link('/login/code', 'Log in with a code by e-mail')} · {link('/password-reset', 'Forgot your password?')} ·{' '}
            {link('/resend', 'Resend the confirmation mail')}
          </p>
          <PasskeyLogin afterLogin={afterLogin} client={client} />
        </>
      ),
    ],
    [
      /^\/login\/code\/?$/,
      () => (
        <>
          <h2>Log in with a code</h2>
          <Form
            fields={[{ label: 'E-mail', name: 'email', type: 'email' }]}
            onDone={(result) => result.ok && go('/login/code/confirm', 'Check your mailbox: if the address has an account, a code is on its way.')}
            submit={(values) => client.requestCode(values.email ?? '')}
            submitLabel="Send me a code"
          />
        </>
      ),
    ],
    [
      /^\/login\/code\/confirm\/?$/,
      () => (
        <>
          <h2>Enter your code</h2>
          {/* A code from the mail's link is only filled in: the user's click POSTs it, so a mail scanner's GET of this page uses nothing. */}
          <Form
            fields={[{ label: 'Code', name: 'code' }]}
            initial={{ code: new URLSearchParams(window.location.search).get('code') ?? '' }}
            onDone={(result) => void afterLogin(result, 'Logged in with your code.')}
            submit={(values) => client.confirmCode(values.code ?? '')}
            submitLabel="Log in"
          />
          <p>
            <a
              href={`${basePath}/login/code/confirm`}
              onClick={async (event) => {
                event.preventDefault()
                const result = await client.resendCode()
                setNotice(result.ok ? 'A new code is on its way; the previous one no longer works.' : (result.errors.detail ?? 'No new code could be sent.'))
              }}
            >
              Send a new code
            </a>{' '}
            · {link('/login/code', 'Use another address')}
          </p>
        </>
      ),
    ],
    [
      /^\/mfa\/?$/,
      () => (
        <>
          <h2>Two-factor authentication</h2>
          <Form
            fields={[{ label: 'Code', name: 'code' }]}
            onDone={(result) => void afterLogin(result, 'Logged in.')}
            submit={(values) => client.completeMfa(values.code ?? '')}
            submitLabel="Verify"
          />
        </>
      ),
    ],
    [/^\/two-factor\/?$/, () => (user ? <TwoFactor client={client} /> : <p>You are not logged in. {link('/login', 'Log in')}</p>)],
    [/^\/account-confirm-email\/([^/]+)\/?$/, (match) => <ConfirmEmail client={client} go={go} keyValue={decodeURIComponent(match[1]!)} />],
    [
      /^\/resend\/?$/,
      () => (
        <>
          <h2>Resend the confirmation mail</h2>
          <Form
            fields={[{ label: 'E-mail', name: 'email', type: 'email' }]}
            onDone={(result) => result.ok && go('/login', 'If that address waits for confirmation, a new mail is on its way.')}
            submit={(values) => client.resendEmail(values.email ?? '')}
            submitLabel="Resend"
          />
        </>
      ),
    ],
    [
      /^\/password-reset\/?$/,
      () => (
        <>
          <h2>Reset your password</h2>
          <Form
            fields={[{ label: 'E-mail', name: 'email', type: 'email' }]}
            onDone={(result) => result.ok && go('/login', 'Password reset e-mail has been sent.')}
            submit={(values) => client.requestReset(values.email ?? '')}
            submitLabel="Send the reset link"
          />
        </>
      ),
    ],
    [
      /^\/password-reset\/confirm\/([^/]+)\/([^/]+)\/?$/,
      (match) => (
        <>
          <h2>Choose a new password</h2>
          <Form
            fields={[
              { label: 'New password', name: 'new_password1', type: 'password' },
              { label: 'New password again', name: 'new_password2', type: 'password' },
            ]}
            onDone={(result) => result.ok && go('/login', 'Password has been reset with the new password.')}
            submit={(values) => client.confirmReset({ ...values, token: decodeURIComponent(match[2]!), uid: decodeURIComponent(match[1]!) })}
            submitLabel="Set the password"
          />
        </>
      ),
    ],
    [
      /^\/profile\/?$/,
      () =>
        user ? (
          <>
            <h2>Your account</h2>
            <dl data-testid="user-details">
              {Object.entries(user).map(([key, value]) => (
                <div key={key} style={{ display: 'contents' }}>
                  <dt>{key}</dt>
                  <dd data-testid={`user-${key}`}>{typeof value === 'object' ? JSON.stringify(value) : String(value)}</dd>
                </div>
              ))}
            </dl>
            <h3>Edit your details</h3>
            <Form
              fields={[
                { label: 'Username', name: 'username' },
                { label: 'First name', name: 'first_name' },
                { label: 'Last name', name: 'last_name' },
              ]}
              initial={{ first_name: String(user.first_name ?? ''), last_name: String(user.last_name ?? ''), username: String(user.username ?? '') }}
              key={JSON.stringify(user)}
              onDone={(result) => {
                if (result.ok) {
                  setUser(result.data as User)
                  setNotice('Saved.')
                }
              }}
              submit={client.updateUser}
              submitLabel="Save"
            />
          </>
        ) : (
          <p>You are not logged in. {link('/login', 'Log in')}</p>
        ),
    ],
    [
      /^\/password-change\/?$/,
      () => (
        <>
          <h2>Change your password</h2>
          <Form
            fields={[
              { label: 'Current password (if the server asks for it)', name: 'old_password', type: 'password' },
              { label: 'New password', name: 'new_password1', type: 'password' },
              { label: 'New password again', name: 'new_password2', type: 'password' },
            ]}
            onDone={(result) => {
              if (result.ok) {
                setNotice('New password has been saved.')
                void loadUser()
              }
            }}
            submit={client.changePassword}
            submitLabel="Change the password"
          />
        </>
      ),
    ],
    [/^\/passkeys\/?$/, () => (user ? <Passkeys client={client} key={String(user.pk)} /> : <p>You are not logged in. {link('/login', 'Log in')}</p>)],
    [/^\/social\/?$/, () => <Social basePath={basePath} client={client} isLoggedIn={Boolean(user)} key={String(user?.pk)} />],
    [
      /^\/social\/callback\/([a-z0-9_-]+)\/?$/,
      (match) => <SocialCallback afterLogin={afterLogin} client={client} go={go} provider={match[1]!} />,
    ],
  ]

  const found = screens.map(([pattern, render]) => [pattern.exec(path), render] as const).find(([match]) => match)
  return (
    <main className="demo" data-ready="true">
      <h1>payload-rest-auth demo</h1>
      <nav>
        {link('/', 'Home')}
        {user ? (
          <>
            {link('/profile', 'Account')}
            {link('/password-change', 'Password')}
            {link('/social', 'Social accounts')}
            {link('/passkeys', 'Passkeys')}
            {link('/two-factor', 'Two-factor')}
            <a
              href={`${basePath}/`}
              onClick={async (event) => {
                event.preventDefault()
                await client.logout()
                setUser(null)
                go('/', 'Successfully logged out.')
              }}
            >
              Log out
            </a>
          </>
        ) : (
          <>
            {link('/signup', 'Sign up')}
            {link('/login', 'Log in')}
            {link('/social', 'Social login')}
          </>
        )}
      </nav>
      <p className="mode" data-testid="mode">
        {user ? `Logged in as ${String(user.username)} · ` : ''}mode: {client.mode()}
      </p>
      {notice && (
        <p className="notice" data-testid="notice" role="status">
          {notice}
        </p>
      )}
      {found ? (
        found[1](found[0]!)
      ) : (
        <>
          <h2>Welcome</h2>
          <p>
            This single-page app uses every endpoint of the API with plain <code>fetch</code>. It follows the server&apos;s
            settings: token keys, session cookies or JWT (with HttpOnly cookies and silent refresh).
          </p>
        </>
      )}
    </main>
  )
}

const ConfirmEmail = ({ client, go, keyValue }: { client: DemoClient; go: (to: string, message?: string) => void; keyValue: string }) => {
  const [state, setState] = useState<'failed' | 'pending'>('pending')
  useEffect(() => {
    void client.confirmEmail(keyValue).then((result) => {
      if (result.ok) {
        go('/login', 'Your e-mail address is confirmed. You can log in.')
      } else {
        setState('failed')
      }
    })
  }, [client, go, keyValue])
  return state === 'pending' ? <p>Confirming your e-mail address…</p> : <p role="alert">This confirmation link is invalid or has expired.</p>
}
