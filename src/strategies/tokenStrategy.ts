import type { AuthStrategy } from 'payload'

import type { SanitizedRestAuthOptions } from '../types.js'

import { messages } from '../errors/messages.js'
import { lookupToken } from '../tokens/tokenStore.js'
import { authenticationError } from './authenticationClasses.js'
import { setRequestAuth } from './requestAuth.js'
import { strategyUser } from './strategyUser.js'

export const TOKEN_STRATEGY = 'rest-auth-token'

/** `Authorization: Token <key>`, parsed as Django REST framework's TokenAuthentication does. */
export const tokenStrategy = (options: SanitizedRestAuthOptions): AuthStrategy => ({
  name: TOKEN_STRATEGY,
  authenticate: async ({ headers, payload, req }) => {
    const header = headers.get('authorization')
    if (!header) {
      return { user: null }
    }
    const parts = header.trim().split(/\s+/)
    if (parts[0]!.toLowerCase() !== 'token') {
      return { user: null }
    }
    const settings = await options.settingsStore.get(payload)
    if (!settings.tokenAuthEnabled) {
      return { user: null }
    }
    if (parts.length !== 2) {
      const detail = parts.length === 1 ? messages.auth.invalidTokenHeaderNoCredentials : messages.auth.invalidTokenHeaderSpaces
      setRequestAuth(req, { failure: authenticationError(settings, { detail }) })
      return { user: null }
    }
    const key = parts[1]!
    const result = await lookupToken({ key, kind: 'token', options, payload })
    if (result.status !== 'ok') {
      const detail = result.status === 'inactive' ? messages.auth.userInactive : messages.auth.invalidToken
      setRequestAuth(req, { failure: authenticationError(settings, { detail }) })
      return { user: null }
    }
    setRequestAuth(req, { credential: { key, kind: 'token', sessionId: result.sessionId, tokenId: result.tokenId } })
    return { user: strategyUser(result.user, TOKEN_STRATEGY, options.usersCollection) }
  },
})
