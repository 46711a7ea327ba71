/** The exact English messages of dj-rest-auth, Django REST framework, Django and django-allauth. */
export const messages = {
  /** Ours: user/delete/. */
  accountDeleted: 'Account deleted.',
  accountDeactivated: 'Account deactivated.',
  accountDeletionMailSent: 'Confirmation e-mail sent.',
  authenticationRequired: 'Authentication credentials were not provided.',
  blankField: 'This field may not be blank.',
  csrfBadOrigin: (origin: string) => `CSRF Failed: Origin checking failed - ${origin} does not match any trusted origins.`,
  csrfBadReferer: (origin: string) => `CSRF Failed: Referer checking failed - ${origin} does not match any trusted origins.`,
  csrfBadToken: 'CSRF Failed: CSRF token missing or incorrect.',
  csrfInsecureReferer: 'CSRF Failed: Referer checking failed - Referer is insecure while host is secure.',
  csrfMalformedReferer: 'CSRF Failed: Referer checking failed - Referer is malformed.',
  csrfNoCookie: 'CSRF Failed: CSRF cookie not set.',
  csrfNoReferer: 'CSRF Failed: Referer checking failed - no Referer.',
  /** django-allauth's address management (account/email). */
  cannotRemovePrimaryEmail: 'You cannot remove your primary e-mail address.',
  emailAlreadyVerified: 'This e-mail address is already verified.',
  emailAlreadyYours: 'This e-mail address is already associated with this account.',
  emailNotVerified: 'E-mail is not verified.',
  emailNotVerifiedYet: 'This e-mail address is not verified.',
  emailTaken: 'A user is already registered with this e-mail address.',
  /** django-allauth's reauthentication form. */
  incorrectPassword: 'Incorrect password.',
  invalidEmail: 'Enter a valid email address.',
  invalidToken: 'Invalid token.',
  invalidTokenHeaderNoCredentials: 'Invalid token header. No credentials provided.',
  invalidTokenHeaderSpaces: 'Invalid token header. Token string should not contain spaces.',
  invalidUsername: 'Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.',
  invalidValue: 'Invalid value',
  /** DRF's ListField. */
  listExpected: (type: string) => `Expected a list of items but got type "${type}".`,
  listEmpty: 'This list may not be empty.',
  loggedOut: 'Successfully logged out.',
  loginFailed: 'Unable to log in with provided credentials.',
  /** Ours: PATCH email/ only makes an address primary. */
  mustBeTrue: 'Only "primary": true is accepted.',
  methodNotAllowed: (method: string) => `Method "${method}" not allowed.`,
  mustIncludeEmail: 'Must include "email" and "password".',
  mustIncludeUsername: 'Must include "username" and "password".',
  mustIncludeUsernameOrEmail: 'Must include either "username" or "email" and "password".',
  notAString: 'Not a valid string.',
  notFound: 'Not found.',
  /** Ours: sessions/revoke-others/. */
  otherSessionsRevoked: 'Other sessions revoked.',
  nullCharacters: 'Null characters are not allowed.',
  nullField: 'This field may not be null.',
  oldPasswordIncorrect: 'Your old password was entered incorrectly. Please enter it again.',
  /** Ours: every password-check slot of the process is taken (see src/passwords/checkSlots.ts). */
  passwordChecksBusy: 'Too many sign-ins are being checked right now. Try again in a moment.',
  passwordMismatch: 'The two password fields didn’t match.',
  /** django-allauth's RegisterSerializer spells it with a straight apostrophe. */
  passwordMismatchRegistration: "The two password fields didn't match.",
  passwordSaved: 'New password has been saved.',
  /** Ours: a reauthenticate/ body that none of the user's methods reads (e.g. only a password field for a user without one). */
  reauthenticationNoMethod: 'Provide one of the reauthentication methods available to you.',
  /** Ours: a credential issued before logins were recorded as sessions cannot be reauthenticated. */
  reauthenticationNoSession: 'This login cannot be reauthenticated; log in again.',
  reauthenticated: 'Reauthenticated.',
  /** Ours (allauth answers 401 with its flows): a sensitive operation outside the reauthentication window. */
  reauthenticationRequired: 'Recent authentication required.',
  permissionDenied: 'You do not have permission to perform this action.',
  requestTooLarge: 'Request body is too large.',
  requiredField: 'This field is required.',
  serverError: 'A server error occurred.',
  /** Ours: sessions/<id>/revoke/. */
  sessionRevoked: 'Session revoked.',
  serviceUnavailable: 'Service temporarily unavailable, try again later.',
  tooManyEmailAddresses: (max: number) => `You cannot add more than ${max} e-mail addresses.`,
  tooLong: (max: number) => `Ensure this field has no more than ${max} characters.`,
  tooShort: (min: number) => `Ensure this field has at least ${min} characters.`,
  unsupportedMediaType: (type: string) => `Unsupported media type "${type}" in request.`,
  userInactive: 'User inactive or deleted.',
  usernameTaken: 'A user with that username already exists.',
  verificationSent: 'Verification e-mail sent.',
} as const
