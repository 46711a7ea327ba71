import type { PayloadRequest } from 'payload'

import type { RestAuthError } from '../errors/RestAuthError.js'

/** What the plugin's strategies learned about a request's credentials, kept on `req.context`. */
export type RequestAuth = {
  /**
   * Why the request's credentials were refused, as the error the plugin's endpoints answer (the first
   * class that raises wins, as in DRF): a CSRF failure of a cookie-authenticated request is DRF's
   * PermissionDenied (403 whatever the classes); bad credentials are AuthenticationFailed, whose
   * status and WWW-Authenticate come from the first authentication class (authenticationError) and
   * whose body from the class that failed (`Invalid token.`, simplejwt's `{"detail", "code",
   * "messages"}`…). Payload's own routes just see no user.
   */
  failure?: RestAuthError
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
    failure: current.failure ?? update.failure,
  }
}

/** Whether a strategy has already failed the request: DRF stops at the first class that raises. */
export const hasAuthFailed = (req: Pick<PayloadRequest, 'context'> | undefined): boolean => {
  return getRequestAuth(req).failure !== undefined
}

/** Django's SessionMiddleware adds `Vary: Cookie` whenever the request's session was read or written. */
export const markSessionUsed = (req: Pick<PayloadRequest, 'context'> | undefined): void =>
  setRequestAuth(req, { hasUsedSession: true })
