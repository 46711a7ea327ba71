'use client'

import type { FormEvent } from 'react'

import { browserSupportsWebAuthn, startAuthentication, startRegistration, WebAuthnError } from '@simplewebauthn/browser'
import { useCallback, useEffect, useState } from 'react'

import type { ApiErrors, ApiResult, DemoClient, Passkey } from './api.js'

/** The first message of an API refusal, or of the browser's WebAuthn error. */
const problemOf = (errors: ApiErrors): string => {
  if (typeof errors.detail === 'string') {
    return errors.detail
  }
  return Object.values(errors).flat().join(' ') || 'Something went wrong.'
}

const browserProblem = (err: unknown): string =>
  err instanceof WebAuthnError || err instanceof Error ? `Your browser did not create or use a passkey: ${err.message}` : String(err)

/** "Log in with a passkey": options, the browser's assertion, then webauthn/login/ (answered as login/). */
export const PasskeyLogin = ({ afterLogin, client }: { afterLogin: (result: ApiResult, message: string) => Promise<void>; client: DemoClient }) => {
  const [error, setError] = useState('')
  const logIn = async () => {
    setError('')
    const options = await client.passkeyLoginOptions()
    if (!options.ok) {
      setError(options.status === 404 ? 'Passkey login is off on this server.' : problemOf(options.errors))
      return
    }
    let credential: unknown
    try {
      credential = await startAuthentication({ optionsJSON: options.data.request_options as never })
    } catch (err) {
      setError(browserProblem(err))
      return
    }
    const result = await client.passkeyLogin({ credential, flow_token: options.data.flow_token })
    if (!result.ok) {
      setError(problemOf(result.errors))
      return
    }
    await afterLogin(result, 'Logged in with your passkey.')
  }
  return (
    <section>
      <button data-testid="passkey-login" onClick={() => void logIn()} type="button">
        Log in with a passkey
      </button>
      {error && (
        <p className="errors" data-testid="passkey-login-errors" role="alert">
          {error}
        </p>
      )}
    </section>
  )
}

/** The signed-in user's passkeys: add one (passwordless or as a second factor), rename, delete. */
export const Passkeys = ({ client }: { client: DemoClient }) => {
  const [passkeys, setPasskeys] = useState<null | Passkey[]>(null)
  const [error, setError] = useState('')
  const [message, setMessage] = useState('')
  const [name, setName] = useState('')
  const [isPasswordless, setIsPasswordless] = useState(true)

  const reload = useCallback(async () => {
    const result = await client.passkeys()
    if (result.ok) {
      setPasskeys(result.data)
    } else {
      setError(result.status === 404 ? 'Passkeys are off on this server (Settings → Security in /admin).' : problemOf(result.errors))
    }
  }, [client])

  useEffect(() => {
    void reload()
  }, [reload])

  const add = async (event: FormEvent) => {
    event.preventDefault()
    setError('')
    setMessage('')
    const options = await client.passkeyRegisterOptions(isPasswordless)
    if (!options.ok) {
      setError(problemOf(options.errors))
      return
    }
    let credential: unknown
    try {
      credential = await startRegistration({ optionsJSON: options.data.creation_options as never })
    } catch (err) {
      setError(browserProblem(err))
      return
    }
    const result = await client.passkeyRegister({ credential, flow_token: options.data.flow_token, name })
    if (!result.ok) {
      setError(problemOf(result.errors))
      return
    }
    setName('')
    setMessage(`Passkey "${result.data.name}" added.`)
    await reload()
  }

  const rename = async (passkey: Passkey) => {
    const next = window.prompt('New name', passkey.name)
    if (next === null) return
    const result = await client.renamePasskey(passkey.id, next)
    if (!result.ok) {
      setError(problemOf(result.errors))
      return
    }
    await reload()
  }

  const remove = async (passkey: Passkey) => {
    const result = await client.deletePasskey(passkey.id)
    if (!result.ok) {
      setError(problemOf(result.errors))
      return
    }
    setMessage(`Passkey "${passkey.name}" deleted.`)
    await reload()
  }

  return (
    <>
      <h2>Passkeys</h2>
      {!browserSupportsWebAuthn() && <p className="pending">This browser does not support passkeys.</p>}
      {error && (
        <p className="errors" data-testid="passkey-errors" role="alert">
          {error}
        </p>
      )}
      {message && (
        <p className="notice" data-testid="passkey-message" role="status">
          {message}
        </p>
      )}
      {passkeys && passkeys.length === 0 && <p>You have no passkey yet.</p>}
      {passkeys && passkeys.length > 0 && (
        <ul data-testid="passkey-list">
          {passkeys.map((passkey) => (
            <li data-testid="passkey" key={passkey.id}>
              <strong>{passkey.name}</strong> {passkey.is_passwordless ? '(passwordless)' : '(second factor only)'} · added{' '}
              {new Date(passkey.created_at * 1000).toLocaleString()} · last used{' '}
              {passkey.last_used_at ? new Date(passkey.last_used_at * 1000).toLocaleString() : 'never'}{' '}
              <button onClick={() => void rename(passkey)} type="button">
                Rename
              </button>{' '}
              <button data-testid={`delete-passkey-${passkey.name}`} onClick={() => void remove(passkey)} type="button">
                Delete
              </button>
            </li>
          ))}
        </ul>
      )}
      <h3>Add a passkey</h3>
      <form onSubmit={(event) => void add(event)}>
        <label>
          Name <input name="passkey-name" onChange={(event) => setName(event.target.value)} value={name} />
        </label>
        <label style={{ alignItems: 'center', display: 'flex', gap: '0.5rem' }}>
          <input
            checked={isPasswordless}
            name="passwordless"
            onChange={(event) => setIsPasswordless(event.target.checked)}
            style={{ width: 'auto' }}
            type="checkbox"
          />
          Use it to log in without a password
        </label>
        <button data-testid="add-passkey" type="submit">
          Add a passkey
        </button>
      </form>
    </>
  )
}
