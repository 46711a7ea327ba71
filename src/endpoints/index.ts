import type { AnyEndpoint } from '../http/defineEndpoint.js'

import { accountDeleteConfirmEndpoint, accountDeleteEndpoint } from './accountDeletion.js'
import { emailAddressesEndpoint } from './emailAddresses.js'
import { codeConfirmEndpoint, codeRequestEndpoint, codeResendEndpoint } from './codeLogin.js'
import { loginEndpoint } from './login.js'
import { logoutEndpoint } from './logout.js'
import { mfaEndpoints } from './mfa.js'
import { openApiJsonEndpoint, openApiYamlEndpoint } from './openapi.js'
import { passwordChangeEndpoint } from './passwordChange.js'
import { passwordResetConfirmEndpoint, passwordResetEndpoint } from './passwordReset.js'
import {
  accountConfirmEmailEndpoint,
  accountConfirmEmailRedirectEndpoint,
  registrationEndpoint,
  resendEmailEndpoint,
  verifyEmailEndpoint,
} from './registration.js'
import { reauthenticateEndpoint } from './reauthenticate.js'
import { sessionRevokeEndpoint, sessionsEndpoint, sessionsRevokeOthersEndpoint } from './sessions.js'
import { socialEndpoints } from './social.js'
import { tokenRefreshEndpoint, tokenVerifyEndpoint } from './token.js'
import { userEndpoint } from './user.js'
import { webauthnEndpoints } from './webauthn.js'

/** Every route of the API, in dj-rest-auth's URL order. */
export const restAuthEndpoints: AnyEndpoint[] = [
  passwordResetEndpoint,
  passwordResetConfirmEndpoint,
  loginEndpoint,
  logoutEndpoint,
  userEndpoint,
  passwordChangeEndpoint,
  registrationEndpoint,
  verifyEmailEndpoint,
  resendEmailEndpoint,
  accountConfirmEmailRedirectEndpoint,
  accountConfirmEmailEndpoint,
  tokenVerifyEndpoint,
  tokenRefreshEndpoint,
  reauthenticateEndpoint,
  sessionsEndpoint,
  sessionsRevokeOthersEndpoint,
  sessionRevokeEndpoint,
  emailAddressesEndpoint,
  accountDeleteEndpoint,
  accountDeleteConfirmEndpoint,
  ...mfaEndpoints,
  openApiJsonEndpoint,
  openApiYamlEndpoint,
  ...socialEndpoints,
  codeRequestEndpoint,
  codeConfirmEndpoint,
  codeResendEndpoint,
  ...webauthnEndpoints,
]
