import type { Endpoint } from 'payload'

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'

import type { ApiServer } from '../../src/exports/server.js'
import type { TestConfig } from '../helpers/server.js'

import { startApiServer } from '../../src/exports/server.js'
import { clientAddress } from '../../src/http/forwarded.js'
import { call } from '../helpers/client.js'
import { testDatabases } from '../helpers/database.js'
import { buildTestConfig, silencePool } from '../helpers/server.js'
import { createUser, PASSWORD } from '../helpers/users.js'

/** A route that answers once `release` is called: a request in flight during a shutdown. */
const slowRoute = () => {
  let release: () => void = () => undefined
  let started: () => void = () => undefined
  const hasStarted = new Promise<void>((resolve) => {
    started = resolve
  })
  const endpoint: Endpoint = {
    handler: async () => {
      started()
      await new Promise<void>((resolve) => {
        release = resolve
      })
      return Response.json({ slow: 'done' })
    },
    method: 'get',
    path: '/slow',
  }
  return { endpoint, hasStarted, release: () => release() }
}

const echoForwarded: Endpoint = {
  handler: (req) =>
    Response.json({
      client: clientAddress(req.headers, { trustedProxies: '', trustedProxyCount: 0 }),
      forwardedFor: req.headers.get('x-forwarded-for'),
    }),
  method: 'get',
  path: '/echo-forwarded',
}

const poweredBy: Endpoint = {
  handler: () => Response.json({ ok: true }, { headers: { 'x-powered-by': 'Express' } }),
  method: 'get',
  path: '/powered-by',
}

const CORS_ORIGIN = 'http://app.example'

const stopServer = async (server: ApiServer | undefined, test: TestConfig | undefined) => {
  if (server?.payload && test) {
    await server.close()
    silencePool(server.payload)
    await test.database.drop()
  }
}

