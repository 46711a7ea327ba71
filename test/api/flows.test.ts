import type { PayloadRequest } from 'payload'

import { createLocalReq } from 'payload'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'

import type { SanitizedRestAuthOptions } from '../../src/types.js'
import type { TestApp } from '../helpers/server.js'

import { checkFlowSecret, consumeFlow, findFlow, reserveAttempt, startFlow, updateFlow } from '../../src/flows/flowStore.js'
import { setClock } from '../../src/utilities/clock.js'
import { pluginOptionsOf } from '../../src/utilities/pluginOptions.js'
import { call } from '../helpers/client.js'
import { testDatabases } from '../helpers/database.js'
import { startTestApp } from '../helpers/server.js'
import { createUser } from '../helpers/users.js'

/**
 * The flow store under the second factor, mailed codes and passkey challenges: single use and
 * bounded guessing must hold under concurrency on every database.
 */
describe.each(testDatabases())('authentication flows on %s', (db) => {
  let app: TestApp
  let options: SanitizedRestAuthOptions
  let req: PayloadRequest
  let userId: number | string

  beforeAll(async () => {
    app = await startTestApp({ db })
    options = pluginOptionsOf(app.payload)
    req = await createLocalReq({}, app.payload)
    userId = (await createUser(app.payload, { email: 'flo@example.com', username: 'flo' })).id
  })
  afterAll(async () => app?.close())
  afterEach(() => setClock(null))

  const start = (extra: Partial<Parameters<typeof startFlow>[0]> = {}) =>
    startFlow({ kind: 'test', maxAttempts: 5, options, req, secret: 'ABCDEFGH', ttlSeconds: 180, userId, ...extra })

  it('keeps only digests: neither the token nor the secret is stored, and Payload never shows the row’s secrets', async () => {
    const { flow, token } = await start({ data: { challenge: 'c1' } })
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    const raw = await app.payload.findByID({ collection: 'auth-flows' as never, id: flow.id, overrideAccess: true, showHiddenFields: true })
    const stored = JSON.stringify(raw)
    expect(stored).not.toContain(token)
    expect(stored).not.toContain('ABCDEFGH')
    const visible = await app.payload.findByID({ collection: 'auth-flows' as never, id: flow.id, overrideAccess: true })
    expect(Object.keys(visible)).not.toEqual(expect.arrayContaining(['tokenDigest']))
    expect(visible).not.toHaveProperty('secretDigest')
    expect(visible).not.toHaveProperty('data')
    // Nobody reads flows over REST but staff, and staff do not see digests either.
    const anonymous = await call(`${app.apiUrl}/auth-flows/${flow.id}`, 'GET')
    expect(anonymous.status).toBe(403)
    const lookup = await findFlow({ kind: 'test', options, req, token })
    expect(lookup).toMatchObject({ flow: { data: { challenge: 'c1' }, email: null, user: userId }, status: 'ok' })
  })

  it('a secret matches only its own flow, and a flow only under its kind', async () => {
    const first = await start()
    const second = await start({ secret: 'ZZZZZZZZ' })
    expect((await checkFlowSecret({ kind: 'test', options, req, secret: 'ZZZZZZZZ', token: first.token })).isMatch).toBe(false)
    expect((await checkFlowSecret({ kind: 'test', options, req, secret: 'ZZZZZZZZ', token: second.token })).isMatch).toBe(true)
    expect((await checkFlowSecret({ kind: 'test', options, req, secret: 'ABCDEFGH', token: first.token })).isMatch).toBe(true)
    expect((await findFlow({ kind: 'other', options, req, token: first.token })).status).toBe('unknown')
    expect((await findFlow({ kind: 'test', options, req, token: 'not a token' })).status).toBe('unknown')
  })

  it('dies after its attempts: the right secret is refused once the wrong ones used them up', async () => {
    const { token } = await start({ maxAttempts: 3 })
    for (let i = 0; i < 2; i += 1) {
      const result = await checkFlowSecret({ kind: 'test', options, req, secret: `WRONG${i}`, token })
      expect(result).toMatchObject({ isMatch: false, lookup: { status: 'ok' } })
    }
    expect((await checkFlowSecret({ kind: 'test', options, req, secret: 'WRONG2', token })).lookup.status).toBe('exhausted')
    const late = await checkFlowSecret({ kind: 'test', options, req, secret: 'ABCDEFGH', token })
    expect(late).toMatchObject({ isMatch: false, lookup: { status: 'exhausted' } })
  })

  it('checks at most maxAttempts guesses however many arrive at once', async () => {
    const { flow, token } = await start({ maxAttempts: 5 })
    const reservations = await Promise.all(Array.from({ length: 25 }, () => reserveAttempt({ kind: 'test', options, req, token })))
    expect(reservations.filter((reservation) => reservation.row !== null)).toHaveLength(5)
    expect(reservations.filter((reservation) => reservation.row === null).every((r) => r.lookup.status === 'exhausted')).toBe(true)
    const row = (await app.payload.findByID({ collection: 'auth-flows' as never, id: flow.id, overrideAccess: true })) as unknown as { attempts: number }
    expect(row.attempts).toBe(5)
    const guesses = await Promise.all(
      Array.from({ length: 10 }, (_, i) => checkFlowSecret({ kind: 'test', options, req, secret: i === 9 ? 'ABCDEFGH' : `GUESS${i}`, token })),
    )
    expect(guesses.some((guess) => guess.isMatch)).toBe(false)
  })

  it('is consumed exactly once by parallel completions, and is gone for good afterwards', async () => {
    const { flow, token } = await start({ maxAttempts: 10 })
    const matches = await Promise.all(Array.from({ length: 8 }, () => checkFlowSecret({ kind: 'test', options, req, secret: 'ABCDEFGH', token })))
    expect(matches.every((match) => match.isMatch && match.lookup.status === 'ok')).toBe(true)
    const wins = await Promise.all(matches.map((match) => consumeFlow({ flow: (match.lookup as { flow: typeof flow }).flow, options, req })))
    expect(wins.filter(Boolean)).toHaveLength(1)
    expect((await findFlow({ kind: 'test', options, req, token })).status).toBe('consumed')
    expect(await consumeFlow({ flow, options, req })).toBe(false)
    expect((await checkFlowSecret({ kind: 'test', options, req, secret: 'ABCDEFGH', token })).lookup.status).toBe('consumed')
  })

  it('expires by the plugin clock, and an expired flow cannot be consumed or changed', async () => {
    const { flow, token } = await start({ ttlSeconds: 60 })
    setClock(() => Date.now() + 61_000)
    expect((await findFlow({ kind: 'test', options, req, token })).status).toBe('expired')
    expect((await checkFlowSecret({ kind: 'test', options, req, secret: 'ABCDEFGH', token })).isMatch).toBe(false)
    expect(await consumeFlow({ flow, options, req })).toBe(false)
    expect(await updateFlow({ data: { x: 1 }, flow, options, req })).toBeNull()
  })

  it('a new secret voids the old one at once', async () => {
    const { flow, token } = await start()
    const updated = await updateFlow({ flow, options, req, secret: 'NEWCODE1', token, ttlSeconds: 180 })
    expect(updated).not.toBeNull()
    expect((await checkFlowSecret({ kind: 'test', options, req, secret: 'ABCDEFGH', token })).isMatch).toBe(false)
    expect((await checkFlowSecret({ kind: 'test', options, req, secret: 'NEWCODE1', token })).isMatch).toBe(true)
  })
})
