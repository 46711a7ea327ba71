/** A field name → messages map, dj-rest-auth's error shape (`non_field_errors` for the form as a whole). */
export type FieldErrors = Record<string, string[]>

/** `{"detail"}`, with simplejwt's `code` (and `messages` for a bad access token, `methods` for reauthentication_required), or field errors. */
export type ErrorBody =
  | { code?: string; detail: string; messages?: Record<string, string>[]; methods?: string[] }
  | FieldErrors
  | { [field: string]: FieldErrors | string[] }

export type RestAuthErrorInit = {
  body: ErrorBody
  /** What went wrong underneath (a TokenError, a provider's HTTP failure…): logged, never answered. */
  cause?: unknown
  /** Set-Cookie values the answer carries all the same (a failed JWT logout still clears the cookies). */
  cookies?: string[]
  headers?: Record<string, string>
  status: number
}

/**
 * The one error type of the API, as hono's HTTPException: every failure an endpoint answers is one
 * of these, with its status, dj-rest-auth's body, the headers and cookies of the answer, and the
 * cause. `errorResponse` (src/http/responses.ts) turns it into the response.
 */
export class RestAuthError extends Error {
  readonly body: ErrorBody
  readonly cookies: string[]
  readonly headers: Record<string, string>
  readonly status: number

  constructor({ body, cause, cookies = [], headers = {}, status }: RestAuthErrorInit) {
    super('detail' in body && typeof body.detail === 'string' ? body.detail : JSON.stringify(body), cause === undefined ? undefined : { cause })
    this.name = 'RestAuthError'
    this.body = body
    this.cookies = cookies
    this.headers = headers
    this.status = status
  }
}

export const fieldErrors = (errors: FieldErrors): RestAuthError => new RestAuthError({ body: errors, status: 400 })

export const nonFieldError = (message: string): RestAuthError =>
  new RestAuthError({ body: { non_field_errors: [message] }, status: 400 })

export const detailError = (status: number, detail: string, { cause, code }: { cause?: unknown; code?: string } = {}): RestAuthError =>
  new RestAuthError({ body: code ? { code, detail } : { detail }, cause, status })
