/**
 * How a user proved who they are, recorded on their session: `password`, `social` (with
 * `provider`), and what later flows add (`code`, `totp`, `recovery_codes`, `webauthn`…). Any extra
 * keys are kept as given (no secrets: they are shown to the user in sessions/).
 */
export type AuthMethod = {
  [detail: string]: unknown
  method: string
  provider?: string
}

/** An AuthMethod as stored: with the moment it was used (allauth's `authentication_methods`). */
export type RecordedAuthMethod = { at: string } & AuthMethod

/** An `auth-sessions` row as the plugin reads it. */
export type AuthSessionRow = {
  authenticatedAt: string
  createdAt: string
  device?: null | string
  endedAt?: null | string
  endReason?: null | string
  expiresAt?: null | string
  id: number | string
  ipAddress?: null | string
  kinds?: null | string[]
  lastSeenAt?: null | string
  methods?: null | RecordedAuthMethod[]
  publicId: string
  user: number | string | { id: number | string }
  userAgent?: null | string
}

export const sessionUserId = (row: Pick<AuthSessionRow, 'user'>): number | string =>
  typeof row.user === 'object' && row.user !== null ? row.user.id : row.user
