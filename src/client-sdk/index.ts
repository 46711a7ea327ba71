import type { Client, ClientOptions, Middleware } from 'openapi-fetch'

import createClient from 'openapi-fetch'

import type { paths } from './schema.js'

export type { components, operations, paths } from './schema.js'

export type RestAuthClient = Client<paths>

export type RestAuthClientOptions = Omit<ClientOptions, 'baseUrl'> & {
  /** The API's root: `https://example.com/api/dj-rest-auth` (or `/api/dj-rest-auth` in the same site's pages). */
  baseUrl: string
  /** The CSRF cookie the X-CSRFToken header repeats (the `csrfCookieName` setting). @default 'csrftoken' */
  csrfCookieName?: string
}

const readBrowserCookie = (name: string): string | undefined => {
  if (typeof document === 'undefined') {
    return undefined
  }
  const pair = document.cookie
    .split(';')
    .map((part) => part.trim())
    .find((part) => part.startsWith(`${name}=`))
  return pair === undefined ? undefined : decodeURIComponent(pair.slice(name.length + 1))
}

/** In a browser, repeats the CSRF cookie in X-CSRFToken on unsafe requests (what a cookie-authenticated request needs). */
const csrfHeader = (cookieName: string): Middleware => ({
  onRequest: ({ request }) => {
    const token = readBrowserCookie(cookieName)
    if (token && !['GET', 'HEAD', 'OPTIONS'].includes(request.method) && !request.headers.has('x-csrftoken')) {
      request.headers.set('X-CSRFToken', token)
    }
    return request
  },
})

/**
 * A typed fetch client of the API (openapi-fetch over the types of src/client-sdk/schema.ts, made
 * from the document with every feature on): `client.POST('/login/', { body })` answers `{ data,
 * error, response }` with `data` typed as login's answer and `error` as dj-rest-auth's error
 * shapes. Cookies are sent (`credentials: 'include'`); add credentials with `client.use()` or
 * per-request `headers` (`Authorization: Token <key>` or `Bearer <access>`).
 */
export const createRestAuthClient = ({ baseUrl, csrfCookieName = 'csrftoken', ...options }: RestAuthClientOptions): RestAuthClient => {
  const client = createClient<paths>({ credentials: 'include', ...options, baseUrl: baseUrl.replace(/\/+$/, '') })
  client.use(csrfHeader(csrfCookieName))
  return client
}
