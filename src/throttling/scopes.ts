import type { RequestData } from '../http/parseBody.js'
import type { SettingKey } from '../settings/definitions.js'

/** What each throttled flow limits: per client address, and per account where one is named. */
export const throttleScopes = {
  emailVerification: { ip: 'throttleEmailVerificationIp' },
  login: { account: 'throttleLoginAccount', accountOf: (data: RequestData) => data.username || data.email, ip: 'throttleLoginIp' },
  passwordReset: { account: 'throttlePasswordResetAccount', accountOf: (data: RequestData) => data.email, ip: 'throttlePasswordResetIp' },
  registration: { ip: 'throttleRegistrationIp' },
  resendEmail: { account: 'throttleResendEmailAccount', accountOf: (data: RequestData) => data.email, ip: 'throttleEmailVerificationIp' },
  social: { ip: 'throttleSocialIp' },
  tokenRefresh: { ip: 'throttleTokenRefreshIp' },
} as const satisfies Record<string, { account?: SettingKey; accountOf?: (data: RequestData) => unknown; ip: SettingKey }>

export type ThrottleScope = keyof typeof throttleScopes
