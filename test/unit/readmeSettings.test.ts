import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

import type { SettingDefinition } from '../../src/settings/definitions.js'

import { settingDefinitions, settingKeys } from '../../src/settings/definitions.js'

const readme = readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../README.md'), 'utf8')

/** `| \`key\` | django name | default | meaning |` rows of the README's settings tables (`oidcProviders.slug` for a field of a list's rows). */
const rows = new Map(
  [...readme.matchAll(/^\| `([\w.]+)` \| ([^|]*) \| ([^|]*) \| (.*) \|$/gm)].map(([, key, django, fallback, meaning]) => [
    key!,
    { django: django!.trim(), fallback: fallback!.trim(), meaning: meaning!.trim() },
  ]),
)

const shown = (value: unknown): string => (value === '' ? '""' : Array.isArray(value) ? `\`${JSON.stringify(value)}\`` : `\`${String(value)}\``)

/** Every setting, and every field of a list setting's rows, with its definition. */
const documented = settingKeys.flatMap((key): [string, { default: unknown; description: string; django?: string }][] => {
  const def = settingDefinitions[key] as SettingDefinition
  return [[key, def], ...(def.type === 'rows' ? Object.entries(def.fields).map(([field, fieldDef]) => [`${key}.${field}`, fieldDef] as [string, typeof fieldDef]) : [])]
})

/** The settings table is the one place settings are documented; the README must not drift from it. */
describe('README settings tables', () => {
  it.each(documented)('%s is documented with its current default, name and meaning', (key, def) => {
    const row = rows.get(key)
    expect(row, `README has no row for ${key}`).toBeDefined()
    expect(row!.fallback).toBe(shown(def.default))
    expect(row!.django).toBe('django' in def && def.django ? `\`${def.django}\`` : '—')
    expect(row!.meaning).toBe(def.description.replace(/\|/g, '\\|'))
  })
})
