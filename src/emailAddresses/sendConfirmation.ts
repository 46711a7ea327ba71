import type { PayloadRequest } from 'payload'

import type { RestAuthSettings, RestAuthUser, SanitizedRestAuthOptions } from '../types.js'

import { fillTemplate, linkOrigin } from '../email/links.js'
import { sendTemplatedEmail } from '../email/sendTemplatedEmail.js'
import { makeConfirmationKey } from './confirmationKeys.js'

const DEFAULT_CONFIRM_URL = '{origin}/account-confirm-email/{key}/'

/** The page a confirmation key is opened at: `emailConfirmationUrl` with the key filled in. */
export const confirmationLink = ({ key, req, settings }: { key: string; req: PayloadRequest; settings: RestAuthSettings }): string =>
  fillTemplate(settings.emailConfirmationUrl || DEFAULT_CONFIRM_URL, {
    domain: settings.siteDomain,
    key,
    origin: linkOrigin(req, settings),
  })

/** Sends the confirmation mail for one address; failures are logged and reported as false. */
export const sendConfirmation = async ({
  address,
  options,
  req,
  settings,
  user,
}: {
  address: { email: string; id: number | string }
  options: SanitizedRestAuthOptions
  req: PayloadRequest
  settings: RestAuthSettings
  user: RestAuthUser
}): Promise<boolean> => {
  const link = confirmationLink({ key: makeConfirmationKey(req.payload, address), req, settings })
  return sendTemplatedEmail({
    context: {
      link,
      siteDomain: settings.siteDomain,
      siteName: settings.siteName,
      user: { email: address.email, first_name: user.first_name, username: user.username ?? '' },
    },
    kind: 'e-mail confirmation',
    req,
    template: options.emailTemplates.emailConfirmation,
  })
}
