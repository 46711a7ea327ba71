/** Calls to the plugin's admin routes from the browser, with the admin's Payload cookie. */

export class AdminApiError extends Error {
  readonly status: number

  constructor(message: string, status: number) {
    super(message)
    this.name = 'AdminApiError'
    this.status = status
  }
}

const readCookie = (name: string): string | undefined => {
  if (typeof document === 'undefined' || !name) {
    return undefined
  }
  for (const pair of document.cookie.split(';')) {
    const index = pair.indexOf('=')
    if (index > 0 && pair.slice(0, index).trim() === name) {
      return decodeURIComponent(pair.slice(index + 1).trim())
    }
  }
  return undefined
}

/** The error text of a dj-rest-auth body: `detail`, else the first field message. */
export const errorDetail = (body: unknown, fallback: string): string => {
  if (body && typeof body === 'object') {
    const record = body as Record<string, unknown>
    if (typeof record.detail === 'string') {
      return record.detail
    }
    for (const value of Object.values(record)) {
      if (Array.isArray(value) && typeof value[0] === 'string') {
        return value[0]
      }
    }
  }
  return fallback
}

export type AdminApiOptions = {
  body?: Record<string, unknown>
  /**
   * The plugin's session cookie (SESSION_LOGIN) makes unsafe requests CSRF-checked; the admin may
   * hold one from the API on the same site, so its CSRF cookie is echoed as Django expects.
   */
  csrfCookieName?: string
  method?: 'GET' | 'POST'
}

export const callAdminApi = async <T>(url: string, { body, csrfCookieName, method = 'GET' }: AdminApiOptions = {}): Promise<T> => {
  const headers: Record<string, string> = { accept: 'application/json' }
  if (method !== 'GET') {
    headers['content-type'] = 'application/json'
    const csrf = csrfCookieName ? readCookie(csrfCookieName) : undefined
    if (csrf) {
      headers['x-csrftoken'] = csrf
    }
  }
  const response = await fetch(url, {
    body: method === 'GET' ? undefined : JSON.stringify(body ?? {}),
    credentials: 'include',
    headers,
    method,
  })
  const parsed: unknown = await response.json().catch(() => undefined)
  if (!response.ok) {
    throw new AdminApiError(errorDetail(parsed, `${response.status} ${response.statusText}`), response.status)
  }
  return parsed as T
}

/** `<serverURL><api>/<prefix>/admin` as the browser reaches it. */
export const adminApiBase = ({ api, routePrefix, serverURL }: { api: string; routePrefix: string; serverURL?: string }): string =>
  `${serverURL ?? ''}${api.replace(/\/+$/, '')}/${routePrefix}/admin`
