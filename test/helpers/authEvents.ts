import type { Payload, Where } from 'payload'

/** A row of the security log (`auth-events`) as the tests read it: relations as ids. */
export type AuthEventRow = {
  createdAt: string
  detail: unknown
  id: number | string
  method: null | string
  session: null | string
  subject: null | string
  type: string
  user: null | number | string
}

/** The security log's rows matching `where`, in the order they were written (by id: two rows may share a millisecond). */
export const findAuthEvents = async (payload: Payload, where: Where = {}): Promise<AuthEventRow[]> =>
  (await payload.find({ collection: 'auth-events' as never, depth: 0, overrideAccess: true, pagination: false, sort: 'id', where }))
    .docs as unknown as AuthEventRow[]
