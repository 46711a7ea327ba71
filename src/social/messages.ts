/** The messages of social login and connect: dj-rest-auth's and django-allauth's where they have one. */
export const socialMessages = {
  /** dj-rest-auth, SocialLoginSerializer.validate. */
  accessTokenOrCodeRequired: 'Incorrect input. access_token or code is required.',
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
  /** Ours: the provider did not answer in time. */
  timeout: (label: string) => `${label} did not answer in time. Try again later.`,
  /** Ours: the provider could not be reached (connection refused, DNS failure…). */
  unreachable: (label: string, code: string) => `Could not connect to ${label} (${code}). Try again later.`,
} as const
