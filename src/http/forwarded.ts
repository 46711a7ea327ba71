import type { IncomingMessage } from 'node:http'
import type { Payload } from 'payload'

import { subscribe } from 'node:diagnostics_channel'
import { BlockList, isIP } from 'node:net'

import type { RestAuthSettings } from '../settings/definitions.js'

/*
 * The one reader of X-Forwarded-For, X-Forwarded-Host and X-Forwarded-Proto.
 *
 * The model, as nginx's `$proxy_add_x_forwarded_for`: every hop appends the address it received the
 * request from, so the right-most entry is the peer of the app's own HTTP server. The standalone
 * API server and the test server append it; under Next.js, `forwardPeerAddress()` (called from
 * `instrumentation.ts`) does — Next.js itself only fills the header when a request has none, so a
 * client that sends its own would otherwise choose its address. From the right, entries written by
 * trusted proxies (`trustedProxyCount` hops, or any address in `trustedProxies`) are skipped; the
 * first other entry is the client. Everything further left was written by the client and is never
 * believed. X-Forwarded-Host and -Proto are believed only when the peer is a trusted proxy.
 */

type ProxySettings = Pick<RestAuthSettings, 'trustedProxies' | 'trustedProxyCount'>

const MAX_ADDRESS_LENGTH = 64
const UNKNOWN = 'unknown'

const normalizeAddress = (entry: string): string => {
  let address = entry.trim()
  // "[2001:db8::1]:443" and "192.0.2.1:443" (some proxies add the port).
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(address)
  if (bracketed) {
    address = bracketed[1]!
  } else if (/^\d{1,3}(?:\.\d{1,3}){3}:\d+$/.test(address)) {
    address = address.slice(0, address.lastIndexOf(':'))
  }
  return address.replace(/^::ffff:(?=\d{1,3}(?:\.\d{1,3}){3}$)/i, '').slice(0, MAX_ADDRESS_LENGTH)
}

const forwardedChain = (headers: Headers): string[] =>
  (headers.get('x-forwarded-for') ?? '')
    .split(',')
    .map(normalizeAddress)
    .filter(Boolean)

type ParsedProxies = { blockList: BlockList; invalid: string[] }

/** `trustedProxies`: addresses and CIDR ranges, IPv4 or IPv6, separated by spaces or commas. */
export const parseTrustedProxies = (value: string): ParsedProxies => {
  const blockList = new BlockList()
  const invalid: string[] = []
  for (const entry of value.split(/[\s,]+/).filter(Boolean)) {
    const [address = '', prefix, ...rest] = entry.split('/')
    const family = isIP(address)
    const bits = prefix === undefined ? undefined : Number(prefix)
    const maxBits = family === 6 ? 128 : 32
    if (!family || rest.length > 0 || (bits !== undefined && (!/^\d{1,3}$/.test(prefix!) || bits > maxBits))) {
      invalid.push(entry)
      continue
    }
    const type = family === 6 ? 'ipv6' : 'ipv4'
    if (bits === undefined) {
      blockList.addAddress(address, type)
    } else {
      blockList.addSubnet(address, bits, type)
    }
  }
  return { blockList, invalid }
}

let parsedCache: { source: string; value: ParsedProxies } | undefined

const isListedProxy = (address: string, settings: ProxySettings): boolean => {
  if (!settings.trustedProxies) {
    return false
  }
  if (parsedCache?.source !== settings.trustedProxies) {
    parsedCache = { source: settings.trustedProxies, value: parseTrustedProxies(settings.trustedProxies) }
  }
  const family = isIP(address)
  return family !== 0 && parsedCache.value.blockList.check(address, family === 6 ? 'ipv6' : 'ipv4')
}

/**
 * The client's address, for rate limits and the login back-off: the right-most entry of
 * X-Forwarded-For that no trusted proxy wrote. 'unknown' when the header is missing (a server that
 * does not append the peer address).
 */
export const clientAddress = (headers: Headers, settings: ProxySettings): string => {
  const chain = forwardedChain(headers)
  let index = chain.length - 1
  for (let hops = 0; index > 0 && (hops < settings.trustedProxyCount || isListedProxy(chain[index]!, settings)); hops += 1) {
    index -= 1
  }
  return chain[index] ?? UNKNOWN
}

/** Whether the app's peer is a trusted proxy, whose X-Forwarded-Host and -Proto may be believed. */
const isPeerTrusted = (headers: Headers, settings: ProxySettings): boolean => {
  const peer = forwardedChain(headers).at(-1)
  return peer !== undefined && (settings.trustedProxyCount > 0 || isListedProxy(peer, settings))
}

const firstValue = (value: null | string): string | undefined => value?.split(',')[0]?.trim() || undefined

const HOST_PATTERN = /^[\w.-]+(?::\d{1,5})?$|^\[[\da-f:.]+\](?::\d{1,5})?$/i

