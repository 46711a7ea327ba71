import type { ReauthenticationMethod } from './types.js'

import { totpReauthentication } from '../../mfa/totpReauthentication.js'
import { webauthnReauthentication } from '../../webauthn/reauthentication.js'
import { passwordReauthentication } from './password.js'

export type { ReauthenticationMethod } from './types.js'

/**
 * Every way to reauthenticate, in the order `methods` lists them and `reauthenticate/` tries them.
 * A feature that adds one (TOTP, passkeys) adds its module here.
 */
export const reauthenticationMethods: ReauthenticationMethod[] = [passwordReauthentication, totpReauthentication, webauthnReauthentication]
