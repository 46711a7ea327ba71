import type { AuthStrategy } from 'payload'

import type { SanitizedRestAuthOptions } from '../types.js'
import type { AuthScheme } from './authenticationClasses.js'

import { authenticationSchemes } from './authenticationClasses.js'
import { jwtStrategy } from './jwtStrategy.js'
import { hasAuthFailed, markSessionUsed } from './requestAuth.js'
import { sessionStrategy } from './sessionStrategy.js'
import { tokenStrategy } from './tokenStrategy.js'

export const REST_AUTH_STRATEGY = 'rest-auth'

/**
 * Django REST framework's request authentication: the schemes of `authenticationClasses`, in their
 * order, until one authenticates the request or fails it (DRF stops at the first class that raises).
 * One Payload strategy, so that the order is the setting's and not the order of registration.
 */
export const restAuthStrategy = (options: SanitizedRestAuthOptions): AuthStrategy => {
  const strategies: Record<AuthScheme, AuthStrategy> = {
    jwt: jwtStrategy(options),
    session: sessionStrategy(options),
    token: tokenStrategy(options),
  }
  return {
    name: REST_AUTH_STRATEGY,
    authenticate: async (args) => {
      const settings = await options.settingsStore.get(args.payload)
      for (const scheme of authenticationSchemes(settings)) {
        if (scheme === 'session') {
          markSessionUsed(args.req)
        }
        const result = await strategies[scheme].authenticate(args)
        if (result.user || hasAuthFailed(args.req)) {
          return result
        }
      }
      return { user: null }
    },
  }
}
