import type { PayloadRequest } from 'payload'

import type { ErrorBody } from '../errors/RestAuthError.js'

import { messages } from '../errors/messages.js'
import { RestAuthError } from '../errors/RestAuthError.js'
import { fromTokenError } from '../jwt/errors.js'
import { TokenError } from '../jwt/tokens.js'

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

/** A text answer (the OpenAPI document as YAML): the same headers as JSON answers. */
export const textResponse = (body: string, contentType: string): Response =>
  new Response(body, { headers: baseHeaders({ 'Content-Type': contentType }), status: 200 })

export const emptyResponse = ({ cookies, headers, status = 204 }: ResponseInitWithCookies = {}): Response =>
  new Response(null, { headers: baseHeaders(headers, cookies), status })

const UNAVAILABLE_CODES = new Set(['57P01', '57P02', '57P03', '53300', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'SQLITE_BUSY', '08000', '08001', '08003', '08006'])
const UNAVAILABLE_MESSAGE = /Connection terminated|connection timeout|not currently accepting connections|ECONNREFUSED/i

/** A lost or refused database connection (the error or its cause), as opposed to a bug. */
const isDatabaseUnavailable = (err: unknown): boolean => {
  for (let current = err, depth = 0; current && depth < 4; depth += 1) {
    const { cause, code, message } = current as { cause?: unknown; code?: unknown; message?: unknown }
    if ((typeof code === 'string' && UNAVAILABLE_CODES.has(code)) || UNAVAILABLE_MESSAGE.test(String(message ?? ''))) {
      return true
    }
    current = cause
  }
  return false
}

/** The one place where an error becomes dj-rest-auth's JSON. Unknown errors are logged, never echoed. */
export const errorResponse = (err: unknown, req: PayloadRequest): Response => {
  if (err instanceof TokenError) {
    return errorResponse(fromTokenError(err), req)
  }
  if (err instanceof RestAuthError) {
    if (err.status >= 500 && err.cause !== undefined) {
      // A 5xx the plugin chose to answer (a provider down, a mail not sent): its cause is for the log.
      req.payload.logger.error({ err: err.cause, msg: `payload-rest-auth: ${req.method} ${req.pathname}: ${err.message}` })
    }
    return jsonResponse(err.body, { cookies: err.cookies, headers: err.headers, status: err.status })
  }
  const unavailable = isDatabaseUnavailable(err)
  req.payload.logger.error({ err, msg: `payload-rest-auth: ${req.method} ${req.pathname} failed` })
  const body: ErrorBody = { detail: unavailable ? messages.request.serviceUnavailable : messages.request.serverError }
  return jsonResponse(body, { headers: unavailable ? { 'Retry-After': '5' } : undefined, status: unavailable ? 503 : 500 })
}
