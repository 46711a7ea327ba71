import type { PayloadRequest } from 'payload'

import type { ErrorBody } from '../errors/RestAuthError.js'

import { messages } from '../errors/messages.js'
import { RestAuthError } from '../errors/RestAuthError.js'

/**
 * Every answer of the plugin carries credentials or is about them, so none may be cached.
 * Set-Cookie values are appended, never merged.
 */
const baseHeaders = (extra?: HeadersInit, cookies: string[] = []): Headers => {
  const headers = new Headers(extra)
  headers.set('Cache-Control', 'no-store')
  headers.set('Pragma', 'no-cache')
  for (const cookie of cookies) {
    headers.append('Set-Cookie', cookie)
  }
  return headers
}

export type ResponseInitWithCookies = { cookies?: string[]; headers?: HeadersInit; status?: number }

export const jsonResponse = (body: unknown, { cookies, headers, status = 200 }: ResponseInitWithCookies = {}): Response =>
  Response.json(body, { headers: baseHeaders(headers, cookies), status })

export const emptyResponse = ({ cookies, headers, status = 204 }: ResponseInitWithCookies = {}): Response =>
  new Response(null, { headers: baseHeaders(headers, cookies), status })

const isDatabaseUnavailable = (err: unknown): boolean => {
  const code = (err as { code?: unknown; cause?: { code?: unknown } })?.code ?? (err as { cause?: { code?: unknown } })?.cause?.code
  return (
    typeof code === 'string' &&
    ['57P01', '57P03', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'SQLITE_BUSY', '08006', '08001'].includes(code)
  )
}

/** The one place where an error becomes dj-rest-auth's JSON. Unknown errors are logged, never echoed. */
export const errorResponse = (err: unknown, req: PayloadRequest): Response => {
  if (err instanceof RestAuthError) {
    return jsonResponse(err.body, { headers: err.headers, status: err.status })
  }
  const unavailable = isDatabaseUnavailable(err)
  req.payload.logger.error({ err, msg: `payload-rest-auth: ${req.method} ${req.pathname} failed` })
  const body: ErrorBody = { detail: unavailable ? messages.serviceUnavailable : messages.serverError }
  return jsonResponse(body, { headers: unavailable ? { 'Retry-After': '5' } : undefined, status: unavailable ? 503 : 500 })
}
