import { readFile } from 'node:fs/promises'

/** One object of `manage.py dumpdata` (`--format json` or `--format jsonl`). */
export type DumpRecord = { fields: Record<string, unknown>; model: string; pk?: unknown }

/** The dump cannot be read at all; nothing was imported. */
export class DjangoDumpError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'DjangoDumpError'
  }
}

const isRecord = (value: unknown): value is DumpRecord =>
  Boolean(value) &&
  typeof value === 'object' &&
  typeof (value as DumpRecord).model === 'string' &&
  Boolean((value as DumpRecord).fields) &&
  typeof (value as DumpRecord).fields === 'object'

/** The records of a dump file: a JSON array, or one JSON object per line. */
export const readDump = async (path: string): Promise<DumpRecord[]> => {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    throw new DjangoDumpError(`Cannot read ${path}: ${(err as Error).message}`)
  }
  const isArray = text.trimStart().startsWith('[')
  const lines = isArray ? [text] : text.split('\n')
  const records: unknown[] = []
  lines.forEach((line, index) => {
    if (line.trim() === '') {
      return
    }
    try {
      const parsed: unknown = JSON.parse(line)
      records.push(...(isArray && Array.isArray(parsed) ? parsed : [parsed]))
    } catch (err) {
      throw new DjangoDumpError(`${path}${isArray ? '' : `, line ${index + 1}`} is not JSON: ${(err as Error).message}`)
    }
  })
  const broken = records.findIndex((record) => !isRecord(record))
  if (broken >= 0) {
    throw new DjangoDumpError(`${path}: object ${broken + 1} is not a dumpdata record ({"model", "pk", "fields"}).`)
  }
  return records as DumpRecord[]
}

/**
 * A datetime of the dump as ISO 8601 in UTC. DjangoJSONEncoder writes aware datetimes with `Z` or an
 * offset; naive ones (USE_TZ = False) are taken as UTC.
 */
export const dumpDate = (value: unknown): null | string => {
  if (typeof value !== 'string' || value === '') {
    return null
  }
  const hasZone = /(Z|[+-]\d\d:?\d\d)$/i.test(value)
  const date = new Date(hasZone || !value.includes('T') ? value : `${value}Z`)
  return Number.isNaN(date.getTime()) ? null : date.toISOString()
}
