import type { PayloadRequest } from 'payload'

import type { MfaNoticeTemplate } from '../email/templates.js'
import type { RestAuthSettings, RestAuthUser, SanitizedRestAuthOptions } from '../types.js'

import { sendTemplatedEmail } from '../email/sendTemplatedEmail.js'
import { recordAuthEvent } from '../events/recordEvent.js'

export type MfaNotice = 'mfaActivated' | 'mfaDeactivated' | 'mfaRecoveryCodesRegenerated'

/** The security log's name of each change. */
const EVENT_TYPES: Record<MfaNotice, string> = {
  mfaActivated: 'mfa_enabled',
  mfaDeactivated: 'mfa_disabled',
  mfaRecoveryCodesRegenerated: 'mfa_recovery_codes_regenerated',
}

/**
 * A change of the user's second factor goes into the security log (with who made it: the user, or
 * staff through the admin's reset) and to the user by mail, so a change they did not make does not
 * go unnoticed.
 */
export const announceMfaChange = async ({
  by = 'user',
  notice,
  options,
  req,
  settings,
  user,
}: {
  by?: 'admin' | 'user'
  notice: MfaNotice
  options: SanitizedRestAuthOptions
  req: PayloadRequest
  settings: RestAuthSettings
  user: RestAuthUser
}): Promise<void> => {
  await recordAuthEvent({ event: { detail: { by }, type: EVENT_TYPES[notice], userId: user.id }, options, req, settings })
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
