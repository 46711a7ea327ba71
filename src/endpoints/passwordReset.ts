import type { EndpointContext } from '../http/defineEndpoint.js'
import type { SocialAccountRow } from '../social/accounts.js'
import type { RestAuthUser } from '../types.js'

import { revokeAllCredentials } from '../auth/revokeCredentials.js'
import { mailLink } from '../email/links.js'
import { sendTemplatedEmail } from '../email/sendTemplatedEmail.js'
import { messages } from '../errors/messages.js'
import { fieldErrors } from '../errors/RestAuthError.js'
import { defineEndpoint } from '../http/defineEndpoint.js'
import { requireValidFields } from '../http/fields.js'
import { jsonResponse } from '../http/responses.js'
import { checkNewPassword } from '../passwords/checkNewPassword.js'
import { proveAddressByReset } from '../passwordReset/proveAddress.js'
import { checkResetToken, makeResetToken } from '../passwordReset/resetTokens.js'
import { socialProviders } from '../providers/index.js'
import { findUser, findUserById, normalizeIdentifier, type UserWithSecrets } from '../users/findUser.js'
import { setPassword } from '../users/setPassword.js'
import { decodeUid, encodeUid } from '../utilities/uid.js'
import { afterResponse } from '../utilities/afterResponse.js'
import { withTransaction } from '../utilities/withTransaction.js'

const PASSWORD_MAX = 128
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

/** Reset mails not yet handed to the mail adapter, per Payload instance and address. */
const pendingResetMails = new WeakMap<object, Map<string, ResetMail>>()

/**
 * Sends the mail after the answer. While a mail to the same address is still waiting to go out, a
 * new request only replaces its link: no address gets two reset mails at once, and a client that
 * hammers one known address cannot make the process send a mail per request (the work that would
 * set its answers apart from an unknown address's).
 */
const queueResetMail = (ctx: EndpointContext, mail: ResetMail): void => {
  const { payload } = ctx.req
  let pending = pendingResetMails.get(payload)
  if (!pending) {
    pending = new Map()
    pendingResetMails.set(payload, pending)
  }
  const address = normalizeIdentifier(mail.user.email!)
  const waiting = pending.get(address)
  if (waiting) {
    Object.assign(waiting, mail)
    return
  }
  pending.set(address, mail)
  afterResponse(() => {
    pending.delete(address)
    return sendResetMail(ctx, mail)
  })
}

/** Tells the user what a reset that proved their address removed (see proveAddressByReset). */
const sendResetDoneMail = async (
  { options, req, settings }: Pick<EndpointContext, 'options' | 'req' | 'settings'>,
  user: UserWithSecrets,
  removed: SocialAccountRow[],
): Promise<void> => {
  const labels = removed.map((account) => socialProviders.find((provider) => provider.id === account.provider)?.label ?? account.provider)
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
 * lookup, then the reset token and link — for an unknown or inactive address, of a stand-in user
 * that is then dropped. Only the mail itself, sent after the answer, is the known address's alone.
 * As allauth's reset form (dj-rest-auth's with allauth), a user without a usable password (a
 * social sign-up) gets the mail too, and can set one.
 */
export const passwordResetEndpoint = defineEndpoint({
  handlers: {
    post: async (ctx) => {
      const { email } = requireValidFields(ctx.data, { email: { kind: 'email', required: true } })
      const address = normalizeIdentifier(email!)
      const user = await findUser({ options: ctx.options, req: ctx.req, where: { email: { equals: address } } })
      const recipient = user && user.is_active !== false ? user : null
      const standIn = { email: address, hash: '', id: ctx.req.payload.db.defaultIDType === 'number' ? 0 : '0', salt: '' }
      const link = resetLink(ctx, recipient ?? standIn)
      if (recipient && link !== null) {
        queueResetMail(ctx, { link, user: recipient })
      }
      return jsonResponse({ detail: 'Password reset e-mail has been sent.' })
    },
  },
  path: '/password/reset',
  throttle: 'passwordReset',
})

/**
 * POST password/reset/confirm/: uid, token, then the new password, in dj-rest-auth's order.
 * Success revokes every token and session of the user (dj-rest-auth leaves them valid), and proves
 * the address: an unverified one becomes verified and the social accounts connected before are
 * removed, with a mail saying so (see proveAddressByReset).
 */
export const passwordResetConfirmEndpoint = defineEndpoint({
  handlers: {
    post: async ({ data, options, req, settings }) => {
      const values = requireValidFields(data, {
        new_password1: { maxLength: PASSWORD_MAX, required: true },
        new_password2: { maxLength: PASSWORD_MAX, required: true },
        token: { required: true },
        uid: { required: true },
      })
      const id = decodeUid(req.payload, values.uid!)
      const user = id === null ? null : await findUserById({ id, options, req })
      if (!user) {
        throw fieldErrors({ uid: [messages.invalidValue] })
      }
      if (!checkResetToken(req.payload, user, values.token!, settings.passwordResetTimeout)) {
        throw fieldErrors({ token: [messages.invalidValue] })
      }
      const problems = checkNewPassword({
        password1: values.new_password1!,
        password2: values.new_password2!,
        settings,
        user: user as RestAuthUser,
      })
      if (problems.length > 0) {
        throw fieldErrors({ new_password2: problems })
      }
      const removed = await withTransaction(req, async () => {
        await setPassword({ options, password: values.new_password1!, req, userId: user.id })
        await revokeAllCredentials({ options, req, userId: user.id })
        return proveAddressByReset({ options, req, user: user as RestAuthUser })
      })
      if (removed.length > 0) {
        afterResponse(() => sendResetDoneMail({ options, req, settings }, user, removed))
      }
      return jsonResponse({ detail: 'Password has been reset with the new password.' })
    },
  },
  path: '/password/reset/confirm',
  throttle: 'passwordResetConfirm',
})
