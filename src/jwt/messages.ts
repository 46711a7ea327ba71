/** The exact English messages of djangorestframework-simplejwt and dj-rest-auth's JWT views. */
export const jwtMessages = {
  badAuthorizationHeader: 'Authorization header must contain two space-delimited values',
  givenTokenNotValid: 'Given token not valid for any token type',
  noActiveAccount: 'No active account found for the given token.',
  noRecognizableUser: 'Token contained no recognizable user identification',
  noValidRefreshToken: 'No valid refresh token found.',
  refreshNotIncluded: 'Refresh token was not included in request data.',
  tokenBlacklisted: 'Token is blacklisted',
  tokenExpiredClaim: (claim: string) => `Token '${claim}' claim has expired`,
  tokenHasNoClaim: (claim: string) => `Token has no '${claim}' claim`,
  tokenHasNoId: 'Token has no id',
  tokenHasNoType: 'Token has no type',
  tokenHasWrongType: 'Token has wrong type',
  tokenInvalidOrExpired: 'Token is invalid or expired',
  userInactive: 'User is inactive',
  userNotFound: 'User not found',
} as const

/** WWW-Authenticate of simplejwt's 401 answers (AUTH_HEADER_TYPES[0] and its realm). */
export const WWW_AUTHENTICATE = 'Bearer realm="api"'
