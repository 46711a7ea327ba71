import { defineEndpoint } from '../http/defineEndpoint.js'
import { refreshResponse, verifyResponse } from '../jwt/refresh.js'

/** POST token/verify/ (USE_JWT only): 200 `{}` for a good token of any type, else simplejwt's 401. */
export const tokenVerifyEndpoint = defineEndpoint({
  handlers: { post: async (ctx) => verifyResponse(ctx) },
  ignoresCredentials: true,
  isEnabled: (settings) => settings.useJwt,
  path: '/token/verify',
})

/** POST token/refresh/ (USE_JWT only): `refresh` in the body, else the refresh cookie. */
export const tokenRefreshEndpoint = defineEndpoint({
  handlers: { post: refreshResponse },
  ignoresCredentials: true,
  isEnabled: (settings) => settings.useJwt,
  path: '/token/refresh',
  throttle: 'tokenRefresh',
})
