import type { Field } from 'payload'

import type { I18nLike } from '../../admin/translations/index.js'

import { translateOr } from '../../admin/translations/index.js'

type FieldText = { description: string; label: string }

/**
 * The English label and help text of every field the plugin adds, by collection (the plugin's
 * collection keys, not their slugs, which are options). Without them Payload labels a field with
 * its name (`Is_active`, `Last_login`, `Token digest`). Kept here, on the server, like the settings'
 * texts: the admin's client components never need them.
 */
export const fieldTexts = {
  users: {
    first_name: { description: 'Returned by user/, where the user can change it.', label: 'First name' },
    last_name: { description: 'Returned by user/, where the user can change it.', label: 'Last name' },
    is_active: { description: 'Inactive users cannot log in; their tokens stop working.', label: 'Active' },
    is_staff: { description: 'Staff can use the admin panel and administer the API.', label: 'Staff' },
    last_login: {
      description: 'Set by every login through the API; it also ends password-reset links mailed before it.',
      label: 'Last login',
    },
    mfa_enabled: {
      description: 'An authenticator app is active; kept by the plugin. Reset it on the account panel below.',
      label: 'Two-factor authentication',
    },
    django_id: { description: 'Primary key of the user in the Django database it was imported from.', label: 'Django ID' },
    django_password: {
      description: 'The imported Django password hash, converted at the first login that matches it. Nobody can read it.',
      label: 'Django password hash',
    },
  },
  tokens: {
    user: { description: 'Whom the key authenticates.', label: 'User' },
    kind: { description: 'An API token (login/ without USE_JWT) or a session key (SESSION_LOGIN).', label: 'Kind' },
    digest: { description: 'SHA-256 digest of the key; the key itself is never stored.', label: 'Key digest' },
    prefix: { description: 'The first characters of the key, to tell keys apart.', label: 'Key prefix' },
    userAgent: { description: 'The User-Agent of the client that logged in.', label: 'Client' },
    session: { description: 'Public id of the login (auth-sessions) this key belongs to.', label: 'Session' },
    lastUsedAt: { description: 'The last request this key authenticated.', label: 'Last used' },
    expiresAt: { description: 'When the key stops working; empty: it does not expire.', label: 'Expires' },
  },
  emailAddresses: {
    user: { description: 'Whose address this is.', label: 'User' },
    email: { description: 'Unique across every user.', label: 'E-mail address' },
    verified: { description: 'Confirmed through the link or code mailed to it, or by an admin.', label: 'Verified' },
    primary: { description: 'The user’s main address, the one in the user’s own e-mail field.', label: 'Primary' },
  },
  socialAccounts: {
    user: { description: 'The user this provider identity logs in.', label: 'User' },
    provider: { description: 'The provider’s id (google, github, an OpenID Connect provider’s id…).', label: 'Provider' },
    uid: { description: 'The user’s id at the provider.', label: 'Provider user ID' },
    providerUid: { description: 'provider:uid, unique: one identity links one user.', label: 'Provider and user ID' },
    extra_data: { description: 'The profile the provider sent at the last login (never its tokens).', label: 'Provider profile' },
    lastLogin: { description: 'The last login through this account.', label: 'Last login' },
  },
  outstandingTokens: {
    jti: { description: 'The refresh token’s id (its jti claim); the token itself is never stored.', label: 'Token ID' },
    user: { description: 'Whom the refresh token belongs to.', label: 'User' },
    family: { description: 'Shared by every refresh token rotated from the same login.', label: 'Login family' },
    expiresAt: { description: 'When the refresh token expires.', label: 'Expires' },
    blacklistedAt: { description: 'Set it to revoke the token: token/refresh/ refuses it from then on.', label: 'Blacklisted at' },
    blacklistReason: { description: 'Why it was blacklisted; an admin’s revocation if left empty.', label: 'Blacklist reason' },
    session: { description: 'Public id of the login (auth-sessions) this token belongs to.', label: 'Session' },
    userAgent: { description: 'The User-Agent of the client that logged in.', label: 'Client' },
  },
  loginFailures: {
    account: { description: 'The username or address tried (* counts an address’s further names).', label: 'Account' },
    ip: { description: 'The client address the attempts came from.', label: 'Client address' },
    failures: { description: 'Failed logins in a row; a success or a quiet spell resets them.', label: 'Failures' },
    lockedUntil: { description: 'Logins of this account from this address are refused until then. Delete the row to lift it.', label: 'Locked until' },
  },
  idTokenNonces: {
    digest: { description: 'SHA-256 digest of a nonce that already logged someone in.', label: 'Nonce digest' },
    expiresAt: { description: 'When the id_token carrying it expires; the row can go then.', label: 'Expires' },
  },
  mfaAuthenticators: {
    user: { description: 'Whose second factor this is.', label: 'User' },
    type: { description: 'An authenticator app (TOTP) or one recovery code.', label: 'Type' },
    activatedAt: { description: 'When the authenticator app was activated; empty while its setup waits for a first code.', label: 'Activated at' },
    setupExpiresAt: { description: 'When a setup that never got its first code stops being accepted.', label: 'Setup expires' },
    lastUsedAt: { description: 'The last login the authenticator app completed.', label: 'Last used' },
    usedAt: { description: 'When the recovery code was used; each works once.', label: 'Used at' },
    secret: { description: 'The app’s seed, encrypted (AES-256-GCM). Nobody can read it.', label: 'Encrypted seed' },
    parameters: { description: 'Algorithm, digits and period the app was enrolled with.', label: 'Code parameters' },
    lastStep: { description: 'The last time step whose code was accepted; older ones are refused.', label: 'Last time step' },
    codeDigest: { description: 'Salted scrypt digest of the recovery code; the code itself is never stored.', label: 'Code digest' },
    salt: { description: 'Salt of the digests of the recovery codes made together.', label: 'Salt' },
  },
  authFlows: {
    kind: { description: 'What the flow waits for: a second factor, a mailed code, a passkey.', label: 'Kind' },
    tokenDigest: { description: 'Digest of the flow token the client holds.', label: 'Flow token digest' },
    user: { description: 'The user the flow is for, once known.', label: 'User' },
    email: { description: 'The address a code was mailed to.', label: 'E-mail address' },
    secretDigest: { description: 'Keyed digest of the code the flow waits for.', label: 'Code digest' },
    data: { description: 'The flow’s own state.', label: 'Flow data' },
    attempts: { description: 'Attempts made so far.', label: 'Attempts' },
    maxAttempts: { description: 'Attempts allowed before the flow ends.', label: 'Attempts allowed' },
    renewals: { description: 'How often its secret was replaced (a code sent again).', label: 'Renewals' },
    expiresAt: { description: 'When the flow ends unfinished.', label: 'Expires' },
    consumedAt: { description: 'When the flow was completed; it cannot be used again.', label: 'Completed at' },
  },
  webauthnCredentials: {
    user: { description: 'Whose passkey this is; it logs in only this user.', label: 'User' },
    name: { description: 'The name the user gave it; they rename it through webauthn/authenticators/.', label: 'Name' },
    credentialId: { description: 'The credential ID (base64url), unique: a login finds its passkey by it.', label: 'Credential ID' },
    publicKey: { description: 'The COSE public key that checks its signatures (not a secret).', label: 'Public key' },
    userHandle: { description: 'The random per-user value the authenticator keeps as the user (not the database id).', label: 'User handle' },
    counter: { description: 'The signature counter last seen; a lower one is refused (a cloned authenticator).', label: 'Signature counter' },
    transports: { description: 'How the browser reaches the authenticator (internal, usb, hybrid…).', label: 'Transports' },
    isPasswordless: { description: 'Registered for passwordless login (discoverable, with user verification).', label: 'Passwordless' },
    deviceType: { description: 'singleDevice, or multiDevice for a synced passkey.', label: 'Device type' },
    isBackedUp: { description: 'Whether the passkey is synced or backed up by its provider.', label: 'Backed up' },
    aaguid: { description: 'The authenticator model’s AAGUID (zeros when it does not say).', label: 'AAGUID' },
    lastUsedAt: { description: 'The last login or reauthentication with it.', label: 'Last used' },
  },
  authSessions: {
    publicId: { description: 'The random id clients see in sessions/ and JWTs (sid); never a key.', label: 'Session ID' },
    user: { description: 'Whose login this is.', label: 'User' },
    kinds: { description: 'What the login issued: an API token, a cookie session, a JWT refresh family.', label: 'Credentials' },
    device: { description: 'Browser and platform, read from the User-Agent (“Chrome on Windows”).', label: 'Device' },
    userAgent: { description: 'The User-Agent of the client that logged in.', label: 'Client' },
    ipAddress: { description: 'The client address, as sessionClientAddress records it (whole, truncated or none).', label: 'Client address' },
    methods: { description: 'How the user proved their identity on this login, with when (password, social, reauthentication…).', label: 'Methods' },
    authenticatedAt: { description: 'The last proof of identity: recent authentication counts from it.', label: 'Authenticated at' },
    lastSeenAt: { description: 'The last request this login authenticated (written at most once a minute).', label: 'Last seen' },
    expiresAt: { description: 'When the login’s credentials expire; empty: they do not.', label: 'Expires' },
    endedAt: { description: 'When the login ended; its credentials stopped then.', label: 'Ended at' },
    endReason: { description: 'Why it ended: logout, revoked, a password change, a deactivation…', label: 'End reason' },
  },
  authEvents: {
    type: { description: 'What happened: login, login_failed, session_ended, password_changed, email_added…', label: 'Event' },
    user: { description: 'Whom it concerns; empty once the user is deleted.', label: 'User' },
    subject: { description: 'The user’s id, kept after a deletion.', label: 'User ID' },
    method: { description: 'How the user authenticated, for logins and reauthentications.', label: 'Method' },
    session: { description: 'Public id of the login (auth-sessions) concerned.', label: 'Session' },
    ipAddress: { description: 'The client address, as sessionClientAddress records it.', label: 'Client address' },
    userAgent: { description: 'The User-Agent of the client.', label: 'Client' },
    detail: { description: 'What else the event records (addresses changed, why a session ended); never a secret.', label: 'Details' },
  },
} as const satisfies Record<string, Record<string, FieldText>>

