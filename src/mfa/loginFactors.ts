import type { AuthMethod } from '../sessions/types.js'

/** The methods of a second factor, as completeLogin's `methods` and the sessions record them. */
export const SECOND_FACTOR_METHODS = ['recovery_codes', 'totp', 'webauthn'] as const

export type SecondFactorMethod = (typeof SECOND_FACTOR_METHODS)[number]

/** Whether the login's methods include a second factor. */
export const hasSecondFactor = (methods: AuthMethod[]): boolean =>
  methods.some((used) => (SECOND_FACTOR_METHODS as readonly string[]).includes(used.method))

const AMR: Record<string, string[]> = {
  password: ['pwd'],
  recovery_codes: ['otp'],
  // Not in RFC 8176's registry: a federated login, as several providers write it.
  social: ['fed'],
  totp: ['otp'],
  // RFC 8176: proof of possession of a hardware-secured key.
  webauthn: ['hwk'],
}

/** `amr` of RFC 8176: `pwd`/`fed` for the first factor, `otp` for a code, and `mfa` with a second factor. */
export const amrOf = (methods: AuthMethod[]): string[] => [
  ...new Set([...methods.flatMap((used) => AMR[used.method] ?? []), ...(hasSecondFactor(methods) ? ['mfa'] : [])]),
]
