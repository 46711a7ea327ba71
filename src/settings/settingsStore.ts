import type { Payload } from 'payload'

import type { OpenIdConnectRow } from '../providers/openIdConnect.js'
import type { RestAuthSettings, SettingKey } from './definitions.js'

import { rowSlugOf } from '../providers/openIdConnect.js'
import { settingKeys } from './definitions.js'
import { localApi } from '../utilities/localApi.js'

type Row = OpenIdConnectRow

/**
 * The OpenID Connect providers: the rows saved in the global, then those of the plugin's options
 * whose slug no saved row has (a saved row of the same slug overrides one, as any saved setting
 * does). A saved row without a secret takes the plugin option's, as a write-only setting left
 * empty in the global does.
 */
export const mergeProviderRows = (saved: unknown, base: Row[]): Row[] => {
  const rows = Array.isArray(saved) ? (saved as Row[]) : []
  const baseBySlug = new Map(base.map((row) => [rowSlugOf(row), row]))
  const merged = rows.map((row) => {
    const fallback = baseBySlug.get(rowSlugOf(row))
    return !row.secret && fallback?.secret ? { ...row, secret: fallback.secret } : row
  })
  const savedSlugs = new Set(rows.map(rowSlugOf))
  return [...merged, ...base.filter((row) => !savedSlugs.has(rowSlugOf(row)))]
}

export type SettingsStore = {
  /** The effective settings: saved global value, else plugin option, else the default. */
  get: (payload: Payload) => Promise<RestAuthSettings>
  /** Forget the cached global so the next request reads it again. */
  invalidate: (payload: Payload) => void
}

type CacheEntry = { expiresAt: number; value: Promise<RestAuthSettings> }

/**
 * One store per plugin instance; the cache is keyed by Payload instance so several Payload apps in
 * one process (tests) never share settings. A save in the admin invalidates this instance at once;
 * other instances see it within `ttlMs`.
 */
export const createSettingsStore = ({
  baseSettings,
  globalSlug,
  ttlMs,
}: {
  baseSettings: RestAuthSettings
  globalSlug: string
  ttlMs: number
}): SettingsStore => {
  const cache = new WeakMap<Payload, CacheEntry>()

  const load = async (payload: Payload): Promise<RestAuthSettings> => {
    const saved = (await localApi(payload).findGlobal({
      slug: globalSlug,
      depth: 0,
      overrideAccess: true,
    })) as Record<string, unknown>
    const effective = { ...baseSettings } as Record<SettingKey, unknown>
    for (const key of settingKeys) {
      const value = saved?.[key]
      if (value !== null && value !== undefined) {
        effective[key] = value
      }
    }
    effective.oidcProviders = mergeProviderRows(saved?.oidcProviders, baseSettings.oidcProviders)
    return effective as RestAuthSettings
  }

  return {
    get: (payload) => {
      const now = Date.now()
      const hit = cache.get(payload)
      if (hit && hit.expiresAt > now) {
        return hit.value
      }
      const value = load(payload)
      cache.set(payload, { expiresAt: now + ttlMs, value })
      value.catch(() => cache.delete(payload))
      return value
    },
    invalidate: (payload) => {
      cache.delete(payload)
    },
  }
}
