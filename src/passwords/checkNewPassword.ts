import type { RestAuthSettings } from '../types.js'
import type { PasswordUserAttributes, PasswordValidationOptions } from './validators.js'

import { messages } from '../errors/messages.js'
import { validatePassword } from './validators.js'

/** AUTH_PASSWORD_VALIDATORS as the settings configure them. */
export const passwordRules = (settings: RestAuthSettings): Partial<PasswordValidationOptions> => ({
  commonPasswords: settings.passwordCommonCheck,
  minLength: settings.passwordMinLength,
  numeric: settings.passwordNumericCheck,
  userAttributeSimilarity: settings.passwordUserAttributeSimilarity,
})

/**
 * Django's SetPasswordForm: the two entries must match, then the password validators run.
 * Returns the messages for the second field (where Django reports them), empty when acceptable.
 */
export const checkNewPassword = ({
  password1,
  password2,
  settings,
  user,
}: {
  password1: string
  password2: string
  settings: RestAuthSettings
  user: PasswordUserAttributes
}): string[] => {
  if (password1 !== password2) {
    return [messages.passwordMismatch]
  }
  return validatePassword({ options: passwordRules(settings), password: password2, user })
}
