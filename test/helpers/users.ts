import type { Payload } from 'payload'

export const PASSWORD = 'Xk9!pq2mZz'
export const NEW_PASSWORD = 'Qw7#rt5nLp'

/** Creates a user straight through the Local API (registration is tested on its own). */
export const createUser = async (
  payload: Payload,
  data: { email?: string; first_name?: string; is_active?: boolean; is_staff?: boolean; last_name?: string; password?: string; username: string },
) =>
  (await payload.create({
    collection: 'users',
    data: { password: PASSWORD, ...data } as never,
    overrideAccess: true,
  })) as unknown as { email: string; id: number | string; username: string }
