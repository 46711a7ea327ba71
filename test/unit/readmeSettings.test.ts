import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

import { settingDefinitions, settingKeys } from '../../src/settings/definitions.js'

const readme = readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../README.md'), 'utf8')

/** `| \`key\` | django name | default | meaning |` rows of the README's settings tables. */
const rows = new Map(
  [...readme.matchAll(/^\| `(\w+)` \| ([^|]*) \| ([^|]*) \| (.*) \|$/gm)].map(([, key, django, fallback, meaning]) => [
    key!,
    { django: django!.trim(), fallback: fallback!.trim(), meaning: meaning!.trim() },
  ]),
)

const shown = (value: unknown): string => (value === '' ? '""' : `\`${String(value)}\``)

/** The settings table is the one place settings are documented; the README must not drift from it. */
describe('README settings tables', () => {
  it.each(settingKeys)('%s is documented with its current default, name and meaning', (key) => {
    const def = settingDefinitions[key]
    const row = rows.get(key)
    expect(row, `README has no row for ${key}`).toBeDefined()
    expect(row!.fallback).toBe(shown(def.default))
    expect(row!.django).toBe('django' in def && def.django ? `\`${def.django}\`` : '—')
    expect(row!.meaning).toBe(def.description.replace(/\|/g, '\\|'))
  })
})
