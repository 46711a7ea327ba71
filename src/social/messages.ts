/** The messages of social login and connect: dj-rest-auth's and django-allauth's where they have one. */
export const socialMessages = {
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
} as const

/** Why an id_token is refused (ours: allauth lets these escape as a 500). */
export const idTokenMessages = {
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
} as const
