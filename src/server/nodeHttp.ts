import type { IncomingMessage, ServerResponse } from 'node:http'

import { Readable } from 'node:stream'

import { appendForwardedFor } from '../http/forwarded.js'

/*
 * node:http ⇄ Fetch, for Payload's `handleEndpoints`: the standalone API server and the test
 * server both go through here, so what the tests exercise is what production runs.
 */

/** Headers this server never sends, whoever set them. */
const DROPPED_HEADERS = new Set(['x-powered-by'])

/**
 * Node's request as a Fetch Request, body streamed. As every server in front of the plugin must
 * (nginx's `$proxy_add_x_forwarded_for`), the socket's peer address is appended to
 * X-Forwarded-For; which entries to believe is decided by src/http/forwarded.ts alone.
 */
export const toFetchRequest = (req: IncomingMessage, origin: string): Request => {
  const headers = new Headers()
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) {
      value.forEach((v) => headers.append(name, v))
    } else if (value !== undefined) {
      headers.set(name, value)
    }
  }
  headers.set('x-forwarded-for', appendForwardedFor(headers.get('x-forwarded-for'), req.socket.remoteAddress))
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD'
  return new Request(new URL(req.url ?? '/', origin), {
    body: hasBody ? (Readable.toWeb(req) as ReadableStream) : undefined,
    duplex: 'half',
    headers,
    method: req.method,
  } as RequestInit)
}

/** `http://<Host>` of the request, for the Fetch Request's URL (a bad Host header falls back to loopback). */
export const urlOrigin = (req: IncomingMessage): string => {
  const host = req.headers.host ?? ''
  return /^[\w.-]+(?::\d{1,5})?$|^\[[\da-f:.]+\](?::\d{1,5})?$/i.test(host) ? `http://${host}` : 'http://127.0.0.1'
}

/**
 * Writes a Fetch Response to Node's response. `isClosing`: the connection is closed after this
 * answer (the server is draining), so a keep-alive client opens its next connection elsewhere.
 */
export const sendResponse = async (
  response: Response,
  req: IncomingMessage,
  res: ServerResponse,
  { isClosing = false }: { isClosing?: boolean } = {},
): Promise<void> => {
  const headers: Record<string, string | string[]> = {}
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie' && !DROPPED_HEADERS.has(name)) {
      headers[name] = value
    }
  })
  const cookies = response.headers.getSetCookie()
  if (cookies.length > 0) {
    headers['set-cookie'] = cookies
  }
  if (!req.complete || isClosing) {
    // The handler answered without reading the whole body (413): this connection cannot be reused.
    headers.connection = 'close'
  }
  const body = req.method === 'HEAD' ? undefined : Buffer.from(await response.arrayBuffer())
  res.writeHead(response.status, headers)
  res.end(body)
}

/** A JSON answer of the server's own (health, routes it does not serve). */
export const sendJson = (res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void => {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'cache-control': 'no-store', 'content-length': Buffer.byteLength(text), 'content-type': 'application/json', ...extra })
  res.end(text)
}