describe.each(testDatabases())('standalone API server on %s', (db) => {
  let test: TestConfig
  let server: ApiServer
  const slow = slowRoute()

  beforeAll(async () => {
    test = await buildTestConfig({ config: { cors: [CORS_ORIGIN], endpoints: [slow.endpoint, echoForwarded, poweredBy] }, db })
    server = await startApiServer({
      config: test.config,
      drainDelayMs: 400,
      handleSignals: false,
      host: '127.0.0.1',
      payloadInstanceCacheKey: test.key,
      port: 0,
    })
    await createUser(server.payload!, { email: 'bob@example.com', username: 'bob' })
  })
  afterAll(async () => stopServer(server, test))

  it("serves the plugin's routes and Payload's own through handleEndpoints", async () => {
    const anonymous = await call(`${server.url}/api/dj-rest-auth/user/`, 'GET')
    expect(anonymous.status).toBe(403)
    expect(anonymous.body).toEqual({ detail: 'Authentication credentials were not provided.' })
    const login = await call(`${server.url}/api/dj-rest-auth/login/`, 'POST', { body: { password: PASSWORD, username: 'bob' } })
    expect(login.status).toBe(200)
    const me = await call(`${server.url}/api/dj-rest-auth/user/`, 'GET', { token: login.body.key })
    expect(me.body.username).toBe('bob')
    const payloadLogin = await call(`${server.url}/api/users/login`, 'POST', { body: { password: PASSWORD, username: 'bob' } })
    expect(payloadLogin.status).toBe(200)
    expect((await call(`${server.url}/api/nothing-here`, 'GET')).status).toBe(404)
  })

  it('appends the peer address to X-Forwarded-For, so a client cannot choose its own', async () => {
    const spoofed = await call(`${server.url}/api/echo-forwarded`, 'GET', { headers: { 'x-forwarded-for': '203.0.113.9' } })
    expect(spoofed.body).toEqual({ client: '127.0.0.1', forwardedFor: '203.0.113.9, 127.0.0.1' })
    const plain = await call(`${server.url}/api/echo-forwarded`, 'GET')
    expect(plain.body).toEqual({ client: '127.0.0.1', forwardedFor: '127.0.0.1' })
  })

  it('sends no X-Powered-By, whoever sets it', async () => {
    const res = await call(`${server.url}/api/powered-by`, 'GET')
    expect(res.status).toBe(200)
    expect(res.headers.get('x-powered-by')).toBeNull()
    expect((await call(`${server.url}/api/dj-rest-auth/user/`, 'GET')).headers.get('x-powered-by')).toBeNull()
  })

  it("answers CORS from Payload's config", async () => {
    const allowed = await call(`${server.url}/api/dj-rest-auth/user/`, 'GET', { headers: { origin: CORS_ORIGIN } })
    expect(allowed.headers.get('access-control-allow-origin')).toBe(CORS_ORIGIN)
    const other = await call(`${server.url}/api/dj-rest-auth/user/`, 'GET', { headers: { origin: 'http://evil.example' } })
    expect(other.headers.get('access-control-allow-origin')).toBeNull()
    const preflight = await call(`${server.url}/api/dj-rest-auth/login/`, 'OPTIONS', {
      headers: { 'access-control-request-method': 'POST', origin: CORS_ORIGIN },
    })
    expect(preflight.status).toBeLessThan(300)
    expect(preflight.headers.get('access-control-allow-origin')).toBe(CORS_ORIGIN)
  })

  it('keeps connections alive past a load balancer idle timeout and bounds request time', async () => {
    expect(server.server!.keepAliveTimeout).toBe(65_000)
    expect(server.server!.requestTimeout).toBe(30_000)
    expect(server.server!.headersTimeout).toBeLessThanOrEqual(server.server!.requestTimeout)
    const res = await call(`${server.url}/api/dj-rest-auth/user/`, 'GET')
    expect(res.headers.get('connection')).toBe('keep-alive')
  })

  it('health: 200 with the database up, 503 when it does not answer', async () => {
    const up = await call(`${server.url}/health`, 'GET')
    expect(up.status).toBe(200)
    expect(up.body).toEqual({ status: 'ok' })
    expect(up.headers.get('cache-control')).toBe('no-store')
    const find = vi.spyOn(server.payload!, 'find').mockRejectedValueOnce(new Error('connection refused'))
    const down = await call(`${server.url}/health`, 'GET')
    find.mockRestore()
    expect(down.status).toBe(503)
    // The reason goes to the log, not to whoever asks.
    expect(down.body).toEqual({ status: 'unavailable' })
  })

  it('drains on close: 503 health and Connection: close while in-flight requests finish, then payload.destroy()', async () => {
    const inFlight = call(`${server.url}/api/slow`, 'GET')
    await slow.hasStarted
    const destroy = vi.spyOn(server.payload!, 'destroy')
    const closing = server.close()
    const health = await call(`${server.url}/health`, 'GET')
    expect(health.status).toBe(503)
    expect(health.body).toEqual({ status: 'draining' })
    const during = await call(`${server.url}/api/dj-rest-auth/user/`, 'GET')
    expect(during.status).toBe(403)
    expect(during.headers.get('connection')).toBe('close')
    expect(destroy).not.toHaveBeenCalled()
    slow.release()
    const finished = await inFlight
    expect(finished.status).toBe(200)
    expect(finished.body).toEqual({ slow: 'done' })
    await closing
    await server.closed
    expect(destroy).toHaveBeenCalledTimes(1)
    await expect(fetch(`${server.url}/health`)).rejects.toThrow()
  })
})

describe.each(testDatabases())("standalone API server, only the plugin's routes, on %s", (db) => {
  let test: TestConfig
  let server: ApiServer

  beforeAll(async () => {
    test = await buildTestConfig({ db })
    server = await startApiServer({
      config: test.config,
      handleSignals: false,
      healthPath: '/ready',
      host: '127.0.0.1',
      payloadInstanceCacheKey: test.key,
      port: 0,
      routes: 'plugin',
    })
  })
  afterAll(async () => stopServer(server, test))

  it("answers 404 outside /api/<routePrefix>/ and serves the plugin's routes", async () => {
    expect((await call(`${server.url}/api/dj-rest-auth/user/`, 'GET')).status).toBe(403)
    const users = await call(`${server.url}/api/users`, 'GET')
    expect(users.status).toBe(404)
    expect(users.body).toEqual({ detail: 'Not found.' })
    expect((await call(`${server.url}/api/dj-rest-authx/user/`, 'GET')).status).toBe(404)
    expect((await call(`${server.url}/ready`, 'GET')).status).toBe(200)
    expect((await call(`${server.url}/health`, 'GET')).status).toBe(404)
  })
})
