import type { PayloadRequest } from 'payload'

import { ValidationError } from 'payload'
import { randomBytes } from 'node:crypto'

import type { EndpointContext } from '../http/defineEndpoint.js'
import type { RestAuthUser, SanitizedRestAuthOptions } from '../types.js'
import type { UserWithSecrets } from '../users/findUser.js'
import type { SocialIdentity, SocialProvider } from './types.js'

import { isEmailTaken } from '../emailAddresses/isEmailTaken.js'
import { isEmailVerified } from '../emailAddresses/isEmailVerified.js'
import { sendConfirmation } from '../emailAddresses/sendConfirmation.js'
import { messages } from '../errors/messages.js'
import { detailError, nonFieldError } from '../errors/RestAuthError.js'
import { hasUsablePassword } from '../passwords/hashing.js'
import { findUserById, normalizeIdentifier, withoutSecrets } from '../users/findUser.js'
import { generateUsername } from '../users/generateUsername.js'
import { rethrowPayloadValidation } from '../users/payloadErrors.js'
import { afterResponse } from '../utilities/afterResponse.js'
import { withTransaction } from '../utilities/withTransaction.js'
import { localApi, pluginDatabase } from '../utilities/localApi.js'

type Id = number | string

/** A row of the social-accounts collection (allauth's SocialAccount). */
export type SocialAccountRow = {
  createdAt?: null | string
  extra_data?: unknown
  id: Id
  lastLogin?: null | string
  provider: string
  uid: string
  updatedAt?: null | string
  user: Id | RestAuthUser
}

const idOf = (value: Id | RestAuthUser): Id => (typeof value === 'object' ? value.id : value)

const isSameId = (a: Id, b: Id): boolean => String(a) === String(b)

export const findSocialAccount = async ({
  options,
  provider,
  req,
  uid,
}: {
  options: SanitizedRestAuthOptions
  provider: string
  req: PayloadRequest
  uid: string
}): Promise<null | SocialAccountRow> => {
  const { docs } = await localApi(req.payload).find({
    collection: options.slugs.socialAccounts,
    depth: 0,
    limit: 1,
    overrideAccess: true,
    pagination: false,
    req,
    where: { providerUid: { equals: `${provider}:${uid}` } },
  })
  return (docs[0] as SocialAccountRow | undefined) ?? null
}

/** allauth updates extra_data and last_login on every login and re-connect. */
const touchAccount = async (ctx: EndpointContext, row: SocialAccountRow, identity: SocialIdentity): Promise<void> => {
  await localApi(ctx.req.payload).update({
    collection: ctx.options.slugs.socialAccounts,
    // provider and uid go along so the providerUid hook recomputes the same value.
    data: { extra_data: identity.extraData, lastLogin: new Date().toISOString(), provider: row.provider, uid: row.uid },
    depth: 0,
    id: row.id,
    overrideAccess: true,
    req: ctx.req,
  })
}

const requireLoginAllowed = async (ctx: EndpointContext, user: RestAuthUser): Promise<RestAuthUser> => {
  if (user.is_active === false) {
    throw nonFieldError(messages.social.accountDisabled)
  }
  if (ctx.settings.accountEmailVerification === 'mandatory' && !(await isEmailVerified({ options: ctx.options, req: ctx.req, user }))) {
    throw nonFieldError(messages.account.emailNotVerified)
  }
  return user
}

const loginExisting = async (ctx: EndpointContext, row: SocialAccountRow, identity: SocialIdentity): Promise<RestAuthUser> => {
  const user = await findUserById({ id: idOf(row.user), options: ctx.options, req: ctx.req })
  if (!user) {
    throw nonFieldError(messages.account.loginFailed)
  }
  await touchAccount(ctx, row, identity)
  return requireLoginAllowed(ctx, withoutSecrets(user))
}

/**
 * A first login through the provider: a new user with an unusable password, its SocialAccount, and
 * the provider's address (verified when the provider vouches for it), in one transaction. As with
 * allauth's defaults, an address that already belongs to someone is refused, verified or not: the
 * account is never connected automatically (SOCIALACCOUNT_EMAIL_AUTHENTICATION is off by default).
 */
