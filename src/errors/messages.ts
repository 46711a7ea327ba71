/**
 * Every message the API answers, by area: the exact English of dj-rest-auth, Django REST framework,
 * Django, django-allauth and djangorestframework-simplejwt where they have one; "Ours" marks the
 * plugin's own. One module, so a message is changed (or translated) in one place.
 */
export const messages = {
  /** Two-factor authentication (ours; allauth's words where it has them). */
  mfa: {
    alreadyActive: 'You already have an authenticator app set up.',
    emailNotVerified: 'You cannot activate two-factor authentication until you have verified your e-mail address.',
    incorrectCode: 'Incorrect code.',
    loginExpired: 'The login has expired or was used up. Log in again.',
    notActive: 'Two-factor authentication is not active.',
    required: 'Two-factor authentication required.',
    setupMissing: 'Set up the authenticator app first (mfa/totp/setup/), then send one of its codes within the time allowed.',
  },
  /** Django REST framework's request handling: routing, parsing, permissions, server errors. */
  request: {
    methodNotAllowed: (method: string) => `Method "${method}" not allowed.`,
    notFound: 'Not found.',
    permissionDenied: 'You do not have permission to perform this action.',
    requestTooLarge: 'Request body is too large.',
    serverError: 'A server error occurred.',
    serviceUnavailable: 'Service temporarily unavailable, try again later.',
    unsupportedMediaType: (type: string) => `Unsupported media type "${type}" in request.`,
    /** Django REST framework's ParseError texts (the JSON part is Python's json error). */
    jsonParseError: (reason: string) => `JSON parse error - ${reason}`,
    invalidUtf8: 'JSON parse error - invalid UTF-8 in request body.',
    multipartBoundary: (boundary: string) => `Multipart form parse error - Invalid boundary in multipart: ${boundary}`,
    /** Serializer.errors' special case for `data=None`. */
    noData: 'No data provided',
    notADictionary: (type: string) => `Invalid data. Expected a dictionary, but got ${type}.`,
  },
  /** Serializer field validation (DRF's CharField, EmailField). */
  field: {
    blankField: 'This field may not be blank.',
    invalidEmail: 'Enter a valid email address.',
    invalidValue: 'Invalid value',
    notAString: 'Not a valid string.',
    nullCharacters: 'Null characters are not allowed.',
    nullField: 'This field may not be null.',
    requiredField: 'This field is required.',
    tooLong: (max: number) => `Ensure this field has no more than ${max} characters.`,
    tooShort: (min: number) => `Ensure this field has at least ${min} characters.`,
    /** DRF's ListField. */
    listExpected: (type: string) => `Expected a list of items but got type "${type}".`,
    listEmpty: 'This list may not be empty.',
  },
  /** DRF's authentication classes (TokenAuthentication, NotAuthenticated). */
  auth: {
    authenticationRequired: 'Authentication credentials were not provided.',
    invalidToken: 'Invalid token.',
    invalidTokenHeaderNoCredentials: 'Invalid token header. No credentials provided.',
    invalidTokenHeaderSpaces: 'Invalid token header. Token string should not contain spaces.',
    userInactive: 'User inactive or deleted.',
  },
  /** Django's CsrfViewMiddleware, as SessionAuthentication enforces it. */
  csrf: {
    badOrigin: (origin: string) => `CSRF Failed: Origin checking failed - ${origin} does not match any trusted origins.`,
    badReferer: (origin: string) => `CSRF Failed: Referer checking failed - ${origin} does not match any trusted origins.`,
    badToken: 'CSRF Failed: CSRF token missing or incorrect.',
    insecureReferer: 'CSRF Failed: Referer checking failed - Referer is insecure while host is secure.',
    malformedReferer: 'CSRF Failed: Referer checking failed - Referer is malformed.',
    noCookie: 'CSRF Failed: CSRF cookie not set.',
    noReferer: 'CSRF Failed: Referer checking failed - no Referer.',
  },
  /** dj-rest-auth's and allauth's account views: login, logout, registration, passwords. */
  account: {
    emailNotVerified: 'E-mail is not verified.',
    emailTaken: 'A user is already registered with this e-mail address.',
    invalidUsername: 'Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.',
    loggedOut: 'Successfully logged out.',
    loginFailed: 'Unable to log in with provided credentials.',
    mustIncludeEmail: 'Must include "email" and "password".',
    mustIncludeUsername: 'Must include "username" and "password".',
    mustIncludeUsernameOrEmail: 'Must include either "username" or "email" and "password".',
    oldPasswordIncorrect: 'Your old password was entered incorrectly. Please enter it again.',
    /** Ours: every password-check slot of the process is taken (see src/passwords/checkSlots.ts). */
    passwordChecksBusy: 'Too many sign-ins are being checked right now. Try again in a moment.',
    passwordMismatch: 'The two password fields didn’t match.',
    /** django-allauth's RegisterSerializer spells it with a straight apostrophe. */
    passwordMismatchRegistration: "The two password fields didn't match.",
    passwordSaved: 'New password has been saved.',
    usernameTaken: 'A user with that username already exists.',
    verificationSent: 'Verification e-mail sent.',
    passwordResetSent: 'Password reset e-mail has been sent.',
    passwordResetDone: 'Password has been reset with the new password.',
    /** allauth's VerifyEmailView and ResendEmailVerificationView answer `{"detail": "ok"}`. */
    ok: 'ok',
  },
  /** Mailed codes (ours; allauth's wording where it has one). */
  code: {
    attemptsExhausted: 'Too many incorrect codes. Request a new code.',
    expired: 'The code has expired. Request a new code.',
    flowInvalid: 'This code can no longer be used. Request a new code.',
    /** django-allauth's code forms. */
    incorrect: 'Incorrect code.',
    resendLimit: 'No more codes can be sent for this request. Start again.',
    sent: 'If the address belongs to an account, a code is on its way to it.',
  },
  /** Recent authentication (django-allauth's reauthentication; the wording of the rest is ours). */
  reauthentication: {
    /** django-allauth's reauthentication form. */
    incorrectPassword: 'Incorrect password.',
    /** Ours: a reauthenticate/ body that none of the user's methods reads (e.g. only a password field for a user without one). */
    noMethod: 'Provide one of the reauthentication methods available to you.',
    /** Ours: a credential issued before logins were recorded as sessions cannot be reauthenticated. */
    noSession: 'This login cannot be reauthenticated; log in again.',
    reauthenticated: 'Reauthenticated.',
    /** Ours (allauth answers 401 with its flows): a sensitive operation outside the reauthentication window. */
    required: 'Recent authentication required.',
  },
  /** A user's sessions (ours: sessions/, sessions/<id>/revoke/, sessions/revoke-others/). */
  sessions: {
    revoked: 'Session revoked.',
    otherRevoked: 'Other sessions revoked.',
  },
  /** A user's e-mail addresses (email/): django-allauth's address management where it has one. */
  emailAddresses: {
    cannotRemovePrimary: 'You cannot remove your primary e-mail address.',
    alreadyVerified: 'This e-mail address is already verified.',
    alreadyYours: 'This e-mail address is already associated with this account.',
    notVerified: 'This e-mail address is not verified.',
    tooMany: (max: number) => `You cannot add more than ${max} e-mail addresses.`,
    /** Ours: PATCH email/ only makes an address primary. */
    mustBeTrue: 'Only "primary": true is accepted.',
  },
  /** Account deletion (ours: user/delete/, admin/users/<id>/delete/). */
  accountDeletion: {
    deleted: 'Account deleted.',
    deactivated: 'Account deactivated.',
    mailSent: 'Confirmation e-mail sent.',
  },
  /** The plugin's admin routes (ours). */
  admin: {
    confirmationNotSent: 'The confirmation e-mail could not be sent.',
    ok: 'ok',
  },
  /** djangorestframework-simplejwt and dj-rest-auth's JWT views. */
  jwt: {
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
  },
  /** Social login and connect: dj-rest-auth's and django-allauth's where they have one. */
  social: {
    /** dj-rest-auth, SocialLoginSerializer.validate. */
    accessTokenOrCodeRequired: 'Incorrect input. access_token or code is required.',
    /** Ours, for allauth's `{"token": {...}}` shape. */
    tokenRequired: 'Incorrect input. id_token or access_token is required.',
    /** Ours: allauth's `provider` names another provider than the URL. */
    otherProvider: 'This is not the provider of this URL.',
    /** Ours: allauth's `token` must be an object. */
    tokenNotAnObject: 'Must be an object with client_id and an id_token or access_token.',
    /** dj-rest-auth, LoginSerializer.validate_auth_user_status. */
    accountDisabled: 'User account is disabled.',
    /** Ours: connecting needs a verified address (pre-account takeover, see requireConnectAllowed). */
    connectNeedsVerifiedEmail: 'Verify your e-mail address before connecting a social account.',
    /** django-allauth 0.5x, socialaccount/messages/account_connected_other.txt. */
    connectedOther: 'The social account is already connected to a different account.',
    /** dj-rest-auth, SocialLoginSerializer.validate (ACCOUNT_UNIQUE_EMAIL). */
    emailRegistered: 'User is already registered with this e-mail address.',
    /** Ours: allauth would ask for the address on its sign-up form, which a REST API has not. */
    emailRequired: (label: string) =>
      `${label} did not share an e-mail address, and this site requires one. Allow access to your e-mail address and try again.`,
    /** dj-rest-auth, SocialLoginSerializer.validate, when the provider refuses the token (requests' HTTPError). */
    incorrectValue: 'Incorrect value',
    /** Ours (socialCheckTokenAudience): the provider does not vouch that the access token is this site's. */
    otherApplication: (label: string) => `The ${label} access token was not issued to this application.`,
    /** Ours: the provider answered the code exchange without a token and without an error. */
    noAccessToken: (label: string) => `${label} returned no access token.`,
    /** django-allauth, DefaultSocialAccountAdapter.validate_disconnect (0.5x wording). */
    noPassword: 'Your account has no password set up.',
    /** django-allauth, OAuth.query (the OAuth 1.0a client dj-rest-auth's TwitterLoginSerializer uses). */
    noPrivateAccess: (host: string) => `No access to private resources at "${host}".`,
    /** Ours: the profile carried no account id. */
    noUid: (label: string) => `${label} returned a profile without an account id.`,
    /** django-allauth, DefaultSocialAccountAdapter.validate_disconnect (0.5x wording). */
    noVerifiedEmail: 'Your account has no verified e-mail address.',
    /** Ours: in production a callback URL's {origin} needs Payload's serverURL. */
    siteOriginUnknown: "Social login is unavailable: this site's address (serverURL) is not configured.",
    /** Ours: a provider's API answered with something else than the JSON it documents. */
    notJson: (label: string) => `${label} answered something other than JSON.`,
    /** Ours: the provider's access tokens identify nobody here (Apple has no profile API). */
    idTokenRequired: (label: string) => `${label} sign-in needs an id_token or a code.`,
    /** Ours: an id_token for a provider that issues none. */
    idTokenNotSupported: (label: string) => `${label} issues no id_token; send an access_token or a code.`,
    /** Ours (socialCheckTokenAudience): the provider offers no way to learn which client a token belongs to. */
    accessTokenUncheckable: (label: string) =>
      `${label} cannot tell which application an access token belongs to; send an id_token or a code.`,
    /** Ours: OpenID Connect discovery failed. */
    discoveryFailed: (label: string) => `Could not read the OpenID Connect configuration of ${label}.`,
    /** Ours: a code exchange needs a client secret that is not configured. */
    clientSecretMissing: (label: string) => `${label} is not configured to exchange a code (its client secret settings are empty).`,
    /** Ours: the provider did not answer in time. */
    timeout: (label: string) => `${label} did not answer in time. Try again later.`,
    /** Ours: the provider could not be reached (connection refused, DNS failure…). */
    unreachable: (label: string, code: string) => `Could not connect to ${label} (${code}). Try again later.`,
  },
  /** Passkeys (ours, except where noted). */
  webauthn: {
    /** A flow token that is unknown, used, expired or another user's. */
    flowInvalid: 'This passkey request has expired or was already used. Start again.',
    /** The authenticator's answer failed verification (challenge, origin, RP ID, signature, flags). */
    notVerified: 'The passkey could not be verified.',
    /** The credential ID is registered already (to this user or another). */
    alreadyRegistered: 'This passkey is already registered.',
    /** django-allauth's wording for activating a second factor, said of passkeys. */
    unverifiedEmail: 'You cannot add a passkey until you have verified your email address.',
    /** The `credential` field is not the JSON of a PublicKeyCredential. */
    credentialInvalid: 'Expected the JSON of a PublicKeyCredential (as @simplewebauthn/browser returns it).',
    /** DRF's BooleanField. */
    invalidBoolean: 'Must be a valid boolean.',
    /** A passkey second factor for a user who has none. */
    noPasskey: 'You have no passkey; use your authenticator app or a recovery code.',
  },
  /** Why an id_token is refused (ours: allauth lets these escape as a 500). */
  idToken: {
    algorithm: (alg: string) => `The id_token is signed with ${alg || 'no algorithm'}, which is not accepted.`,
    badSignature: 'The id_token signature is invalid.',
    claims: 'The id_token lacks its sub or exp claim.',
    expired: 'The id_token has expired.',
    issuer: (label: string) => `The id_token was not issued by ${label}.`,
    malformed: 'The id_token is not a well-formed JWT.',
    nonceMismatch: 'The id_token nonce does not match the nonce sent.',
    nonceMissing: 'The id_token carries no nonce, but one was sent.',
    notYetValid: 'The id_token is not valid yet.',
    otherApplication: (label: string) => `The ${label} id_token was not issued to this application.`,
    replayed: 'This id_token was already used.',
    unknownKey: (label: string) => `The id_token is signed with a key that ${label} does not publish.`,
  },
} as const
