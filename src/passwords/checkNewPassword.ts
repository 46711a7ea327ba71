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
 * The password validators the settings switch on (Django's AUTH_PASSWORD_VALIDATORS). Without a
 * user there is nothing to be similar to, as with allauth's sign-up form. Empty when acceptable.
 */
export const passwordProblems = ({
  password,
  settings,
  user,
}: {
  password: string
  settings: RestAuthSettings
  user?: PasswordUserAttributes
}): string[] =>
  validatePassword({ options: passwordRules(settings), password, user })

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
}): string[] => (password1 !== password2 ? [messages.account.passwordMismatch] : passwordProblems({ password: password2, settings, user }))