const signUp = async (ctx: EndpointContext, provider: SocialProvider, identity: SocialIdentity): Promise<RestAuthUser> => {
  const { options, req, settings } = ctx
  if (!settings.registrationOpen || !(await options.registerAccess({ req }))) {
    throw detailError(403, messages.request.permissionDenied)
  }
  const { email } = identity
  if (email && (await isEmailTaken(ctx, email))) {
    throw nonFieldError(messages.social.emailRegistered)
  }
  if (!email && settings.accountEmailRequired) {
    throw nonFieldError(messages.social.emailRequired(provider.label))
  }
  const username = await generateUsername({ email, hint: identity.username, options, req })
  let created: { address: { email: string; id: Id; verified: boolean } | null; user: RestAuthUser }
  try {
    created = await withTransaction(req, async ({ undoOnFailure }) => {
      const user = (await localApi(req.payload).create({
        collection: options.usersCollection,
        data: {
          email: email ?? null,
          first_name: identity.firstName,
          last_name: identity.lastName,
          // Payload's local strategy insists on a password; nobody ever learns this one, and the hash is
          // dropped below so the account has no usable password (Django's set_unusable_password).
          password: randomBytes(32).toString('base64url'),
          username,
        },
        depth: 0,
        overrideAccess: true,
        req,
      })) as RestAuthUser
      // Deleting the user deletes its social account and address too.
      undoOnFailure(() => localApi(req.payload).delete({ collection: options.usersCollection, id: user.id, overrideAccess: true }))
      await pluginDatabase(req.payload).updateOne({
        collection: options.usersCollection,
        data: { hash: null, salt: null },
        id: user.id,
        req,
        returning: false,
      })
      await localApi(req.payload).create({
        collection: options.slugs.socialAccounts,
        data: { extra_data: identity.extraData, lastLogin: new Date().toISOString(), provider: provider.id, uid: identity.uid, user: user.id },
        depth: 0,
        overrideAccess: true,
        req,
      })
      const address = email
        ? ((await localApi(req.payload).create({
            collection: options.slugs.emailAddresses,
            data: { email, primary: true, user: user.id, verified: identity.isEmailVerified },
            depth: 0,
            overrideAccess: true,
            req,
          })) as { email: string; id: Id; verified: boolean })
        : null
      return { address, user }
    })
  } catch (err) {
    if (!(err instanceof ValidationError)) {
      throw err
    }
    // A concurrent first login with the same account, or a sign-up that took the address meanwhile.
    const raced = await findSocialAccount({ options, provider: provider.id, req, uid: identity.uid })
    if (raced) {
      return loginExisting(ctx, raced, identity)
    }
    if (email && (await isEmailTaken(ctx, email))) {
      throw nonFieldError(messages.social.emailRegistered)
    }
    return rethrowPayloadValidation(err)
  }
  const { address, user } = created
  if (address && !address.verified && settings.accountEmailVerification !== 'none') {
    afterResponse(() => sendConfirmation({ address, options, req, settings, user }))
  }
  return requireLoginAllowed(ctx, user)
}

/** SocialLoginView: the user the provider's account belongs to, created on its first login. */
export const socialLogin = async (ctx: EndpointContext, provider: SocialProvider, identity: SocialIdentity): Promise<RestAuthUser> => {
  const existing = await findSocialAccount({ options: ctx.options, provider: provider.id, req: ctx.req, uid: identity.uid })
  return existing ? loginExisting(ctx, existing, identity) : signUp(ctx, provider, identity)
}

/**
 * Pre-account takeover: someone who registered an address they do not own must not attach their own
 * provider account to it and wait for the owner to reset the password. Connecting needs the user's
 * address verified, unless verification is `none` (nothing is ever verified there; the reset that
 * proves the address removes such accounts instead, see proveAddressByReset). A user without an
 * address has nothing to take over by e-mail.
 */
export const requireConnectAllowed = async ({ options, req, settings }: EndpointContext, user: RestAuthUser): Promise<void> => {
  if (settings.accountEmailVerification === 'none' || !user.email) {
    return
  }
  if (!(await isEmailVerified({ options, req, user }))) {
    throw nonFieldError(messages.social.connectNeedsVerifiedEmail)
  }
}

/**
 * SocialConnectView: links the provider's account to the current user. An account linked to
 * someone else stays theirs (allauth refuses it; dj-rest-auth would then log the caller in as that
 * other user). No e-mail address is added, as allauth's connect adds none.
 */
