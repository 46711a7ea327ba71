import http from 'node:http'
import { describe, expect, it } from 'vitest'

import { appendForwardedFor, clientAddress, forwardPeerAddress, parseTrustedProxies, requestOrigin } from '../../src/http/forwarded.js'

const headers = (values: Record<string, string>) => new Headers(values)
const trust = (settings: { trustedProxies?: string; trustedProxyCount?: number }) => ({ trustedProxies: '', trustedProxyCount: 0, ...settings })

/**
 * The one reader of X-Forwarded-For/-Host/-Proto: the right-most entry is the app server's peer
 * (appended by the server, as a reverse proxy does); trusted proxies are skipped from the right.
 */
describe('client address from X-Forwarded-For', () => {
  it.each([
    ['trust none: the peer, whatever the client wrote', 'spoof, 203.0.113.9', trust({}), '203.0.113.9'],
    ['no header at all', '', trust({}), 'unknown'],
    ['one counted proxy: the entry it appended', 'spoof, 198.51.100.4, 10.0.0.2', trust({ trustedProxyCount: 1 }), '198.51.100.4'],
    ['two counted proxies', 'spoof, 198.51.100.4, 10.0.0.3, 10.0.0.2', trust({ trustedProxyCount: 2 }), '198.51.100.4'],
    ['a direct request with fewer hops than counted: the left-most', '10.0.0.2', trust({ trustedProxyCount: 1 }), '10.0.0.2'],
    ['listed proxies are skipped, the first other entry is the client', 'spoof, 198.51.100.4, 10.1.2.3, 127.0.0.1', trust({ trustedProxies: '127.0.0.1, 10.0.0.0/8' }), '198.51.100.4'],
    ['a listed proxy in front only: a peer not on the list is the client', 'spoof, 198.51.100.4', trust({ trustedProxies: '10.0.0.0/8' }), '198.51.100.4'],
    ['IPv6 ranges and mapped IPv4 peers', 'spoof, 2001:db8::7, ::ffff:10.0.0.9', trust({ trustedProxies: '10.0.0.0/8 fd00::/8' }), '2001:db8::7'],
    ['IPv6 proxies by range', 'spoof, 2001:db8::7, fd00::1', trust({ trustedProxies: 'fd00::/8' }), '2001:db8::7'],
    ['ports and brackets are dropped', '[2001:db8::8]:4711, 192.0.2.1:443', trust({ trustedProxies: '192.0.2.1' }), '2001:db8::8'],
  ])('%s', (_, forwarded, settings, expected) => {
    expect(clientAddress(headers(forwarded ? { 'x-forwarded-for': forwarded } : {}), settings)).toBe(expected)
  })

  it('refuses what is not an address or range', () => {
    expect(parseTrustedProxies('10.0.0.0/8 fd00::/8 127.0.0.1').invalid).toEqual([])
    expect(parseTrustedProxies('10.0.0.0/33 example.com 1.2.3 fd00::/129').invalid).toEqual(['10.0.0.0/33', 'example.com', '1.2.3', 'fd00::/129'])
  })
})

describe('request origin', () => {
  const forged = { host: 'api.example.com', 'x-forwarded-for': '203.0.113.9', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' }

  it('believes X-Forwarded-Host and -Proto only from a trusted proxy', () => {
    expect(requestOrigin({ headers: headers(forged), settings: trust({}), url: 'http://api.example.com/x' })).toBe('http://api.example.com')
    expect(requestOrigin({ headers: headers(forged), settings: trust({ trustedProxies: '203.0.113.0/24' }) })).toBe('https://evil.example')
    expect(requestOrigin({ headers: headers(forged), settings: trust({ trustedProxyCount: 1 }) })).toBe('https://evil.example')
  })

  it('refuses a Host that is not a host', () => {
    expect(requestOrigin({ headers: headers({ host: 'evil.example/phish?' }), settings: trust({}) })).toBeNull()
  })
})

describe('forwardPeerAddress (Next.js instrumentation)', () => {
  it('makes a node:http server append the socket peer to X-Forwarded-For, before any handler', async () => {
    forwardPeerAddress()
    forwardPeerAddress()
    const server = http.createServer((req, res) => res.end(String(req.headers['x-forwarded-for'])))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as { port: number }
    try {
      const forgedAnswer = await (await fetch(`http://127.0.0.1:${port}/`, { headers: { 'x-forwarded-for': '6.6.6.6' } })).text()
      expect(forgedAnswer).toMatch(/^6\.6\.6\.6, (::ffff:)?127\.0\.0\.1$/)
      expect(clientAddress(headers({ 'x-forwarded-for': forgedAnswer }), trust({}))).toBe('127.0.0.1')
      expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toMatch(/^(::ffff:)?127\.0\.0\.1$/)
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  })

  it('appendForwardedFor keeps what came before', () => {
    expect(appendForwardedFor(['1.1.1.1', '2.2.2.2'], '3.3.3.3')).toBe('1.1.1.1, 2.2.2.2, 3.3.3.3')
    expect(appendForwardedFor(undefined, undefined)).toBe('unknown')
  })
})
