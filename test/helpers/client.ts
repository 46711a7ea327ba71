import { contractViolation } from './contract.js'

export type ApiResponse = {
  body: any
  cookies: string[]
  headers: Headers
  status: number
  text: string
}

export type CallOptions = {
  body?: unknown
  /** Sent as-is instead of JSON. */
  rawBody?: string
  headers?: Record<string, string>
  token?: string
}

/** A thin fetch wrapper: JSON in, parsed JSON (when any) out, cookies listed. */
export const call = async (url: string, method: string, options: CallOptions = {}): Promise<ApiResponse> => {
  const headers: Record<string, string> = { ...options.headers }
  let body: string | undefined
  if (options.rawBody !== undefined) {
    body = options.rawBody
  } else if (options.body !== undefined) {
    body = JSON.stringify(options.body)
    headers['content-type'] ??= 'application/json'
  }
  if (options.token) {
    headers.authorization = `Token ${options.token}`
  }
  const response = await fetch(url, { body, headers, method, redirect: 'manual' })
  const text = await response.text()
  let parsed: unknown = undefined
  try {
    parsed = text ? JSON.parse(text) : undefined
  } catch {
    parsed = undefined
  }
  const violation = await contractViolation({ body: parsed, method, status: response.status, text, url })
  if (violation) {
    throw new Error(`API contract: ${violation}`)
  }
  return { body: parsed, cookies: response.headers.getSetCookie(), headers: response.headers, status: response.status, text }
}

/** A cookie jar for one simulated browser. */
export const cookieJar = () => {
  const jar = new Map<string, string>()
  return {
    header: () => [...jar].map(([name, value]) => `${name}=${value}`).join('; '),
    get: (name: string) => jar.get(name),
    store: (cookies: string[]) => {
      for (const cookie of cookies) {
        const [pair, ...attributes] = cookie.split(';')
        const index = pair!.indexOf('=')
        const name = pair!.slice(0, index).trim()
        const value = pair!.slice(index + 1).trim()
        const isExpired = attributes.some((a) => a.trim().toLowerCase() === 'max-age=0')
        if (isExpired) {
          jar.delete(name)
        } else {
          jar.set(name, value)
        }
      }
    },
  }
}

/** dj-rest-auth's error shapes: `{"detail": "…"}` or `{"field": ["…"]}` (incl. `non_field_errors`). */
export const isErrorShape = (body: unknown): boolean => {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    return false
  }
  if ('detail' in body) {
    return typeof (body as { detail: unknown }).detail === 'string'
  }
  return Object.values(body).every((value) => Array.isArray(value) && value.every((m) => typeof m === 'string'))
}