export const socialConnect = async (
  ctx: EndpointContext,
  provider: SocialProvider,
  identity: SocialIdentity,
  user: RestAuthUser,
): Promise<void> => {
  const { options, req } = ctx
  const existing = await findSocialAccount({ options, provider: provider.id, req, uid: identity.uid })
  if (existing) {
    if (!isSameId(idOf(existing.user), user.id)) {
      throw nonFieldError(messages.social.connectedOther)
    }
    await touchAccount(ctx, existing, identity)
    return
  }
  try {
    await localApi(req.payload).create({
      collection: options.slugs.socialAccounts,
      data: { extra_data: identity.extraData, lastLogin: new Date().toISOString(), provider: provider.id, uid: identity.uid, user: user.id },
      depth: 0,
      overrideAccess: true,
      req,
    })
  } catch (err) {
    if (!(err instanceof ValidationError)) {
      throw err
    }
    const raced = await findSocialAccount({ options, provider: provider.id, req, uid: identity.uid })
    if (!raced || !isSameId(idOf(raced.user), user.id)) {
      throw nonFieldError(messages.social.connectedOther)
    }
  }
}

/** Django REST framework's DateTimeField: ISO 8601 in UTC with microseconds (none when zero) and Z. */
const drfDateTime = (value: null | string | undefined): null | string => {
  if (!value) {
    return null
  }
  const date = new Date(value)
  if (Number.isNaN(date.getTime())) {
    return null
  }
  const iso = date.toISOString()
  const millis = date.getUTCMilliseconds()
  return millis === 0 ? `${iso.slice(0, 19)}Z` : `${iso.slice(0, 19)}.${String(millis * 1000).padStart(6, '0')}Z`
}

/** SocialAccountSerializer: id, provider, uid, last_login, date_joined. */
export const serializeSocialAccount = (row: SocialAccountRow) => ({
  id: row.id,
  provider: row.provider,
  uid: row.uid,
  last_login: drfDateTime(row.lastLogin ?? row.updatedAt),
  date_joined: drfDateTime(row.createdAt),
})

export const listSocialAccounts = async ({ options, req }: EndpointContext, user: RestAuthUser): Promise<SocialAccountRow[]> => {
  const { docs } = await localApi(req.payload).find({
    collection: options.slugs.socialAccounts,
    depth: 0,
    overrideAccess: true,
    pagination: false,
    req,
    sort: 'id',
    where: { user: { equals: user.id } },
  })
  return docs as unknown as SocialAccountRow[]
}

/**
 * SocialAccountDisconnectView with allauth's validate_disconnect: the last social account of a user
 * without a usable password (or, with mandatory verification, without a verified address) stays.
 * The user's row is written first so concurrent disconnects of one user run one after the other and
 * cannot both remove "the other" account.
 */
export const disconnectSocialAccount = async (ctx: EndpointContext, user: RestAuthUser, accountId: Id): Promise<void> => {
  const { options, req, settings } = ctx
  await withTransaction(req, async () => {
    await pluginDatabase(req.payload).updateOne({
      collection: options.usersCollection,
      data: { updatedAt: new Date().toISOString() },
      id: user.id,
      req,
      returning: false,
    })
    const { docs } = await localApi(req.payload).find({
      collection: options.slugs.socialAccounts,
      depth: 0,
      limit: 1,
      overrideAccess: true,
      pagination: false,
      req,
      where: { and: [{ id: { equals: accountId } }, { user: { equals: user.id } }] },
    })
    if (docs.length === 0) {
      throw detailError(404, messages.request.notFound)
    }
    const { totalDocs: others } = await localApi(req.payload).count({
      collection: options.slugs.socialAccounts,
      overrideAccess: true,
      req,
      where: { and: [{ id: { not_equals: accountId } }, { user: { equals: user.id } }] },
    })
    if (others === 0) {
      const withSecrets = await findUserById({ id: user.id, options, req })
      if (!withSecrets || !hasUsablePassword(withSecrets)) {
        throw nonFieldError(messages.social.noPassword)
      }
      if (settings.accountEmailVerification === 'mandatory') {
        const { totalDocs: verified } = await localApi(req.payload).count({
          collection: options.slugs.emailAddresses,
          overrideAccess: true,
          req,
          where: { and: [{ user: { equals: user.id } }, { verified: { equals: true } }] },
        })
        if (verified === 0) {
          throw nonFieldError(messages.social.noVerifiedEmail)
        }
      }
    }
    await localApi(req.payload).delete({ collection: options.slugs.socialAccounts, depth: 0, id: accountId, overrideAccess: true, req })
  })
}
