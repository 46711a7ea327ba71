'use client'

import QRCode from 'qrcode'
import { useCallback, useEffect, useState } from 'react'

import type { ApiResult, DemoClient } from './api.js'

import { Form } from './Form.js'

/** The otpauth:// URL as a QR code for an authenticator app's camera (an image: no markup from a string). */
const TotpQrCode = ({ url }: { url: string }) => {
  const [image, setImage] = useState<null | string>(null)
  useEffect(() => {
    let isCurrent = true
    QRCode.toDataURL(url, { errorCorrectionLevel: 'M', margin: 2, width: 220 })
      .then((dataUrl) => isCurrent && setImage(dataUrl))
      .catch(() => isCurrent && setImage(null))
    return () => {
      isCurrent = false
    }
  }, [url])
  return image ? <img alt="QR code for your authenticator app" data-testid="totp-qr" height={220} src={image} width={220} /> : null
}

/**
 * Two-factor authentication for the logged-in user: set up an authenticator app (the secret and its
 * otpauth:// URL, drawn as a QR code for the app to scan), activate it with a first code, see the recovery
 * codes once, and turn it off. A change needs a recent login: when the server asks, the password
 * (or a code) is asked for first.
 */
export const TwoFactor = ({ client }: { client: DemoClient }) => {
  const [authenticators, setAuthenticators] = useState<Record<string, unknown>[] | null>(null)
  const [setup, setSetup] = useState<null | { secret: string; totp_url: string }>(null)
  const [recoveryCodes, setRecoveryCodes] = useState<string[]>([])
  const [needsReauthentication, setNeedsReauthentication] = useState(false)
  const [message, setMessage] = useState('')

  const load = useCallback(async () => {
    const result = await client.mfaAuthenticators()
    setAuthenticators(result.ok ? result.data : [])
  }, [client])

  useEffect(() => {
    void load()
  }, [load])

  /** Runs a change; a `reauthentication_required` answer asks for a new proof first. */
  const change = async <T,>(action: () => Promise<ApiResult<T>>): Promise<ApiResult<T>> => {
    const result = await action()
    if (!result.ok && result.status === 401 && (result.errors as Record<string, unknown>).code === 'reauthentication_required') {
      setNeedsReauthentication(true)
    }
    setMessage(result.ok ? '' : String(result.errors.detail ?? result.errors.non_field_errors?.[0] ?? 'The server refused.'))
    return result
  }

  if (authenticators === null) {
    return <p>Loading…</p>
  }
  const totp = authenticators.find((authenticator) => authenticator.type === 'totp')
  const codes = authenticators.find((authenticator) => authenticator.type === 'recovery_codes')
  return (
    <>
      <h2>Two-factor authentication</h2>
      {message && <p role="alert">{message}</p>}
      {needsReauthentication && (
        <Form
          fields={[{ label: 'Password (to confirm it is you)', name: 'password', type: 'password' }]}
          onDone={(result) => {
            if (result.ok) {
              setNeedsReauthentication(false)
              setMessage('Confirmed. Try again.')
            }
          }}
          submit={client.reauthenticate}
          submitLabel="Confirm"
        />
      )}
      {totp ? (
        <>
          <p data-testid="mfa-status">
            An authenticator app is active. {String(codes?.unused_code_count ?? 0)} recovery codes left.
          </p>
          <button
            onClick={async () => {
              if ((await change(client.mfaDeactivate)).ok) {
                setRecoveryCodes([])
                await load()
              }
            }}
            type="button"
          >
            Turn off two-factor authentication
          </button>
        </>
      ) : setup ? (
        <>
          <p>Scan this in your authenticator app, or type the secret:</p>
          <TotpQrCode url={setup.totp_url} />
          <p>
            <code data-testid="totp-secret">{setup.secret}</code>
          </p>
          <p>
            <code data-testid="totp-url">{setup.totp_url}</code>
          </p>
          <Form
            fields={[{ label: 'Code from the app', name: 'code' }]}
            onDone={async (result) => {
              if (result.ok) {
                setRecoveryCodes((result.data as { recovery_codes: string[] }).recovery_codes)
                setSetup(null)
                await load()
              }
            }}
            submit={(values) => change(() => client.mfaActivate(values.code ?? ''))}
            submitLabel="Activate"
          />
        </>
      ) : (
        <>
          <p data-testid="mfa-status">Two-factor authentication is off.</p>
          <button
            onClick={async () => {
              const result = await change(client.mfaSetup)
              if (result.ok) {
                setSetup(result.data)
              }
            }}
            type="button"
          >
            Set up an authenticator app
          </button>
        </>
      )}
      {recoveryCodes.length > 0 && (
        <>
          <h3>Recovery codes</h3>
          <p>Keep these somewhere safe: each logs you in once without the app. They are shown only now.</p>
          <ul data-testid="recovery-codes">
            {recoveryCodes.map((code) => (
              <li key={code}>
                <code>{code}</code>
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  )
}
