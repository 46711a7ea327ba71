import type { EndpointContext } from '../../http/defineEndpoint.js'
import type { Schema } from '../../http/fields.js'
import type { RequestData } from '../../http/parseBody.js'
import type { AuthMethod } from '../../sessions/types.js'
import type { RestAuthUser } from '../../types.js'

/**
 * One way to prove again who you are, for `reauthenticate/` and the `methods` of a
 * `reauthentication_required` answer. Each lives in its own module and is listed in
 * `src/auth/reauthentication/index.ts`: the password here, a TOTP code and a passkey assertion
 * where those features live.
 */
export type ReauthenticationMethod = {
  /** The body fields it reads (OPTIONS and the endpoint's contract list every method's). */
  fields: Schema
  /** Its name in `methods` and on the session's recorded methods: `password`, `totp`, `webauthn`. */
  id: string
  /** Whether the request's body is meant for this method (its field is present). */
  isChosen: (data: RequestData) => boolean
  /** Whether the user can use it now (has a usable password, has a TOTP device…). */
  isAvailable: (args: { ctx: EndpointContext; user: RestAuthUser }) => Promise<boolean>
  /**
   * Checks the proof; a wrong one throws a RestAuthError in dj-rest-auth's shape (field errors).
   * Returns what is recorded on the session.
   */
  verify: (args: { ctx: EndpointContext; user: RestAuthUser }) => Promise<AuthMethod>
}
