import type { CodeTemplate } from '../email/templates.js'
import type { EndpointContext } from '../http/defineEndpoint.js'

import { mailLink } from '../email/links.js'
import { sendTemplatedEmail } from '../email/sendTemplatedEmail.js'

type Ctx = Pick<EndpointContext, 'options' | 'req' | 'settings'>

type Recipient = { email: string; first_name?: null | string; username?: null | string }

const site = ({ settings }: Ctx) => ({ siteDomain: settings.siteDomain, siteName: settings.siteName })

/**
 * The optional link of a login code mail: the client's own page (`codeLinkUrl`), which POSTs the
 * code. It never points at the API, so a mail scanner that fetches it completes nothing.
 */
const loginCodeLink = (ctx: Ctx, values: { code: string; email: string; flow_token: string }): null | string =>
  ctx.settings.codeLinkUrl
    ? mailLink({ purpose: 'login code link', req: ctx.req, settings: ctx.settings, template: ctx.settings.codeLinkUrl, values })
    : null

/** Mails a code through Payload's e-mail adapter (sendTemplatedEmail); failures are logged, never thrown. */
export const sendCodeMail = async (
  ctx: Ctx,
  {
    code,
    kind,
    token,
    user,
  }: { code: string; kind: 'e-mail confirmation code' | 'login code' | 'password reset code'; token: string; user: Recipient },
): Promise<boolean> => {
  const templates: Record<typeof kind, CodeTemplate> = {
    'e-mail confirmation code': ctx.options.emailTemplates.emailConfirmationCode,
    'login code': ctx.options.emailTemplates.loginCode,
    'password reset code': ctx.options.emailTemplates.passwordResetCode,
  }
  return sendTemplatedEmail({
    context: {
      ...site(ctx),
      code,
      expiresInMinutes: Math.max(1, Math.round(ctx.settings.codeTimeout / 60)),
      link: kind === 'login code' ? loginCodeLink(ctx, { code, email: user.email, flow_token: token }) : null,
      user: { email: user.email, first_name: user.first_name, username: user.username ?? '' },
    },
    kind,
    req: ctx.req,
    template: templates[kind],
  })
}

/** allauth's ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS: the address hears that someone asked, and that it has no account. */
export const sendUnknownAccountMail = (ctx: Ctx, email: string): Promise<boolean> =>
  sendTemplatedEmail({
    context: { ...site(ctx), user: { email, username: '' } },
    kind: 'unknown account',
    req: ctx.req,
    template: ctx.options.emailTemplates.unknownAccount,
  })
