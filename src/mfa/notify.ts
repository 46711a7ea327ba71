import type { PayloadRequest } from 'payload'

import type { MfaNoticeTemplate } from '../email/templates.js'
import type { RestAuthSettings, RestAuthUser, SanitizedRestAuthOptions } from '../types.js'

import { sendTemplatedEmail } from '../email/sendTemplatedEmail.js'

export type MfaNotice = 'mfaActivated' | 'mfaDeactivated' | 'mfaRecoveryCodesRegenerated'

/** Tells the user their second factor changed, so a change they did not make does not go unnoticed. */
export const sendMfaNotice = async ({
  notice,
  options,
  req,
  settings,
  user,
}: {
  notice: MfaNotice
  options: SanitizedRestAuthOptions
  req: PayloadRequest
  settings: RestAuthSettings
  user: RestAuthUser
}): Promise<void> => {
  if (!user.email) {
    return
  }
  const template: MfaNoticeTemplate = options.emailTemplates[notice]
  await sendTemplatedEmail({
    context: {
      siteDomain: settings.siteDomain,
      siteName: settings.siteName,
      user: { email: user.email, first_name: user.first_name, username: user.username ?? '' },
    },
    kind: notice,
    req,
    template,
  })
}
