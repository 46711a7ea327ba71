import type {
  CollectionAfterErrorHook,
  CollectionAfterLoginHook,
  CollectionAfterLogoutHook,
  CollectionBeforeLoginHook,
  CollectionBeforeOperationHook,
  PayloadRequest,
} from 'payload'

import { APIError, AuthenticationError, Forbidden, UnverifiedEmail } from 'payload'

import type { RestAuthUser, SanitizedRestAuthOptions } from '../../types.js'

import { revokeAllCredentials } from '../../auth/revokeCredentials.js'
import { recordAuthEvent } from '../../events/recordEvent.js'
import { rememberLoginCode, requireSecondFactorForPayload, SecondFactorError, secondFactorUsed } from '../../mfa/payloadLoginGate.js'
import { isEmailVerified } from '../../emailAddresses/isEmailVerified.js'
import { assertPasswordCheckSlotFree } from '../../passwords/checkSlots.js'
import { hasPayloadHash, spendDerivation } from '../../passwords/hashing.js'
import { upgradePasswordHash, verifyPassword } from '../../passwords/verifyPassword.js'
import { getRequestAuth } from '../../strategies/requestAuth.js'
import { clearLoginFailures, lockoutFor, recordLoginFailure } from '../../throttling/loginLockout.js'
import { revokeTokenKey } from '../../tokens/tokenStore.js'
import { findUser, normalizeIdentifier } from '../../users/findUser.js'
import { isFirstRegistration } from './payloadWrites.js'

/*
 * Everything the plugin adds to Payload's own login and session routes (`/api/<users>/login`,
 * `refresh-token` and `logout`, GraphQL's `login<Users>` and the Local API's `payload.login`), so
 * they refuse what the plugin's `login/` refuses: inactive users, unverified ones under mandatory
 * verification, and clients in the back-off — with the same words and timing for unknown accounts —
 * and accept what it accepts: a password imported with a Django hash.
 */

const ACCOUNT_CONTEXT_KEY = 'restAuthLoginAccount'
/** The id of the account the login names, once found: its failure goes into the security log. */
const USER_CONTEXT_KEY = 'restAuthLoginUserId'

/** The back-off's 429 (`throttledError`'s words), as an error Payload's REST and GraphQL routes answer with its status. */
class LoginThrottledError extends APIError {
  constructor({ message, waitSeconds }: { message: string; waitSeconds: number }) {
    super(message, 429, { retryAfter: waitSeconds }, true)
  }
}

const loginData = (args: unknown) => ((args as { data?: Record<string, unknown> }).data ?? {}) as Record<string, unknown>

/** The account a login names (username first, as Payload looks it up), or null when it names none. */
const loginAccount = (data: Record<string, unknown>): null | string => {
  const identifier = [data.username, data.email].find((value): value is string => typeof value === 'string' && value.trim() !== '')
  return identifier === undefined ? null : normalizeIdentifier(identifier)
}

/**
 * Before Payload's login: the back-off, the unknown account, the Django hash. A locked client and an
 * unknown account spend the same password derivation as a known one, so neither answer is faster. The
 * failure is counted before the password is checked and cleared again by a successful login
 * (`clearBackoffAfterLogin`), so it counts on every surface, including those without `afterError`.
 */
const guardLogin = async (options: SanitizedRestAuthOptions, args: unknown, req: PayloadRequest): Promise<void> => {
  const data = loginData(args)
  rememberLoginCode(req, data)
  const account = loginAccount(data)
  if (account === null || typeof data.password !== 'string' || data.password.trim() === '') {
    return
  }
  // Refused alike for known accounts (whose derivation Payload runs) and unknown ones (ours), so a
  // busy server says nothing about which accounts exist.
  assertPasswordCheckSlotFree(req)
  const settings = await options.settingsStore.get(req.payload)
  const lockout = { account, options, req, settings }
  const locked = await lockoutFor(lockout)
  if (locked) {
    await spendDerivation(data.password)
    const waitSeconds = Number(locked.headers['Retry-After'] ?? 1)
    req.responseHeaders = req.responseHeaders ?? new Headers()
    req.responseHeaders.set('Retry-After', String(waitSeconds))
    throw new LoginThrottledError({ message: locked.message, waitSeconds })
  }
  await recordLoginFailure(lockout)
  ;(req.context as Record<string, unknown>)[ACCOUNT_CONTEXT_KEY] = account
  // Looked up the way Payload will (username or e-mail, either field), in the request's transaction:
  // first-register logs in the user it has just created, before the commit.
  const user = await findUser({ options, req, where: { or: [{ email: { equals: account } }, { username: { equals: account } }] } })
  if (!user) {
    await spendDerivation(data.password)
    // Payload's words for a wrong password, on every surface (REST rewrites them in afterError).
    throw new AuthenticationError(req.t)
  }
  ;(req.context as Record<string, unknown>)[USER_CONTEXT_KEY] = user.id
  if (!hasPayloadHash(user)) {
    // Payload checks only its own hashes: an imported Django hash is checked here (an account without
    // any password spends the same derivation), and a match is stored in Payload's format so that
    // Payload's check then succeeds.
    const { isMatch } = await verifyPassword({ password: data.password, settings, user })
    if (isMatch) {
      await upgradePasswordHash({ options, password: data.password, req, user })
    }
  }
}