export type FieldTextCollection = keyof typeof fieldTexts

const textKey = (collection: string, field: string, part: keyof FieldText) => `field-${collection}-${field}-${part}`

/** The table as translation keys (`field-<collection>-<field>-label`, `-description`); other languages translate the same keys. */
export const fieldTranslations: Record<string, string> = Object.fromEntries(
  Object.entries(fieldTexts).flatMap(([collection, fields]) =>
    Object.entries(fields as Record<string, FieldText>).flatMap(([field, text]) => [
      [textKey(collection, field, 'label'), text.label],
      [textKey(collection, field, 'description'), text.description],
    ]),
  ),
)

type TextArgs = { i18n: I18nLike }

/**
 * The fields with their label and help text from the table, in the admin's language (English where
 * it lacks a key). A field the table does not name keeps its own (test/unit/adminFieldLabels.test.ts
 * fails on any plugin field without one).
 */
export const withFieldTexts = (collection: FieldTextCollection, fields: Field[]): Field[] =>
  fields.map((field) => {
    const texts = fieldTexts[collection] as Record<string, FieldText>
    const name = 'name' in field ? field.name : undefined
    if (name === undefined || !texts[name]) {
      return field
    }
    const text = (part: keyof FieldText) => ({ i18n }: TextArgs) =>
      translateOr(i18n, textKey(collection, name, part), texts[name]![part])
    return { ...field, admin: { ...field.admin, description: text('description') }, label: text('label') } as Field
  })
