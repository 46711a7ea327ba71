import type { PayloadRequest } from 'payload'

import type { RestAuthUser, SanitizedRestAuthOptions } from '../types.js'

/** UserDetailsSerializer: pk, username, email, first_name, last_name, plus the configured extra fields. */
export const serializeUser = async ({
  options,
  req,
  user,
}: {
  options: SanitizedRestAuthOptions
  req: PayloadRequest
  user: RestAuthUser
}): Promise<Record<string, unknown>> => {
  const body: Record<string, unknown> = {
    pk: user.id,
    username: user.username ?? '',
    email: user.email ?? '',
    first_name: user.first_name ?? '',
    last_name: user.last_name ?? '',
  }
  for (const field of options.userDetailsFields) {
    body[field.name] = await field.read({ req, user })
  }
  return body
}
