import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { ProductionApp } from '../helpers/devServer.js'

import { call } from '../helpers/client.js'
import { startProductionApp } from '../helpers/devServer.js'

/**
 * Behind `next start` alone: Next.js passes a client's own X-Forwarded-For through unchanged (it
 * fills the header only when a request has none), so without help a client chooses the address its
 * per-client limits count against. The dev app's instrumentation.ts calls forwardPeerAddress(),
 * which appends the socket's peer before Next.js sees the request; this checks the whole chain in
 * the production server.
 */
describe('the client address behind next start', () => {
  let app: ProductionApp

  beforeAll(async () => {
    app = await startProductionApp()
  }, 20 * 60_000)
  afterAll(async () => app?.close())

  it('a client that rotates X-Forwarded-For still counts as one address', async () => {
    // The dev app's default: registration/ 20/min per client address. Each request claims another.
    const answers = []
    for (let i = 0; i < 21; i += 1) {
      answers.push(await call(`${app.baseUrl}/api/dj-rest-auth/registration/`, 'POST', { body: {}, headers: { 'x-forwarded-for': `198.51.100.${i + 1}` } }))
    }
    expect(answers.slice(0, 20).map((res) => res.status)).toEqual(Array(20).fill(400))
    expect(answers[20]!.status).toBe(429)
    expect(answers[20]!.body.detail).toMatch(/^Request was throttled\. Expected available in \d+ seconds?\.$/)
    expect(app.output()).not.toContain('can be dodged')
  })
})
