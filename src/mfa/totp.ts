import { Secret, TOTP } from 'otpauth'

import type { RestAuthSettings } from '../types.js'

/*
 * TOTP (RFC 6238) through `otpauth`, never hand-rolled: a 160-bit random seed, codes checked against
 * the plugin's clock (src/utilities/clock.ts) so tests can move time. The parameters are kept with
 * each authenticator, so changing the settings never breaks an app already enrolled.
 */

export type TotpParameters = { algorithm: 'SHA1' | 'SHA256' | 'SHA512'; digits: number; period: number }

export const totpParametersOf = (settings: RestAuthSettings): TotpParameters => ({
  algorithm: settings.mfaTotpAlgorithm,
  digits: settings.mfaTotpDigits,
  period: settings.mfaTotpPeriod,
})

/** A new seed, base32 as authenticator apps take it. */
export const newTotpSecret = (): string => new Secret({ size: 20 }).base32

const totpOf = ({ issuer, label, parameters, secret }: { issuer?: string; label?: string; parameters: TotpParameters; secret: string }) =>
  new TOTP({ ...parameters, issuer, label, secret: Secret.fromBase32(secret) })

/** The `otpauth://totp/…` URL an authenticator app scans. */
export const totpUrl = (args: { issuer: string; label: string; parameters: TotpParameters; secret: string }): string => totpOf(args).toString()

/** The code for a moment (tests, and the demo's "fill in a code" helper). */
export const totpCode = ({ parameters, secret, timestamp }: { parameters: TotpParameters; secret: string; timestamp: number }): string =>
  totpOf({ parameters, secret }).generate({ timestamp })

/** What a submitted code looks like: digits only, spaces allowed as apps group them. */
export const normalizeTotpCode = (code: string, parameters: TotpParameters): null | string => {
  const digits = code.replace(/\s+/g, '')
  return new RegExp(`^\\d{${parameters.digits}}$`).test(digits) ? digits : null
}

/**
 * The time step `code` belongs to, within `tolerance` steps of now, and only if it is later than
 * `lastStep` (each step works once); null otherwise.
 */
export const matchTotpStep = ({
  code,
  lastStep,
  parameters,
  secret,
  timestamp,
  tolerance,
}: {
  code: string
  lastStep: null | number
  parameters: TotpParameters
  secret: string
  timestamp: number
  tolerance: number
}): null | number => {
  const totp = totpOf({ parameters, secret })
  const delta = totp.validate({ timestamp, token: code, window: tolerance })
  if (delta === null) {
    return null
  }
  const step = totp.counter({ timestamp }) + delta
  return lastStep !== null && step <= lastStep ? null : step
}
