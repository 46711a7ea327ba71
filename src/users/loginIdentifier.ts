import type { RestAuthSettings } from '../types.js'

import { normalizeIdentifier, usernameIdentifier } from './findUser.js'

export type LoginIdentifier = { field: 'email' | 'username'; value: string }

const present = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() ? value : undefined)

/**
 * What login/ looks the user up by, as allauth's ACCOUNT_AUTHENTICATION_METHOD decides: the e-mail
 * in `email` mode, the username in `username` mode, the e-mail if given else the username in
 * `username_email` mode. The other field is ignored — and so must be by the per-account rate
 * limit and the back-off, which key on this value: a decoy in the unused field changes nothing.
 * Null when the field the method needs is missing.
 */
export const loginIdentifier = (
  data: { email?: unknown; username?: unknown },
  method: RestAuthSettings['accountAuthenticationMethod'],
): LoginIdentifier | null => {
  const email = method === 'username' ? undefined : present(data.email)
  const username = method === 'email' ? undefined : present(data.username)
  if (email !== undefined) {
    return { field: 'email', value: normalizeIdentifier(email) }
  }
  if (username !== undefined) {
    return { field: 'username', value: usernameIdentifier(username) }
  }
  return null
}
