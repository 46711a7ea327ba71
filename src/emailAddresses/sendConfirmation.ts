import type { PayloadRequest } from 'payload'

import type { RestAuthSettings, RestAuthUser, SanitizedRestAuthOptions } from '../types.js'

import { fillTemplate, mailLink } from '../email/links.js'
import { sendTemplatedEmail } from '../email/sendTemplatedEmail.js'
import { makeConfirmationKey } from './confirmationKeys.js'

const DEFAULT_CONFIRM_URL = '{origin}/account-confirm-email/{key}/'

const confirmationTemplate = (settings: RestAuthSettings): string => settings.emailConfirmationUrl || DEFAULT_CONFIRM_URL

/** The page a confirmation key is opened at, for a mail: `emailConfirmationUrl` with the key filled in. */
export const confirmationLink = ({ key, req, settings }: { key: string; req: PayloadRequest; settings: RestAuthSettings }): null | string =>
  mailLink({ purpose: 'e-mail confirmation link', req, settings, template: confirmationTemplate(settings), values: { key } })

/**
 * The same page for a redirect of the browser that opened the key's link: `{origin}` stays empty,
 * so the Location is relative to the origin the browser already uses and no header is read.
 */
export const confirmationRedirect = ({ key, settings }: { key: string; settings: RestAuthSettings }): string =>
  fillTemplate(confirmationTemplate(settings), { domain: settings.siteDomain, key, origin: '' })

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
  if (link === null) {
    return false
  }
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
