export type Rate = { durationSeconds: number; points: number }

const PERIODS: Record<string, number> = { d: 86400, h: 3600, m: 60, s: 1 }

/** DRF's rate syntax: "<count>/<period>", the period read by its first letter (s, m, h, d). */
export const parseRate = (rate: string): null | Rate => {
  const match = /^\s*(\d{1,9})\s*\/\s*([smhd])[a-z]*\s*$/i.exec(rate)
  if (!match) {
    return null
  }
  const points = Number(match[1])
  return points > 0 ? { durationSeconds: PERIODS[match[2]!.toLowerCase()]!, points } : null
}