/**
 * Payload's refresh-token renews its own JWT. A request authenticated by one of the plugin's
 * credentials would get a Payload JWT that outlives that credential's logout; an inactive user
 * gets nothing.
 */
const guardRefresh = (options: SanitizedRestAuthOptions, req: PayloadRequest): void => {
  const user = req.user as ({ _strategy?: string; collection?: string } & RestAuthUser) | null
  if (user?.collection !== options.usersCollection) {
    return
  }
  if (user.is_active === false || user._strategy !== 'local-jwt') {
    throw new Forbidden(req.t)
  }
}

export const guardPayloadSessions =
  (options: SanitizedRestAuthOptions): CollectionBeforeOperationHook =>
  async ({ args, operation, req }) => {
    if (operation === 'login') {
      await guardLogin(options, args, req)
    } else if (operation === 'refresh') {
      guardRefresh(options, req)
    }
    return args
  }

/**
 * After the password matched (login, and the logins that end Payload's reset-password and
 * first-register): what `login/` refuses. Inactive users get the words of a wrong password, as
 * Django's ModelBackend; an unverified address under mandatory verification gets Payload's own
 * "verify your email" (403), as `login/` answers `E-mail is not verified.` only after the password.
 * Last, the second factor, for users who have one (src/mfa/payloadLoginGate.ts).
 */
export const refuseBlockedLogin =
  (options: SanitizedRestAuthOptions): CollectionBeforeLoginHook =>
  async ({ req, user }) => {
    if (user?.is_active === false) {
      throw new AuthenticationError(req.t)
    }
    const settings = await options.settingsStore.get(req.payload)
    if (
      settings.accountEmailVerification === 'mandatory' &&
      !isFirstRegistration(req) &&
      !(await isEmailVerified({ options, req, user }))
    ) {
      throw new UnverifiedEmail({ t: req.t })
    }
    await requireSecondFactorForPayload({ options, req, settings, user })
    return user
  }

/**
 * A successful login clears the failure its request counted, as `login/` does, and goes into the
 * security log as the plugin's logins do (`detail.via: "payload"`: the admin's login, Payload's REST,
 * GraphQL and Local API logins, and the login that ends Payload's reset-password).
 */
export const recordPayloadLogin =
  (options: SanitizedRestAuthOptions): CollectionAfterLoginHook =>
  async ({ req, user }) => {
    const settings = await options.settingsStore.get(req.payload)
    const account = (req.context as Record<string, unknown>)[ACCOUNT_CONTEXT_KEY]
    if (typeof account === 'string') {
      await clearLoginFailures({ account, options, req, settings })
    }
    const methods = ['password', secondFactorUsed(req)].filter(Boolean)
    await recordAuthEvent({ event: { detail: { via: 'payload' }, method: methods.join('+'), type: 'login', userId: user.id }, options, req, settings })
    return user
  }

/**
 * A failed Payload login of a known account goes into the security log, as a failed `login/` does
 * (REST only: Payload calls `afterError` from its REST routes; the login's transaction is undone by
 * then, so the row stays). Unknown accounts and the back-off's refusals leave no row.
 */
export const recordPayloadLoginFailure =
  (options: SanitizedRestAuthOptions): CollectionAfterErrorHook =>
  async ({ error, req }) => {
    const userId = (req.context as Record<string, unknown>)[USER_CONTEXT_KEY]
    if ((typeof userId !== 'string' && typeof userId !== 'number') || error instanceof LoginThrottledError) {
      return
    }
    const settings = await options.settingsStore.get(req.payload)
    const method = error instanceof SecondFactorError ? 'mfa' : 'password'
    await recordAuthEvent({ event: { detail: { via: 'payload' }, method, type: 'login_failed', userId }, options, req, settings })
  }

/**
 * Payload's logout with one of the plugin's credentials ends that credential, as `logout/` does;
 * `?allSessions=true` ends every credential of the user. Payload then ends its own session.
 */
export const endPluginCredentialOnLogout =
  (options: SanitizedRestAuthOptions): CollectionAfterLogoutHook =>
  async ({ req }) => {
    const user = req.user as ({ collection?: string } & RestAuthUser) | null
    if (user?.collection !== options.usersCollection) {
      return
    }
    if (req.searchParams?.get('allSessions') === 'true') {
      await revokeAllCredentials({ options, reason: 'logout', req, userId: user.id })
      return
    }
    const { credential } = getRequestAuth(req)
    if ((credential?.kind === 'token' || credential?.kind === 'session') && credential.key) {
      await revokeTokenKey({ key: credential.key, options, req })
    }
  }

/**
 * Payload's login words its failure after how the account was found: an unknown username gets
 * "username or password", a wrong password "email or password", so the answer itself tells which
 * accounts exist. Every failed login gets the wording of how the request logged in.
 */
export const sameLoginFailureMessage: CollectionAfterErrorHook = ({ error, req, result }) => {
  if (!(error instanceof AuthenticationError) || !result) {
    return
  }
  const username = (req.data as Record<string, unknown> | undefined)?.username
  const message = req.t(typeof username === 'string' && username.trim() ? 'error:usernameOrPasswordIncorrect' : 'error:emailOrPasswordIncorrect')
  return { response: { ...result, errors: [{ message }] } }
}
