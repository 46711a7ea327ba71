/** How the user proved who they are in this login: what `amr` (RFC 8176) says in their JWTs. */
export type LoginFactors = {
  /**
   * `password` (login/, Payload's login), `social` (a provider's login), `registration` (a new
   * account), or `current` (a request already authenticated, e.g. connecting a provider: its
   * credential passed the second factor when it was issued).
   */
  first: 'current' | 'password' | 'registration' | 'social'
  /** The second factor given (mfa/authenticate/). */
  second?: 'recovery_codes' | 'totp'
}

const FIRST_AMR: Record<LoginFactors['first'], string[]> = {
  current: [],
  password: ['pwd'],
  registration: ['pwd'],
  // Not in RFC 8176's registry: a federated login, as several providers write it.
  social: ['fed'],
}

/** `amr` of RFC 8176: `pwd`/`fed`, then `otp` and `mfa` when a second factor was given. */
export const amrOf = (factors: LoginFactors): string[] => [...FIRST_AMR[factors.first], ...(factors.second ? ['otp', 'mfa'] : [])]
