import { createRestAuthClient } from 'payload-rest-auth/client-sdk'

/**
 * A dj-rest-auth client over the plugin's typed client (payload-rest-auth/client-sdk, openapi-fetch):
 * what a browser app needs, nothing Payload-specific.
 * It adapts to the server's mode from the answers themselves:
 * - `{"key"}` from login → token mode, `Authorization: Token <key>` (kept in sessionStorage);
 * - `{"access", "refresh"}` → JWT mode, `Authorization: Bearer <access>` kept in memory, silent
 *   refresh through `token/refresh/` (the refresh token comes from the body, or from its HttpOnly
 *   cookie when the body's `refresh` is empty);
 * - cookies (session or JWT cookies) are sent with every request, with the CSRF header echoing the
 *   `csrftoken` cookie;
 * - a 401 `mfa_required` from a login keeps its `mfa_token` for the second step (mfa/authenticate/).
 */

export type ApiErrors = Record<string, string[]> & { detail?: string }

export type ApiResult<T = Record<string, unknown>> =
  | { data: T; ok: true; status: number }
  | { errors: ApiErrors; ok: false; status: number }

/** An entry of `social/providers/`: what a login button needs. */
export type PublicProvider = {
  authorization_url: string
  callback_url: string
  client_id: string
  name: string
  protocol: 'oauth1' | 'oauth2'
  provider: string
  scope: string[]
}

/** A passkey as `webauthn/authenticators/` lists it. */
export type Passkey = { created_at: number; id: number | string; is_passwordless: boolean; last_used_at: null | number; name: string; type: 'webauthn' }

export type AuthMode = 'anonymous' | 'jwt' | 'jwt-cookie' | 'session' | 'token'

const TOKEN_KEY = 'demo-token'
/** The flow token of a login by code in progress (this tab only). */
const CODE_FLOW_KEY = 'demo-code-flow'

const readCookie = (name: string): string | undefined =>
  document.cookie
    .split(';')
    .map((pair) => pair.trim().split('='))
    .find(([key]) => key === name)?.[1]

