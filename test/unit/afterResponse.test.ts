import { setTimeout as sleep } from 'node:timers/promises'
import { afterEach, describe, expect, it, vi } from 'vitest'

import { afterResponse } from '../../src/utilities/afterResponse.js'

/** Mails that only known accounts get start at a random moment within 250 ms of the answer. */
describe('afterResponse', () => {
  afterEach(() => {
    // The spy first: restored after the real timers it would put the fake setTimeout back.
    vi.restoreAllMocks()
    vi.useRealTimers()
  })

  it('starts each task once, after a random delay of at most 250 ms', async () => {
    vi.useFakeTimers()
    const delays: number[] = []
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout')
    let runs = 0
    for (let i = 0; i < 40; i += 1) {
      afterResponse(async () => {
        runs += 1
      })
    }
    for (const call of setTimeoutSpy.mock.calls) {
      delays.push(Number(call[1]))
    }
    expect(runs).toBe(0)
    expect(delays).toHaveLength(40)
    expect(delays.every((ms) => Number.isInteger(ms) && ms >= 0 && ms <= 250)).toBe(true)
    expect(new Set(delays).size).toBeGreaterThan(5)
    await vi.advanceTimersByTimeAsync(250)
    expect(runs).toBe(40)
  })

  it('a failing task is swallowed: it runs, and its rejection never reaches the process (it logs its own errors)', async () => {
    const unhandled: unknown[] = []
    const onUnhandled = (reason: unknown) => unhandled.push(reason)
    process.on('unhandledRejection', onUnhandled)
    try {
      vi.useFakeTimers()
      let isStarted = false
      afterResponse(async () => {
        isStarted = true
        throw new Error('smtp down')
      })
      await vi.advanceTimersByTimeAsync(250)
      expect(isStarted).toBe(true)
      // Node reports a rejection nobody handled once the current turn is over: let real time pass
      // (node:timers, which fake timers leave alone).
      await sleep(20)
      expect(unhandled).toEqual([])
    } finally {
      process.off('unhandledRejection', onUnhandled)
    }
  })
})
