import type { AuthSessionRow } from './types.js'

/** One session as `sessions/` answers it: never a database id, a key or a digest. */
export type SessionInfo = {
  authenticated_at: string
  created_at: string
  device: string
  expires_at: null | string
  id: string
  ip_address: null | string
  is_current: boolean
  kinds: string[]
  last_seen_at: null | string
  methods: { [detail: string]: unknown; at: string; method: string }[]
  user_agent: string
}

export const serializeSession = (row: AuthSessionRow, currentId: string | undefined): SessionInfo => ({
  id: row.publicId,
  device: row.device ?? '',
  user_agent: row.userAgent ?? '',
  ip_address: row.ipAddress || null,
  kinds: row.kinds ?? [],
  methods: row.methods ?? [],
  created_at: row.createdAt,
  last_seen_at: row.lastSeenAt ?? null,
  authenticated_at: row.authenticatedAt,
  expires_at: row.expiresAt ?? null,
  is_current: row.publicId === currentId,
})
