/** A field name → messages map, dj-rest-auth's error shape (`non_field_errors` for the form as a whole). */
export type FieldErrors = Record<string, string[]>

/** `{"detail"}`, with simplejwt's `code` (and `messages` for a bad access token, `methods` for reauthentication_required), or field errors. */
export type ErrorBody = { code?: string; detail: string; messages?: Record<string, string>[]; methods?: string[] } | FieldErrors

/**
 * The one error type of the API. Every failure an endpoint answers is one of these; `errorResponse`
 * turns it into dj-rest-auth's JSON.
 */
export class RestAuthError extends Error {
  readonly body: ErrorBody
  readonly headers: Record<string, string>
  readonly status: number

  constructor({ body, headers = {}, status }: { body: ErrorBody; headers?: Record<string, string>; status: number }) {
    super('detail' in body && typeof body.detail === 'string' ? body.detail : JSON.stringify(body))
    this.name = 'RestAuthError'
    this.body = body
    this.headers = headers
    this.status = status
  }
}

export const fieldErrors = (errors: FieldErrors): RestAuthError => new RestAuthError({ body: errors, status: 400 })

export const nonFieldError = (message: string): RestAuthError =>
  new RestAuthError({ body: { non_field_errors: [message] }, status: 400 })

export const detailError = (status: number, detail: string, code?: string): RestAuthError =>
  new RestAuthError({ body: code ? { code, detail } : { detail }, status })
