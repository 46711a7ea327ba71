import type { PayloadRequest } from 'payload'

/** What the plugin's strategies learned about a request's credentials, kept on `req.context`. */
export type RequestAuth = {
  /** The first authentication failure (DRF answers 403 with it on every endpoint). */
  authError?: string
  /**
   * A failure with its own status and body (simplejwt's 401 `{"detail", "code", "messages"}`),
   * answered when no `authError` came first.
   */
  authFailure?: { body: Record<string, unknown>; headers?: Record<string, string>; status: number }
  credential?: { key?: string; kind: 'jwt' | 'session' | 'token'; tokenId?: number | string }
}

const CONTEXT_KEY = 'restAuth'

export const getRequestAuth = (req: Pick<PayloadRequest, 'context'> | undefined): RequestAuth =>
  ((req?.context as Record<string, unknown> | undefined)?.[CONTEXT_KEY] as RequestAuth | undefined) ?? {}

export const setRequestAuth = (req: Pick<PayloadRequest, 'context'> | undefined, update: RequestAuth): void => {
  if (!req) {
    return
  }
  const current = getRequestAuth(req)
  ;(req.context as Record<string, unknown>)[CONTEXT_KEY] = {
    ...current,
    ...update,
    authError: current.authError ?? update.authError,
    authFailure: current.authFailure ?? update.authFailure,
  }
}
