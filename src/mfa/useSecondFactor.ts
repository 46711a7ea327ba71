import type { SecondFactorMethod } from './loginFactors.js'
import type { StoreArgs } from './authenticators.js'

import { useRecoveryCode, useTotpCode } from './authenticators.js'

/**
 * Which second factor `code` is (a current TOTP code, else an unused recovery code), used up by the
 * check; null when it is neither. A code shaped like neither costs no derivation.
 */
export const useSecondFactor = async (args: { code: string; userId: number | string } & StoreArgs): Promise<SecondFactorMethod | null> => {
  if (await useTotpCode(args)) {
    return 'totp'
  }
  return (await useRecoveryCode(args)) ? 'recovery_codes' : null
}
