import type { RequestData } from '../http/parseBody.js'
import type { RestAuthSettings, SettingKey } from '../settings/definitions.js'

import { loginIdentifier } from '../users/loginIdentifier.js'

/**
 * What each throttled flow limits: per client address, and per account where one is named — the
 * account the flow will act on, never a field it ignores.
 */
export const throttleScopes = {
  codeConfirm: { ip: 'throttleCodeConfirmIp' },
  codeRequest: { account: 'throttleCodeRequestAccount', accountOf: (data: RequestData) => data.email, ip: 'throttleCodeRequestIp' },
  // The address is the flow's, not the body's: code/resend/ counts it itself (see codeLogin.ts).
  codeResend: { ip: 'throttleCodeRequestIp' },
  /** email/'s additions and resends (the methods that send mail), per address and client. */
  emailAddresses: { account: 'throttleResendEmailAccount', accountOf: (data: RequestData) => data.email, ip: 'throttleEmailVerificationIp' },
  emailVerification: { ip: 'throttleEmailVerificationIp' },
  /** Guessing deletion keys: limited like reset links. */
  accountDeletionConfirm: { ip: 'throttlePasswordResetConfirmIp' },
  login: {
    account: 'throttleLoginAccount',
    accountOf: (data: RequestData, settings: RestAuthSettings) => loginIdentifier(data, settings.accountAuthenticationMethod)?.value,
    ip: 'throttleLoginIp',
  },
  /** The account is the user behind the mfa_token, which the handler looks up (see checkThrottle's `account`). */
  mfa: { account: 'throttleMfaAccount', accountOf: () => undefined, ip: 'throttleMfaIp' },
  passwordResetConfirm: { ip: 'throttlePasswordResetConfirmIp' },
  passwordReset: { account: 'throttlePasswordResetAccount', accountOf: (data: RequestData) => data.email, ip: 'throttlePasswordResetIp' },
  /** Password guesses with a stolen credential: limited like login/ (and the back-off, per user). */
  reauthenticate: { ip: 'throttleLoginIp' },
  registration: { ip: 'throttleRegistrationIp' },
  resendEmail: { account: 'throttleResendEmailAccount', accountOf: (data: RequestData) => data.email, ip: 'throttleEmailVerificationIp' },
  social: { ip: 'throttleSocialIp' },
  tokenRefresh: { ip: 'throttleTokenRefreshIp' },
} as const satisfies Record<string, { account?: SettingKey; accountOf?: (data: RequestData, settings: RestAuthSettings) => unknown; ip: SettingKey }>

export type ThrottleScope = keyof typeof throttleScopes
