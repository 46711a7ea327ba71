export type CookieOptions = {
  httpOnly?: boolean
  /** Seconds; 0 deletes the cookie. Omit for a browser-session cookie. */
  maxAge?: number
  path?: string
  sameSite?: 'Lax' | 'None' | 'Strict'
  secure?: boolean
}

/** A Set-Cookie value in Django's attribute order (expires, HttpOnly, Max-Age, Path, SameSite, Secure). */
export const serializeCookie = (name: string, value: string, options: CookieOptions = {}): string => {
  const parts = [`${name}=${value === '' ? '""' : encodeURIComponent(value)}`]
  if (options.maxAge !== undefined) {
    const expires = options.maxAge === 0 ? new Date(0) : new Date(Date.now() + options.maxAge * 1000)
    parts.push(`expires=${expires.toUTCString()}`)
  }
  if (options.httpOnly) {
    parts.push('HttpOnly')
  }
  if (options.maxAge !== undefined) {
    parts.push(`Max-Age=${options.maxAge}`)
  }
  parts.push(`Path=${options.path ?? '/'}`)
  if (options.sameSite) {
    parts.push(`SameSite=${options.sameSite}`)
  }
  if (options.secure) {
    parts.push('Secure')
  }
  return parts.join('; ')
}

/** Django's delete_cookie: browsers ignore a `__Secure-`/`__Host-` cookie, even a deletion, unless it is Secure. */
export const deleteCookie = (name: string, options: Omit<CookieOptions, 'maxAge'> = {}): string =>
  serializeCookie(name, '', {
    ...options,
    httpOnly: false,
    maxAge: 0,
    secure: options.secure || name.startsWith('__Secure-') || name.startsWith('__Host-'),
  })

export const readCookie = (headers: Headers, name: string): string | undefined => {
  const header = headers.get('cookie')
  if (!header || !name) {
    return undefined
  }
  for (const pair of header.split(';')) {
    const index = pair.indexOf('=')
    if (index > 0 && pair.slice(0, index).trim() === name) {
      const value = pair.slice(index + 1).trim()
      try {
        return decodeURIComponent(value)
      } catch {
        return value
      }
    }
  }
  return undefined
}
