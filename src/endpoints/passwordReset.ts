import type { EndpointContext } from '../http/defineEndpoint.js'
import type { SocialAccountRow } from '../social/accounts.js'
import type { RestAuthUser } from '../types.js'
import type { Schema } from '../http/fields.js'

import { mailLink } from '../email/links.js'
import { sendTemplatedEmail } from '../email/sendTemplatedEmail.js'
import { messages } from '../errors/messages.js'
import { fieldErrors } from '../errors/RestAuthError.js'
import { defineEndpoint } from '../http/defineEndpoint.js'
import { detailResponse, fieldErrorsResponse } from '../http/contract.js'
import { describeFields } from '../http/metadata.js'
import { jsonResponse } from '../http/responses.js'
import { checkNewPassword } from '../passwords/checkNewPassword.js'
import { proveAddressByReset } from '../passwordReset/proveAddress.js'
import { checkResetToken, makeResetToken } from '../passwordReset/resetTokens.js'
import { listProviders } from '../providers/registry.js'
import { findUser, findUserById, normalizeIdentifier, type UserWithSecrets } from '../users/findUser.js'
import { setPassword } from '../users/setPassword.js'
import { decodeUid, encodeUid } from '../utilities/uid.js'
import { afterResponse } from '../utilities/afterResponse.js'
import { withTransaction } from '../utilities/withTransaction.js'

const PASSWORD_MAX = 128

const passwordResetFields = { email: { kind: 'email', required: true } } satisfies Schema

/** PasswordResetConfirmSerializer's fields, in its order. */
const passwordResetConfirmFields = {
  new_password1: { maxLength: PASSWORD_MAX, required: true },
  new_password2: { maxLength: PASSWORD_MAX, required: true },
  uid: { required: true },
  token: { required: true },
} satisfies Schema
const DEFAULT_CONFIRM_URL = '{origin}/password-reset/confirm/{uid}/{token}/'

type ResetMail = { link: string; user: UserWithSecrets }

/**
 * The link of a reset mail: the reset token (Django's HMAC over the user's id, password hash, last
 * login and e-mail) in `passwordResetConfirmUrl`. Null when production would have to take the
 * origin from the request (mailLink logs why).
 */
const resetLink = ({ req, settings }: EndpointContext, user: Parameters<typeof makeResetToken>[1]): null | string =>
  mailLink({
    purpose: 'password reset link',
    req,
    settings,
    template: settings.passwordResetConfirmUrl || DEFAULT_CONFIRM_URL,
    useSiteDomain: settings.passwordResetUseSitesDomain,
    values: { token: makeResetToken(req.payload, user), uid: encodeUid(user.id) },
  })

const sendResetMail = async ({ options, req, settings }: EndpointContext, { link, user }: ResetMail): Promise<void> => {
  await sendTemplatedEmail({
    context: {
      link,
      siteDomain: settings.siteDomain,
      siteName: settings.siteName,
      user: { email: user.email!, first_name: user.first_name, username: user.username ?? '' },
    },
    kind: 'password reset',
    req,
    template: options.emailTemplates.passwordReset,
  })
}

/** The mail for a known, active address; nothing for any other. Runs after the answer. */
const mailIfKnown = async (ctx: EndpointContext, address: string): Promise<void> => {
  try {
    const user = await findUser({ options: ctx.options, req: ctx.req, where: { email: { equals: address } } })
    if (!user || user.is_active === false) {
      return
    }
    const link = resetLink(ctx, user)
    if (link !== null) {
      await sendResetMail(ctx, { link, user })
    }
  } catch (err) {
    ctx.req.payload.logger.error({ err, msg: 'payload-rest-auth: could not prepare a password reset e-mail' })
  }
}

/** Addresses whose reset is waiting to be looked up and mailed, per Payload instance. */
const pendingResets = new WeakMap<object, Set<string>>()

/**
 * Looks the address up and mails it after the answer. While one reset of an address waits, further
 * requests for it join that one: no address gets two mails at once, and a client that hammers an
 * address makes the process do one lookup (and at most one mail) per wait, known or not.
 */
const scheduleReset = (ctx: EndpointContext, address: string): void => {
  const { payload } = ctx.req
  let pending = pendingResets.get(payload)
  if (!pending) {
    pending = new Set()
    pendingResets.set(payload, pending)
  }
  if (pending.has(address)) {
    return
  }
  pending.add(address)
  afterResponse(() => {
    pending.delete(address)
    return mailIfKnown(ctx, address)
  })
}

