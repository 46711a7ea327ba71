import { defineEndpoint } from '../http/defineEndpoint.js'
import { describeFields } from '../http/metadata.js'
import { refreshFields, refreshResponse, verifyFields, verifyResponse } from '../jwt/refresh.js'

/** POST token/verify/ (USE_JWT only): 200 `{}` for a good token of any type, else simplejwt's 401. */
export const tokenVerifyEndpoint = defineEndpoint({
  handlers: { post: async (ctx) => verifyResponse(ctx) },
  ignoresCredentials: true,
  isEnabled: (settings) => settings.useJwt,
  metadata: {
    actions: () => ({ POST: describeFields(verifyFields) }),
    description: `Takes a token and indicates if it is valid.  This view provides no
information about a token's fitness for a particular use.`,
    name: 'Token Verify',
  },
  path: '/token/verify',
})

/**
 * POST token/refresh/ (USE_JWT only): `refresh` in the body, else the refresh cookie. dj-rest-auth's
 * view is the undocumented class RefreshViewWithCookieSupport, hence its name and empty description.
 */
export const tokenRefreshEndpoint = defineEndpoint({
  handlers: { post: refreshResponse },
  ignoresCredentials: true,
  isEnabled: (settings) => settings.useJwt,
  metadata: {
    actions: () => ({
      POST: { ...describeFields(refreshFields), access: { type: 'string', required: false, read_only: true, label: 'Access' } },
    }),
    description: '',
    name: 'Refresh View With Cookie Support',
  },
  path: '/token/refresh',
  throttle: 'tokenRefresh',
})