export const createClient = (base: string) => {
  let access: null | string = null
  let refresh: null | string = null
  let mode: AuthMode = typeof sessionStorage !== 'undefined' && sessionStorage.getItem(TOKEN_KEY) ? 'token' : 'anonymous'

  // The typed client sends the cookies and repeats the CSRF cookie in X-CSRFToken; the demo adds
  // the credential of the mode it is in.
  const sdk = createRestAuthClient({ baseUrl: base })
  sdk.use({
    onRequest: ({ request }) => {
      const key = sessionStorage.getItem(TOKEN_KEY)
      if (key) {
        request.headers.set('Authorization', `Token ${key}`)
      } else if (access) {
        request.headers.set('Authorization', `Bearer ${access}`)
      }
      return request
    },
  })

  /**
   * One call through the typed client. The demo picks routes by name at run time (`${provider}/`),
   * so it goes through `request` with the path as a string; the answers keep their documented shapes.
   */
  const send = async <T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<ApiResult<T>> => {
    let result: { data?: unknown; error?: unknown; response: Response }
    try {
      result = await sdk.request(method.toLowerCase() as 'post', `/${path}` as '/login/', { body: body as never })
    } catch {
      return { errors: { detail: 'Unexpected answer.' } as ApiErrors, ok: false, status: 0 }
    }
    const { data, error, response } = result
    return response.ok
      ? { data: (data ?? {}) as T, ok: true, status: response.status }
      : { errors: (error ?? { detail: `Unexpected answer (${response.status}).` }) as ApiErrors, ok: false, status: response.status }
  }

  /** Stores whatever credentials a login-like answer carries and returns the mode it implies. */
  const adopt = (data: Record<string, unknown> | undefined, status: number): AuthMode => {
    if (data && typeof data.key === 'string') {
      sessionStorage.setItem(TOKEN_KEY, data.key)
      mode = 'token'
    } else if (data && typeof data.access === 'string') {
      access = data.access
      refresh = typeof data.refresh === 'string' && data.refresh ? data.refresh : null
      mode = refresh ? 'jwt' : 'jwt-cookie'
    } else if (status === 204) {
      mode = 'session'
    }
    return mode
  }

  const tryRefresh = async (): Promise<boolean> => {
    const result = await send<{ access: string; refresh?: string }>('POST', 'token/refresh/', refresh ? { refresh } : {})
    if (result.ok) {
      access = result.data.access
      if (result.data.refresh) {
        refresh = result.data.refresh
      }
      return true
    }
    return false
  }

  /** A request that, in JWT mode, refreshes the access token once when it has expired. */
  const request = async <T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<ApiResult<T>> => {
    const result = await send<T>(method, path, body)
    if (!result.ok && (result.status === 401 || result.status === 403) && (mode === 'jwt' || mode === 'jwt-cookie') && (await tryRefresh())) {
      return send<T>(method, path, body)
    }
    return result
  }

  /** The pending login of a user with two-factor authentication (login/ answered 401 `mfa_required`). */
  let mfaToken: null | string = null

  /** A first factor's answer: credentials, or a pending login whose mfa_token is kept for mfa/authenticate/. */
  const afterFirstFactor = (result: ApiResult<Record<string, unknown>>) => {
    if (result.ok) {
      adopt(result.data, result.status)
    } else if (result.status === 401 && (result.errors as Record<string, unknown>).code === 'mfa_required') {
      mfaToken = String((result.errors as Record<string, unknown>).mfa_token)
    }
    return result
  }

  const forget = () => {
    sessionStorage.removeItem(TOKEN_KEY)
    access = null
    refresh = null
    mode = 'anonymous'
  }

  return {
    changePassword: (body: Record<string, string>) => request('POST', 'password/change/', body),
    confirmCode: async (code: string) => {
      forget()
      const result = await send<Record<string, unknown>>('POST', 'code/confirm/', { code, flow_token: sessionStorage.getItem(CODE_FLOW_KEY) ?? '' })
      if (result.ok) {
        sessionStorage.removeItem(CODE_FLOW_KEY)
        adopt(result.data, result.status)
      }
      return result
    },
    confirmEmail: (key: string) => request('POST', 'registration/verify-email/', { key }),
    confirmReset: (body: Record<string, string>) => request('POST', 'password/reset/confirm/', body),
    disconnect: (id: number | string) => request('POST', `socialaccounts/${id}/disconnect/`, {}),
    getUser: () => request<Record<string, unknown>>('GET', 'user/'),
    login: async (body: Record<string, string>) => {
      forget()
      return afterFirstFactor(await send<Record<string, unknown>>('POST', 'login/', body))
    },
    /** The second step of a login that asked for it: a code of the authenticator app, or a recovery code. */
    completeMfa: async (code: string) => {
      const result = await send<Record<string, unknown>>('POST', 'mfa/authenticate/', { code, mfa_token: mfaToken ?? '' })
      if (result.ok) {
        mfaToken = null
        adopt(result.data, result.status)
      }
      return result
    },
    hasPendingMfa: () => mfaToken !== null,
    mfaActivate: (code: string) => request<{ recovery_codes: string[] }>('POST', 'mfa/totp/activate/', { code }),
    mfaAuthenticators: () => request<Record<string, unknown>[]>('GET', 'mfa/authenticators/'),
    mfaDeactivate: () => request('DELETE', 'mfa/totp/'),
    mfaSetup: () => request<{ secret: string; totp_url: string }>('POST', 'mfa/totp/setup/', {}),
    reauthenticate: (body: Record<string, string>) => request('POST', 'reauthenticate/', body),
    logout: async () => {
      const result = await request('POST', 'logout/', refresh ? { refresh } : {})
      forget()
      return result
    },
    mode: () => mode,
    register: async (body: Record<string, string>) => {
      forget()
      const result = await send<Record<string, unknown>>('POST', 'registration/', body)
      if (result.ok && result.status !== 201) {
        adopt(undefined, result.status)
      } else if (result.ok && !('detail' in result.data)) {
        adopt(result.data, result.status)
      }
      return result
    },
    requestCode: async (email: string) => {
      const result = await send<{ flow_token: string }>('POST', 'code/request/', { email })
      if (result.ok) {
        sessionStorage.setItem(CODE_FLOW_KEY, result.data.flow_token)
      }
      return result
    },
    resendCode: () => send('POST', 'code/resend/', { flow_token: sessionStorage.getItem(CODE_FLOW_KEY) ?? '' }),
    requestReset: (email: string) => request('POST', 'password/reset/', { email }),
    resendEmail: (email: string) => request('POST', 'registration/resend-email/', { email }),
    restore: async () => {
      // After a reload: a stored key, or cookies (session / JWT cookies) may still be valid.
      const result = await request<Record<string, unknown>>('GET', 'user/')
      // An expired access cookie is gone from the browser (its Max-Age is the token's lifetime), so
      // the answer is 403 rather than 401: try the HttpOnly refresh cookie either way.
      if (!result.ok && mode === 'anonymous' && (result.status === 401 || result.status === 403) && (await tryRefresh())) {
        mode = 'jwt-cookie'
        return request<Record<string, unknown>>('GET', 'user/')
      }
      if (result.ok && mode === 'anonymous') {
        mode = readCookie('csrftoken') ? 'session' : 'jwt-cookie'
      }
      return result
    },
    // Passkeys: the browser's WebAuthn calls are the caller's (Passkeys.tsx, with @simplewebauthn/browser).
    passkeys: () => request<Passkey[]>('GET', 'webauthn/authenticators/'),
    passkeyRegisterOptions: (passwordless: boolean) =>
      request<{ creation_options: Record<string, unknown>; flow_token: string }>('POST', 'webauthn/register/options/', { passwordless }),
    passkeyRegister: (body: { credential: unknown; flow_token: string; name: string }) => request<Passkey>('POST', 'webauthn/register/', body),
    renamePasskey: (id: number | string, name: string) => request<Passkey>('PATCH', `webauthn/authenticators/${id}/`, { name }),
    deletePasskey: (id: number | string) => request('DELETE', `webauthn/authenticators/${id}/`),
    passkeyLoginOptions: () => send<{ flow_token: string; request_options: Record<string, unknown> }>('POST', 'webauthn/login/options/', {}),
    /** Answers as login/ does, so its credentials are adopted the same way. */
    passkeyLogin: async (body: { credential: unknown; flow_token: string }) => {
      forget()
      const result = await send<Record<string, unknown>>('POST', 'webauthn/login/', body)
      if (result.ok) {
        adopt(result.data, result.status)
      }
      return result
    },
    providers: () => send<PublicProvider[]>('GET', 'social/providers/'),
    requestToken: (provider: string) =>
      send<{ authorization_url: string; oauth_token: string; oauth_token_secret: string }>('POST', `${provider}/request_token/`, {}),
    socialAccounts: () => request<unknown[]>('GET', 'socialaccounts/'),
    socialConnect: (provider: string, body: Record<string, string>) => request('POST', `${provider}/connect/`, body),
    socialLogin: async (provider: string, body: Record<string, string>) => {
      forget()
      return afterFirstFactor(await send<Record<string, unknown>>('POST', `${provider}/`, body))
    },
    updateUser: (body: Record<string, string>) => request<Record<string, unknown>>('PATCH', 'user/', body),
  }
}

export type DemoClient = ReturnType<typeof createClient>