/** Tells the user what a reset that proved their address removed (see proveAddressByReset). */
const sendResetDoneMail = async (
  { options, req, settings }: Pick<EndpointContext, 'options' | 'req' | 'settings'>,
  user: UserWithSecrets,
  removed: SocialAccountRow[],
): Promise<void> => {
  const providers = listProviders(settings)
  const labels = removed.map((account) => providers.find((provider) => provider.id === account.provider)?.label ?? account.provider)
  await sendTemplatedEmail({
    context: {
      removedSocialAccounts: [...new Set(labels)],
      siteDomain: settings.siteDomain,
      siteName: settings.siteName,
      user: { email: user.email!, first_name: user.first_name, username: user.username ?? '' },
    },
    kind: 'password reset done',
    req,
    template: options.emailTemplates.passwordResetDone,
  })
}

/**
 * POST password/reset/: the same answer for every well-formed address, after the same work: the
 * answer does not depend on the account, so the account is not looked up before it. The lookup and
 * the mail follow the answer (see scheduleReset). As allauth's reset form (dj-rest-auth's with
 * allauth), a user without a usable password (a social sign-up) gets the mail too, and can set one.
 */
export const passwordResetEndpoint = defineEndpoint({
  body: { fields: passwordResetFields },
  handlers: {
    post: async (ctx) => {
      scheduleReset(ctx, normalizeIdentifier(ctx.body.email))
      return jsonResponse({ detail: messages.account.passwordResetSent })
    },
  },
  metadata: {
    actions: () => ({ POST: describeFields(passwordResetFields) }),
    description: `Calls Django Auth PasswordResetForm save method.

Accepts the following POST parameters: email
Returns the success/fail message.`,
    name: 'Password Reset',
  },
  path: '/password/reset',
  responses: { 200: detailResponse('The same answer whether or not the address is known.', messages.account.passwordResetSent), 400: fieldErrorsResponse },
  summary: 'Mail a password reset link',
  throttle: 'passwordReset',
})

/**
 * POST password/reset/confirm/: uid, token, then the new password, in dj-rest-auth's order.
 * Success revokes every token and session of the user (dj-rest-auth leaves them valid), and proves
 * the address: an unverified one becomes verified and the social accounts connected before are
 * removed, with a mail saying so (see proveAddressByReset).
 */
export const passwordResetConfirmEndpoint = defineEndpoint({
  body: { fields: passwordResetConfirmFields },
  handlers: {
    post: async ({ body: values, options, req, settings }) => {
      const id = decodeUid(req.payload, options.usersCollection, values.uid)
      const user = id === null ? null : await findUserById({ id, options, req })
      if (!user) {
        throw fieldErrors({ uid: [messages.field.invalidValue] })
      }
      if (!checkResetToken(req.payload, user, values.token, settings.passwordResetTimeout)) {
        throw fieldErrors({ token: [messages.field.invalidValue] })
      }
      const problems = checkNewPassword({
        password1: values.new_password1,
        password2: values.new_password2,
        settings,
        user: user as RestAuthUser,
      })
      if (problems.length > 0) {
        throw fieldErrors({ new_password2: problems })
      }
      const removed = await withTransaction(req, async () => {
        // The new hash revokes every token and session of the user (credentialRevocation.ts).
        await setPassword({ options, password: values.new_password1, req, userId: user.id })
        return proveAddressByReset({ options, req, user: user as RestAuthUser })
      })
      if (removed.length > 0) {
        afterResponse(() => sendResetDoneMail({ options, req, settings }, user, removed))
      }
      return jsonResponse({ detail: messages.account.passwordResetDone })
    },
  },
  metadata: {
    actions: () => ({ POST: describeFields(passwordResetConfirmFields) }),
    description: `Password reset e-mail link is confirmed, therefore
this resets the user's password.

Accepts the following POST parameters: token, uid,
    new_password1, new_password2
Returns the success/fail message.`,
    name: 'Password Reset Confirm',
  },
  path: '/password/reset/confirm',
  responses: { 200: detailResponse('The password is reset.', messages.account.passwordResetDone), 400: fieldErrorsResponse },
  summary: 'Set a new password with the uid and token of a reset link',
  throttle: 'passwordResetConfirm',
})
