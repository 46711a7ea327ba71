/**
 * Every setting of payload-rest-auth except the social providers' own: its type, its default and its
 * documentation. The keys are the dj-rest-auth / django-allauth / simplejwt names in camelCase;
 * `django` gives the original name. The full table, with each provider's settings, is
 * src/settings/definitions.ts; this part has no provider code behind it, so the admin's client
 * components (the Set-Cookie preview) can import its defaults.
 */

import type { SettingDefinition, ValueOf } from './settingTypes.js'

import { checkbox, number, select, text } from './settingTypes.js'

export const coreSettingDefinitions = {
  // Tokens and sessions
  tokenAuthEnabled: checkbox({
    default: true,
    description:
      'Opaque token authentication (`Authorization: Token <key>`). Off is the equivalent of TOKEN_MODEL = None: then SESSION_LOGIN or USE_JWT must be on.',
    django: 'TOKEN_MODEL',
    group: 'tokens',
  }),
  authenticationClasses: text({
    default: '',
    description:
      'Which credentials authenticate API requests, in order: `session`, `token` and `jwt` (or the Django REST framework class names), separated by commas. The first one answers requests without valid credentials: `session` with 403, `token` with 401 and `WWW-Authenticate: Token`, `jwt` with 401 and `WWW-Authenticate: Bearer realm="api"`. Empty: as dj-rest-auth\'s documentation configures it, `session, token` (Django REST framework\'s default starts with SessionAuthentication), or `jwt` alone while USE_JWT is on (JWTCookieAuthentication).',
    django: 'DEFAULT_AUTHENTICATION_CLASSES',
    group: 'tokens',
  }),
  tokenLifetime: number({
    default: 0,
    description:
      'Seconds after which an opaque token expires. 0 keeps tokens valid until logout, as Django REST framework does.',
    group: 'tokens',
  }),
  sessionLogin: checkbox({
    default: true,
    description:
      'Login also starts a cookie session (HttpOnly session cookie plus a CSRF cookie); logout ends it.',
    django: 'SESSION_LOGIN',
    group: 'tokens',
  }),
  sessionCookieName: text({
    default: 'sessionid',
    description: 'Name of the session cookie.',
    django: 'SESSION_COOKIE_NAME',
    group: 'tokens',
  }),
  sessionCookieAge: number({
    default: 1209600,
    description: 'Lifetime of a session in seconds (two weeks by default).',
    django: 'SESSION_COOKIE_AGE',
    group: 'tokens',
    min: 1,
  }),
  sessionCookieSecure: checkbox({
    default: false,
    description: 'Send the session and CSRF cookies over HTTPS only.',
    django: 'SESSION_COOKIE_SECURE',
    group: 'tokens',
  }),
  csrfCookieName: text({
    default: 'csrftoken',
    description:
      'Name of the CSRF cookie. Unsafe requests authenticated by a cookie must echo it in the X-CSRFToken header.',
    django: 'CSRF_COOKIE_NAME',
    group: 'tokens',
  }),
  logoutOnGet: checkbox({
    default: false,
    description: 'Allow logout with GET as well as POST (not recommended).',
    django: 'ACCOUNT_LOGOUT_ON_GET',
    group: 'tokens',
  }),
  sessionClientAddress: select({
    default: 'truncated',
    description:
      'What each login (sessions/) records of the client address: full, truncated (the network only: IPv4 /24, IPv6 /48) or none.',
    group: 'tokens',
    options: ['full', 'truncated', 'none'] as const,
  }),
  maxSessionsPerUser: number({
    default: 0,
    description:
      'Most logins a user may have at once; a new login beyond it ends the user\'s oldest ones (with their tokens, cookie sessions and refresh tokens). 0: no limit.',
    group: 'tokens',
  }),
  reauthenticationTimeout: number({
    default: 300,
    description:
      'Seconds after a login or reauthenticate/ during which sensitive operations (e-mail change, account deletion, revoking other sessions, managing second factors and passkeys) need no new proof of identity.',
    django: 'ACCOUNT_REAUTHENTICATION_TIMEOUT',
    group: 'tokens',
    min: 10,
  }),

  // JWT and cookies
  useJwt: checkbox({
    default: false,
    description: 'Answer logins with JSON Web Tokens (access and refresh) instead of opaque tokens.',
    django: 'USE_JWT',
    group: 'jwt',
  }),
  jwtAuthCookie: text({
    default: '',
    description: 'Cookie name for the access token; empty sets no cookie.',
    django: 'JWT_AUTH_COOKIE',
    group: 'jwt',
  }),
  jwtAuthRefreshCookie: text({
    default: '',
    description: 'Cookie name for the refresh token; empty sets no cookie.',
    django: 'JWT_AUTH_REFRESH_COOKIE',
    group: 'jwt',
  }),
  jwtAuthRefreshCookiePath: text({
    default: '/',
    description: 'Path attribute of the refresh token cookie.',
    django: 'JWT_AUTH_REFRESH_COOKIE_PATH',
    group: 'jwt',
  }),
  jwtAuthSecure: checkbox({
    default: false,
    description: 'Send the JWT cookies over HTTPS only.',
    django: 'JWT_AUTH_SECURE',
    group: 'jwt',
  }),
  jwtAuthHttpOnly: checkbox({
    default: true,
    description:
      'Make the JWT cookies HttpOnly. The refresh token is then left out of response bodies and travels only in its cookie.',
    django: 'JWT_AUTH_HTTPONLY',
    group: 'jwt',
  }),
  jwtAuthSameSite: select({
    default: 'Lax',
    description: 'SameSite attribute of the JWT cookies.',
    django: 'JWT_AUTH_SAMESITE',
    group: 'jwt',
    options: ['Lax', 'Strict', 'None'] as const,
  }),
  jwtAuthReturnExpiration: checkbox({
    default: false,
    description: 'Include access_expiration and refresh_expiration in JWT login responses.',
    django: 'JWT_AUTH_RETURN_EXPIRATION',
    group: 'jwt',
  }),
  jwtAuthCookieUseCsrf: checkbox({
    default: false,
    description:
      'Check CSRF (X-CSRFToken header against the csrftoken cookie) on requests authenticated by the JWT cookie.',
    django: 'JWT_AUTH_COOKIE_USE_CSRF',
    group: 'jwt',
  }),
  jwtAuthCookieEnforceCsrfOnUnauthenticated: checkbox({
    default: false,
    description: 'Also check CSRF on unauthenticated requests that carry the JWT cookie.',
    django: 'JWT_AUTH_COOKIE_ENFORCE_CSRF_ON_UNAUTHENTICATED',
    group: 'jwt',
  }),
  accessTokenLifetime: number({
    default: 300,
    description: 'Lifetime of access tokens in seconds.',
    django: 'SIMPLE_JWT.ACCESS_TOKEN_LIFETIME',
    group: 'jwt',
    min: 1,
  }),
  refreshTokenLifetime: number({
    default: 86400,
    description: 'Lifetime of refresh tokens in seconds.',
    django: 'SIMPLE_JWT.REFRESH_TOKEN_LIFETIME',
    group: 'jwt',
    min: 1,
  }),
  rotateRefreshTokens: checkbox({
    default: false,
    description: 'token/refresh/ also returns a new refresh token.',
    django: 'SIMPLE_JWT.ROTATE_REFRESH_TOKENS',
    group: 'jwt',
  }),
  blacklistAfterRotation: checkbox({
    default: true,
    description: 'Blacklist a refresh token once it has been rotated.',
    django: 'SIMPLE_JWT.BLACKLIST_AFTER_ROTATION',
    group: 'jwt',
  }),
  refreshTokenGraceSeconds: number({
    default: 10,
    description:
      'With rotation and blacklisting: for this many seconds after a refresh token was rotated, presenting it again (two tabs refreshing at once) answers with the same new refresh token instead of revoking the login. Later reuse still revokes every token of that login. 0 turns the grace off.',
    group: 'jwt',
  }),
  jwtSigningKey: text({
    default: '',
    description: 'HS256 signing key. Empty derives one from the Payload secret.',
    django: 'SIMPLE_JWT.SIGNING_KEY',
    group: 'jwt',
    isSecret: true,
  }),
  jwtPreviousSigningKey: text({
    default: '',
    description: 'The key used before the last rotation: tokens it signed stay valid until they expire.',
    group: 'jwt',
    isSecret: true,
  }),
  jwtAccessHonoursSessionEnd: checkbox({
    default: false,
    description:
      'Refuse access tokens of a login that has ended (logout, sessions/ revocation, password change) before they expire. Each request then looks the login up (cached for tokenCacheTtl; with Redis, an ended login leaves every instance’s cache at once); off, an access token works until it expires, as in simplejwt.',
    group: 'jwt',
  }),
  jwtAllowCookielessClients: checkbox({
    default: true,
    description:
      'Let a client that cannot hold cookies (header `X-Rest-Auth-Cookieless: 1`) receive the refresh token in the body even when JWT_AUTH_HTTPONLY is on.',
    group: 'jwt',
  }),

  // Registration and e-mail
  registrationOpen: checkbox({
    default: true,
    description:
      'Allow sign-ups through registration/. Combined with the `registerAccess` plugin option (REGISTER_PERMISSION_CLASSES).',
    django: 'REGISTER_PERMISSION_CLASSES',
    group: 'registration',
  }),
  accountEmailVerification: select({
    default: 'optional',
    description:
      'none: no confirmation mail; optional: mail sent, login allowed; mandatory: login refused until the address is confirmed.',
    django: 'ACCOUNT_EMAIL_VERIFICATION',
    group: 'registration',
    options: ['none', 'optional', 'mandatory'] as const,
  }),
  accountAuthenticationMethod: select({
    default: 'username',
    description: 'What users log in with.',
    django: 'ACCOUNT_AUTHENTICATION_METHOD',
    group: 'registration',
    options: ['username', 'email', 'username_email'] as const,
  }),
  accountEmailRequired: checkbox({
    default: false,
    description: 'Registration requires an e-mail address.',
    django: 'ACCOUNT_EMAIL_REQUIRED',
    group: 'registration',
  }),
  accountUsernameRequired: checkbox({
    default: true,
    description: 'Registration requires a username (otherwise one is generated from the e-mail address).',
    django: 'ACCOUNT_USERNAME_REQUIRED',
    group: 'registration',
  }),
  emailConfirmationExpireDays: number({
    default: 3,
    description: 'Days an e-mail confirmation key stays valid.',
    django: 'ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS',
    group: 'registration',
    min: 1,
  }),
  emailConfirmationUrl: text({
    default: '',
    description:
      'Link in confirmation mails, with {key} (and optionally {origin}, {domain}). Empty: {origin}/account-confirm-email/{key}/.',
    group: 'registration',
  }),
  siteName: text({
    default: 'example.com',
    description: 'Site name used in e-mail subjects and bodies.',
    django: 'Site.name',
    group: 'registration',
  }),
  siteDomain: text({
    default: 'example.com',
    description: 'Site domain used in links when PASSWORD_RESET_USE_SITES_DOMAIN is on.',
    django: 'Site.domain',
    group: 'registration',
  }),
  passwordResetUseSitesDomain: checkbox({
    default: false,
    description: 'Build password reset links from the site domain instead of the request host.',
    django: 'PASSWORD_RESET_USE_SITES_DOMAIN',
    group: 'registration',
  }),
  passwordResetTimeout: number({
    default: 259200,
    description: 'Seconds a password reset link stays valid (three days).',
    django: 'PASSWORD_RESET_TIMEOUT',
    group: 'registration',
    min: 1,
  }),
  passwordResetConfirmUrl: text({
    default: '',
    description:
      'Link in password reset mails, with {uid} and {token} (and optionally {origin}, {domain}). Empty: {origin}/password-reset/confirm/{uid}/{token}/.',
    group: 'registration',
  }),

  // Codes instead of links (allauth headless's login by code, EMAIL_VERIFICATION_BY_CODE, PASSWORD_RESET_BY_CODE)
  loginByCodeEnabled: checkbox({
    default: false,
    description:
      'Log in with a code mailed to the address (code/request/, code/confirm/, code/resend/), for apps that cannot open links. Off: those routes answer 404.',
    django: 'ACCOUNT_LOGIN_BY_CODE_ENABLED',
    group: 'registration',
  }),
  emailVerificationByCode: checkbox({
    default: false,
    description:
      'registration/ and registration/resend-email/ mail a code instead of a link and answer its flow_token; registration/verify-email/ accepts {"flow_token", "code"} (links from earlier mails keep working).',
    django: 'ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED',
    group: 'registration',
  }),
  passwordResetByCode: checkbox({
    default: false,
    description:
      'password/reset/ mails a code instead of a link and answers its flow_token; password/reset/confirm/ accepts {"flow_token", "code", "new_password1", "new_password2"} (links from earlier mails keep working).',
    django: 'ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED',
    group: 'registration',
  }),
  codeFormat: select({
    default: 'letters',
    description:
      'What a mailed code looks like: letters (8 capital letters without I and O, as allauth; 24^8 ≈ 1.1·10^11) or digits (8 digits; 10^8).',
    group: 'registration',
    options: ['letters', 'digits'] as const,
  }),
  codeTimeout: number({
    default: 180,
    description: 'Seconds a mailed code (login, verification or reset) stays valid.',
    django: 'ACCOUNT_LOGIN_BY_CODE_TIMEOUT',
    group: 'registration',
    min: 30,
  }),
  codeMaxAttempts: number({
    default: 3,
    description: 'Codes checked per flow: once this many were wrong, the flow dies and the client must request a new code.',
    django: 'ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS',
    group: 'registration',
    min: 1,
  }),
  codeMaxResends: number({
    default: 3,
    description: 'New codes code/resend/ sends for one flow; each voids the one before.',
    group: 'registration',
  }),
  codeLinkUrl: text({
    default: '',
    description:
      'Optional link in login code mails to the client\'s own page, which POSTs the code to code/confirm/ (a GET never uses a code): a template with {code} and optionally {flow_token}, {email}, {origin}, {domain}. Empty: the mail carries the code alone.',
    group: 'registration',
  }),
  emailUnknownAccounts: checkbox({
    default: true,
    description:
      'code/request/ for an address without an account mails it that there is no account (no code). Off: such addresses get no mail. The answer is the same either way.',
    django: 'ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS',
    group: 'registration',
  }),
  accountDeletionMode: select({
    default: 'delete',
    description:
      'What user/delete/ (and an admin\'s delete on the user\'s page) does: delete the user and everything that hangs on it, or deactivate the account (it keeps its data and can no longer log in).',
    group: 'registration',
    options: ['delete', 'deactivate'] as const,
  }),
  accountDeletionConfirmByEmail: checkbox({
    default: false,
    description:
      'user/delete/ mails a confirmation link instead of deleting at once; the account goes when the link\'s key is posted to user/delete/confirm/.',
    group: 'registration',
  }),
  accountDeletionConfirmUrl: text({
    default: '',
    description:
      'Link in account deletion confirmation mails, with {key} (and optionally {origin}, {domain}). Empty: {origin}/account-delete/confirm/{key}/.',
    group: 'registration',
  }),

  // Password rules
  oldPasswordFieldEnabled: checkbox({
    default: false,
    description: 'password/change/ requires old_password.',
    django: 'OLD_PASSWORD_FIELD_ENABLED',
    group: 'passwords',
  }),
  logoutOnPasswordChange: checkbox({
    default: false,
    description:
      'A password change ends the session and revokes the token that made the request. Off keeps the user logged in.',
    django: 'LOGOUT_ON_PASSWORD_CHANGE',
    group: 'passwords',
  }),
  passwordMinLength: number({
    default: 8,
    description: 'MinimumLengthValidator: minimum password length (0 disables).',
    django: 'AUTH_PASSWORD_VALIDATORS',
    group: 'passwords',
  }),
  passwordUserAttributeSimilarity: checkbox({
    default: true,
    description: 'UserAttributeSimilarityValidator: refuse passwords too similar to the username, names or e-mail.',
    django: 'AUTH_PASSWORD_VALIDATORS',
    group: 'passwords',
  }),
  passwordCommonCheck: checkbox({
    default: true,
    description: 'CommonPasswordValidator: refuse passwords from a list of tens of thousands of common ones.',
    django: 'AUTH_PASSWORD_VALIDATORS',
    group: 'passwords',
  }),
  passwordNumericCheck: checkbox({
    default: true,
    description: 'NumericPasswordValidator: refuse entirely numeric passwords.',
    django: 'AUTH_PASSWORD_VALIDATORS',
    group: 'passwords',
  }),
  allowWeakDjangoHashes: checkbox({
    default: false,
    description:
      'Accept imported Django hashes of the weak kinds (md5, sha1, unsalted_md5, unsalted_sha1, crypt) at login, converting them to Payload\'s format at once. Off: those users must reset their password.',
    django: 'PASSWORD_HASHERS',
    group: 'passwords',
  }),
  djangoHashesExpireAt: text({
    default: '',
    description:
      'From this moment (ISO 8601; a date alone is its midnight UTC) imported Django hashes that no login has converted yet are refused: those users must reset their password. Empty: accepted indefinitely.',
    group: 'passwords',
  }),

  // Rate limits
  throttleEnabled: checkbox({
    default: true,
    description: 'Apply the rate limits below (DRF throttles / allauth rate limits). Rates look like 5/min, 100/hour, 1000/day; empty turns one off.',
    group: 'throttling',
  }),
  throttleLoginIp: text({ default: '60/min', description: 'login/ per client address.', group: 'throttling' }),
  throttleLoginAccount: text({ default: '10/min', description: 'login/ per username or e-mail.', group: 'throttling' }),
  throttlePasswordResetIp: text({ default: '20/min', description: 'password/reset/ per client address.', group: 'throttling' }),
  throttlePasswordResetAccount: text({ default: '5/hour', description: 'password/reset/ per e-mail address.', group: 'throttling' }),
  throttleRegistrationIp: text({ default: '20/min', description: 'registration/ per client address.', group: 'throttling' }),
  throttleEmailVerificationIp: text({
    default: '30/min',
    description: 'registration/verify-email/ and registration/resend-email/ per client address.',
    group: 'throttling',
  }),
  throttleResendEmailAccount: text({ default: '3/hour', description: 'registration/resend-email/ per e-mail address.', group: 'throttling' }),
  throttleTokenRefreshIp: text({ default: '120/min', description: 'token/refresh/ per client address.', group: 'throttling' }),
  throttleSocialIp: text({ default: '30/min', description: 'Social login and connect per client address.', group: 'throttling' }),
  throttleCodeRequestIp: text({
    default: '20/min',
    description: 'code/request/ and code/resend/ per client address.',
    group: 'throttling',
  }),
  throttleCodeRequestAccount: text({
    default: '5/hour',
    description: 'Codes mailed by code/request/ and code/resend/ per e-mail address.',
    group: 'throttling',
  }),
  throttleCodeConfirmIp: text({ default: '30/min', description: 'code/confirm/ per client address.', group: 'throttling' }),
  throttlePasswordResetConfirmIp: text({
    default: '20/min',
    description: 'password/reset/confirm/ per client address.',
    group: 'throttling',
  }),
  loginLockoutThreshold: number({
    default: 5,
    description: 'Failed logins for one account from one address before it backs off (0 disables the lockout).',
    group: 'throttling',
  }),
  loginLockoutBaseSeconds: number({
    default: 30,
    description: 'First back-off after the threshold; it doubles with every further failure, up to loginLockoutMaxSeconds.',
    group: 'throttling',
    min: 1,
  }),
  loginLockoutMaxSeconds: number({
    default: 3600,
    description: 'Longest back-off, however many failures follow.',
    group: 'throttling',
    min: 1,
  }),
  loginLockoutMaxAccountsPerAddress: number({
    default: 100,
    description:
      'Accounts one client address may have failure rows for. Failed logins for further names from that address count against the address as a whole and back off like one account, so random unknown names cannot grow login-failures without bound.',
    group: 'throttling',
    min: 1,
  }),
  loginLockoutResetSeconds: number({
    default: 86400,
    description: 'Failures of an account and address with no new failure for this long are forgotten (and their rows deleted).',
    group: 'throttling',
    min: 60,
  }),

  authEventsEnabled: checkbox({
    default: true,
    description:
      'Record security events (logins and failures, session, password, e-mail, two-factor and passkey changes, account deletions) in the auth-events collection, which staff can read.',
    group: 'security',
  }),
  authEventsRetentionDays: number({
    default: 90,
    description: 'Days security events are kept; older ones are deleted (checked at most hourly).',
    group: 'security',
    min: 1,
  }),
  securityNoticeMails: checkbox({
    default: false,
    description:
      'Also mail the user when their password changes or their other sessions are revoked (an e-mail change always notifies the old address, and a deletion the account\'s address).',
    group: 'security',
  }),

  // Proxies and origins
  trustedProxyCount: number({
    default: 0,
    description:
      'Reverse proxies in front of the app that each append the address they received the request from to X-Forwarded-For (nginx: $proxy_add_x_forwarded_for). The client is read that many entries left of the app server\'s own peer; 0 believes no forwarded header. Only when the app cannot be reached around those proxies.',
    group: 'security',
  }),
  trustedProxies: text({
    default: '',
    description:
      'Addresses or CIDR ranges of trusted reverse proxies, IPv4 or IPv6, separated by spaces or commas (e.g. 10.0.0.0/8). X-Forwarded-For entries they wrote are skipped from the right, and their X-Forwarded-Host and X-Forwarded-Proto are believed.',
    group: 'security',
  }),
  csrfTrustedOrigins: text({
    default: '',
    description:
      'Origins besides this site (serverURL, or the host the request was sent to) that may send unsafe cookie-authenticated requests and form-encoded bodies, e.g. https://app.example.com or https://*.example.com, separated by spaces or commas.',
    django: 'CSRF_TRUSTED_ORIGINS',
    group: 'security',
  }),
  openApiAccess: select({
    default: 'staff',
    description:
      'Who may fetch the OpenAPI 3.1 document of the API (`openapi.json`, `openapi.yaml`), generated from the routes and these settings: `off` (404), `staff` (admins, as the `isAdmin` option decides), `public` (anyone). It lists every enabled route, so `public` tells the world which features are on.',
    group: 'security',
    options: ['off', 'staff', 'public'] as const,
  }),

  // Passkeys (WebAuthn)
  webauthnEnabled: checkbox({
    default: false,
    description:
      'Passkeys: signed-in users with a verified address register them (webauthn/register/options/, webauthn/register/), list, rename and delete them (webauthn/authenticators/).',
    group: 'security',
  }),
  webauthnLoginEnabled: checkbox({
    default: false,
    description:
      'Passwordless login with a passkey registered as passwordless (webauthn/login/options/, webauthn/login/); needs passkeys on. It answers as login/ does.',
    django: 'MFA_PASSKEY_LOGIN_ENABLED',
    group: 'security',
  }),
  webauthnRpId: text({
    default: '',
    description:
      'The relying party ID passkeys are bound to: this site\'s host name or a registrable suffix of it (example.com for app.example.com). Changing it orphans every passkey registered under the old one. Empty: the host of serverURL (outside production, of the request when serverURL is not set).',
    group: 'security',
  }),
  webauthnRpName: text({
    default: '',
    description: 'The site name authenticators show when a passkey is created. Empty: the site name.',
    group: 'security',
  }),
  webauthnOrigins: text({
    default: '',
    description:
      'Origins a passkey ceremony may come from, separated by spaces or commas: web origins like https://app.example.com (their host must be the RP ID or under it), and Android apps as android:apk-key-hash:<base64url SHA-256 of the signing certificate>. Empty: serverURL\'s origin (outside production, the request\'s when serverURL is not set).',
    group: 'security',
  }),
  webauthnTimeout: number({
    default: 300,
    description: 'Seconds a passkey ceremony (the options and the flow token they come with) stays valid.',
    group: 'security',
    min: 30,
  }),
  // Two-factor authentication
  mfaEnabled: checkbox({
    default: true,
    description:
      'Users may enrol a TOTP authenticator (mfa/totp/setup/ and activate/). Off: those routes answer 404; authenticators already active are still required at every login and can still be removed.',
    django: 'MFA_SUPPORTED_TYPES',
    group: 'mfa',
  }),
  mfaTotpIssuer: text({
    default: '',
    description: 'The issuer an authenticator app shows beside the account. Empty: the site name.',
    django: 'MFA_TOTP_ISSUER',
    group: 'mfa',
  }),
  mfaTotpDigits: number({
    default: 6,
    description: 'Digits of a TOTP code (6 or 8). Authenticators keep the value they were enrolled with.',
    django: 'MFA_TOTP_DIGITS',
    group: 'mfa',
    min: 6,
  }),
  mfaTotpPeriod: number({
    default: 30,
    description: 'Seconds each TOTP code is valid for. Authenticators keep the value they were enrolled with.',
    django: 'MFA_TOTP_PERIOD',
    group: 'mfa',
    min: 15,
  }),
  mfaTotpAlgorithm: select({
    default: 'SHA1',
    description:
      'HMAC of the TOTP codes (RFC 6238). Most authenticator apps ignore anything but SHA1. Authenticators keep the value they were enrolled with.',
    group: 'mfa',
    options: ['SHA1', 'SHA256', 'SHA512'],
  }),
  mfaTotpTolerance: number({
    default: 0,
    description:
      'Time steps before and after the current one whose codes are also accepted, for clocks that drift. Each step is usable once whatever this says.',
    django: 'MFA_TOTP_TOLERANCE',
    group: 'mfa',
  }),
  mfaRecoveryCodeCount: number({
    default: 10,
    description: 'Recovery codes made at activation and by each regeneration; each works once.',
    django: 'MFA_RECOVERY_CODE_COUNT',
    group: 'mfa',
    min: 1,
  }),
  mfaLoginTimeout: number({
    default: 600,
    description:
      'Seconds a login waiting for its second factor (the `mfa_token`), or a TOTP setup waiting for its first code, stays open.',
    group: 'mfa',
    min: 30,
  }),
  mfaMaxAttempts: number({
    default: 5,
    description: 'Wrong codes after which a login waiting for its second factor dies and must start again.',
    group: 'mfa',
    min: 1,
  }),
  mfaEncryptionKey: text({
    default: '',
    description:
      'Key that encrypts TOTP secrets at rest (AES-256-GCM): at least 32 bytes of randomness, e.g. `openssl rand -base64 48`. Empty: the REST_AUTH_ENCRYPTION_KEY environment variable, else a key derived from the Payload secret. Write-only.',
    group: 'mfa',
    isSecret: true,
  }),
  mfaPreviousEncryptionKey: text({
    default: '',
    description:
      'The encryption key used before the last rotation: secrets it encrypted are still read, and re-encrypted with the current key at their next use.',
    group: 'mfa',
    isSecret: true,
  }),
  throttleMfaIp: text({ default: '30/min', description: 'mfa/authenticate/ per client address.', group: 'throttling' }),
  throttleMfaAccount: text({ default: '10/min', description: 'mfa/authenticate/ per account.', group: 'throttling' }),

  // Social login, whatever the provider
  socialCheckTokenAudience: checkbox({
    default: true,
    description:
      'Before an access_token logs anyone in, ask the provider whether it was issued to this site (its client ID, or one of its accepted client IDs): Google\'s tokeninfo, GitHub\'s token check, the app of a Microsoft Graph token, an OpenID Connect provider\'s introspection; a token another app obtained from the user, or one that cannot be checked, is refused. Off: dj-rest-auth\'s behaviour, which accepts any token the provider honours. Codes (exchanged with the secret) and id_tokens (which name their audience) are always checked.',
    group: 'social',
  }),
} as const satisfies Record<string, SettingDefinition>

/** The defaults of every setting but the providers' own. */
export const coreDefaultSettings = Object.fromEntries(
  Object.entries(coreSettingDefinitions).map(([key, def]) => [key, def.default]),
) as { -readonly [K in keyof typeof coreSettingDefinitions]: ValueOf<(typeof coreSettingDefinitions)[K]> }