/**
 * The origin the request was addressed to: its Host (a trusted proxy's X-Forwarded-Host) and
 * scheme (a trusted proxy's X-Forwarded-Proto, else the request URL's). Only for comparing with
 * what the same client sent (CSRF's own origin) and for answers to that client; never for links
 * that go to someone else (see siteOrigin).
 */
export const requestOrigin = ({
  headers,
  settings,
  url,
}: {
  headers: Headers
  settings: ProxySettings
  url?: string
}): null | string => {
  const isTrusted = isPeerTrusted(headers, settings)
  const host = (isTrusted && firstValue(headers.get('x-forwarded-host'))) || headers.get('host')?.trim()
  if (!host || !HOST_PATTERN.test(host)) {
    return null
  }
  let scheme = isTrusted ? firstValue(headers.get('x-forwarded-proto'))?.toLowerCase() : undefined
  if (scheme !== 'http' && scheme !== 'https') {
    try {
      scheme = url ? new URL(url).protocol.slice(0, -1) : 'http'
    } catch {
      scheme = 'http'
    }
  }
  return `${scheme === 'https' ? 'https' : 'http'}://${host.toLowerCase()}`
}

/** Payload's `serverURL` as an origin (no trailing slash), or '' when it is not set. */
export const serverOrigin = (payload: Pick<Payload, 'config'>): string => (payload.config.serverURL ?? '').replace(/\/+$/, '')

/** Links built from request headers are refused in production (`NODE_ENV=production`). */
export const isProduction = (): boolean => process.env.NODE_ENV === 'production'

/**
 * The origin of links that leave the request (mails) or are handed to a provider (callbacks):
 * Payload's `serverURL`; outside production, the request's own origin. In production without
 * `serverURL` there is none (null): a forged Host header must never become a link in someone
 * else's mailbox or a provider's redirect, so the caller refuses (see logOriginRefused).
 */
export const siteOrigin = ({
  headers,
  payload,
  settings,
  url,
}: {
  headers: Headers
  payload: Pick<Payload, 'config'>
  settings: ProxySettings
  url?: string
}): null | string => {
  const configured = serverOrigin(payload)
  if (configured) {
    return configured
  }
  return isProduction() ? null : requestOrigin({ headers, settings, url })
}

/** The log line of a link siteOrigin could not give: `purpose` names it ("password reset link", "Google callback URL"). */
export const logOriginRefused = (payload: Pick<Payload, 'logger'>, purpose: string): void => {
  payload.logger.error({
    msg: `payload-rest-auth: refused to build the ${purpose} from the request's Host header in production; set serverURL in the Payload config (or a URL without {origin} in the settings).`,
  })
}

/** X-Forwarded-For with `peer` appended, as nginx's `$proxy_add_x_forwarded_for`. */
export const appendForwardedFor = (existing: string | string[] | undefined | null, peer: string | undefined): string => {
  const previous = (Array.isArray(existing) ? existing.join(', ') : (existing ?? '')).trim()
  const address = peer ?? UNKNOWN
  return previous ? `${previous}, ${address}` : address
}

const PEER_FLAG = Symbol.for('payload-rest-auth.forwardPeerAddress')

/** Whether forwardPeerAddress() runs in this process (bundles share the flag through globalThis). */
export const isPeerAddressForwarded = (): boolean => (globalThis as Record<symbol, unknown>)[PEER_FLAG] === true

/**
 * Makes every HTTP server of this process append the socket's peer address to X-Forwarded-For
 * before the request is handled, as a reverse proxy would. Call it once from Next.js's
 * `instrumentation.ts` (`register`, Node.js runtime): Next.js only fills the header when a request
 * has none, so without this a client chooses the address its per-client limits count against.
 * Uses Node's `http.server.request.start` diagnostics channel, published before the request event.
 */
export const forwardPeerAddress = (): void => {
  if (isPeerAddressForwarded()) {
    return
  }
  ;(globalThis as Record<symbol, unknown>)[PEER_FLAG] = true
  subscribe('http.server.request.start', (message) => {
    const { request } = message as { request: IncomingMessage }
    request.headers['x-forwarded-for'] = appendForwardedFor(request.headers['x-forwarded-for'], request.socket?.remoteAddress)
  })
}

/**
 * Said once at start: what the deployment leaves the client address and the links to. Next.js
 * sets NEXT_RUNTIME in its server bundles; there, without forwardPeerAddress(), a client's own
 * X-Forwarded-For reaches the plugin unchanged.
 */
export const warnAboutForwarding = (payload: Pick<Payload, 'config' | 'logger'>): void => {
  if (process.env.NEXT_RUNTIME && !isPeerAddressForwarded()) {
    payload.logger.warn({
      msg: 'payload-rest-auth: Next.js passes a client\'s own X-Forwarded-For through unchanged, so per-client rate limits can be dodged. Call forwardPeerAddress() from instrumentation.ts (see the README, "Client address").',
    })
  }
  if (isProduction() && !serverOrigin(payload)) {
    payload.logger.warn({
      msg: 'payload-rest-auth: serverURL is not set: mails and provider callbacks whose URL uses {origin} will be refused in production.',
    })
  }
}
