import type { PayloadRequest } from 'payload'

import type { ErrorBody } from '../errors/RestAuthError.js'

/** What the plugin's strategies learned about a request's credentials, kept on `req.context`. */
export type RequestAuth = {
  /**
   * A CSRF failure of a cookie-authenticated request: DRF raises PermissionDenied there, so it is
   * 403 whatever the authentication classes.
   */
  authError?: string
  /**
   * DRF's AuthenticationFailed: the credentials were bad (`Invalid token.`, simplejwt's
   * `{"detail", "code", "messages"}`…). Its status and WWW-Authenticate come from the first
   * authentication class (see authenticationClasses.ts), its body from the class that failed.
   */
  authFailure?: { body: ErrorBody }
  credential?: {
    key?: string
    kind: 'jwt' | 'session' | 'token'
    /** The public id of the login (auth-sessions row) the credential belongs to, when it has one. */
    sessionId?: string
    tokenId?: number | string
  }
  /** The session was consulted (Django's `request.session.accessed`): the answer carries `Vary: Cookie`. */
  hasUsedSession?: boolean
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

/** Whether a strategy has already failed the request: DRF stops at the first class that raises. */
export const hasAuthFailed = (req: Pick<PayloadRequest, 'context'> | undefined): boolean => {
  const { authError, authFailure } = getRequestAuth(req)
  return authError !== undefined || authFailure !== undefined
}

/** Django's SessionMiddleware adds `Vary: Cookie` whenever the request's session was read or written. */
export const markSessionUsed = (req: Pick<PayloadRequest, 'context'> | undefined): void =>
  setRequestAuth(req, { hasUsedSession: true })
