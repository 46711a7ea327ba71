import type { PayloadRequest } from 'payload'

import type { RestAuthSettings, RestAuthUser, SanitizedRestAuthOptions } from '../types.js'

import { sendTemplatedEmail } from '../email/sendTemplatedEmail.js'

/** The notices the plugin sends, by event: the mail's title and what it says. */
export const notices = {
  account_deactivated: { message: 'Your account was closed at your request.', title: 'Your account was closed' },
  account_deleted: { message: 'Your account and its data were deleted at your request.', title: 'Your account was deleted' },
  email_primary_changed: {
    message: 'The e-mail address of your account was changed; this address no longer signs you in or receives its mail.',
    title: 'Your e-mail address was changed',
  },
  other_sessions_revoked: { message: 'Every other session of your account was logged out.', title: 'Your other sessions were logged out' },
  password_changed: { message: 'The password of your account was changed.', title: 'Your password was changed' },
} as const

export type NoticeEvent = keyof typeof notices

/**
 * Mails one security notice to `to` (the user's address unless said otherwise). Never throws; a
 * user without an address gets none.
 */
export const sendNotice = async ({
  event,
  options,
  req,
  settings,
  to,
  user,
}: {
  event: NoticeEvent
  options: SanitizedRestAuthOptions
  req: PayloadRequest
  settings: RestAuthSettings
  to?: null | string
  user: RestAuthUser
}): Promise<boolean> => {
  const email = to ?? user.email
  if (!email) {
    return false
  }
  return sendTemplatedEmail({
    context: {
      ...notices[event],
      event,
      siteDomain: settings.siteDomain,
      siteName: settings.siteName,
      user: { email, first_name: user.first_name, username: user.username ?? '' },
    },
    kind: `${event} notice`,
    req,
    template: options.emailTemplates.securityNotice,
  })
}
