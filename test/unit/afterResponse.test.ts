import { afterEach, describe, expect, it, vi } from 'vitest'

import { afterResponse } from '../../src/utilities/afterResponse.js'

/** Mails that only known accounts get start at a random moment within 250 ms of the answer. */
describe('afterResponse', () => {
  afterEach(() => {
    vi.useRealTimers()
    vi.restoreAllMocks()
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

  it('a failing task is swallowed (it logs its own errors)', async () => {
    vi.useFakeTimers()
    afterResponse(async () => {
      throw new Error('smtp down')
    })
    await expect(vi.advanceTimersByTimeAsync(250)).resolves.not.toThrow()
  })
})
