/** What a template gets: the site, the user and the link to follow. */
export type EmailTemplateContext = {
  /** The link in the mail (reset confirm page or e-mail confirmation page). */
  link: string
  siteDomain: string
  siteName: string
  user: { email: string; first_name?: null | string; username: string }
}

export type RenderedEmail = { html: string; subject: string; text: string }

export type EmailTemplate = (ctx: EmailTemplateContext) => Promise<RenderedEmail> | RenderedEmail

/** What the mail after a completed password reset gets: no link, and what the reset removed. */
export type PasswordResetDoneContext = Omit<EmailTemplateContext, 'link'> & {
  /** What proved the address: a password reset (by link or code), or a login with a mailed code. */
  provenBy?: 'login code' | 'reset'
  /** Names of the providers (Google, GitHub…) whose accounts the reset disconnected. */
  removedSocialAccounts: string[]
}

export type PasswordResetDoneTemplate = (ctx: PasswordResetDoneContext) => Promise<RenderedEmail> | RenderedEmail

/** What a mail with a code gets: the code instead of a link (an optional link to the client's own page). */
export type CodeTemplateContext = Omit<EmailTemplateContext, 'link'> & {
  code: string
  /** Minutes the code stays valid. */
  expiresInMinutes: number
  /** `codeLinkUrl` filled in (login codes only), or null. */
  link: null | string
}

export type CodeTemplate = (ctx: CodeTemplateContext) => Promise<RenderedEmail> | RenderedEmail

/** What the mail to an address without an account gets: no code, no link; `user.username` is empty. */
export type UnknownAccountTemplate = (ctx: Omit<EmailTemplateContext, 'link'>) => Promise<RenderedEmail> | RenderedEmail
/**
 * A security notice (the e-mail changed, the account was deleted, the password changed…): no link;
 * `event` names it (an auth-events type) and `message` says it in English.
 */
export type SecurityNoticeContext = Omit<EmailTemplateContext, 'link'> & { event: string; message: string; title: string }

export type SecurityNoticeTemplate = (ctx: SecurityNoticeContext) => Promise<RenderedEmail> | RenderedEmail

/** What a mail about the account's two-factor authentication gets: no link. */
export type MfaNoticeContext = Omit<EmailTemplateContext, 'link'>

export type MfaNoticeTemplate = (ctx: MfaNoticeContext) => Promise<RenderedEmail> | RenderedEmail

export type EmailTemplates = {
  /** The link that confirms an account deletion (`accountDeletionConfirmByEmail`). */
  accountDeletion: EmailTemplate
  emailConfirmation: EmailTemplate
  /** emailVerificationByCode: the code that confirms the address. */
  emailConfirmationCode: CodeTemplate
  /** code/request/ and code/resend/: the login code. */
  loginCode: CodeTemplate
  /** Sent when an authenticator app was deactivated (by the user or by staff). */
  mfaDeactivated: MfaNoticeTemplate
  /** Sent when an authenticator app was activated. */
  mfaActivated: MfaNoticeTemplate
  /** Sent when new recovery codes replaced the old ones. */
  mfaRecoveryCodesRegenerated: MfaNoticeTemplate
  passwordReset: EmailTemplate
  /** passwordResetByCode: the code that resets the password. */
  passwordResetCode: CodeTemplate
  /** Sent when a reset (or a login by code) removed social accounts connected before the address was confirmed. */
  passwordResetDone: PasswordResetDoneTemplate
  /** code/request/ for an address without an account (emailUnknownAccounts). */
  unknownAccount: UnknownAccountTemplate
  /** Security notices: e-mail changed (to the old address), account deleted, password changed… */
  securityNotice: SecurityNoticeTemplate
}

const escapeHtml = (value: string): string =>
  value.replace(/[&<>"']/g, (char) => ({ '"': '&quot;', '&': '&amp;', "'": '&#39;', '<': '&lt;', '>': '&gt;' })[char]!)

const html = (paragraphs: string[], link?: string): string =>
  `<!doctype html><html><body>${paragraphs
    .map((p) => (p === link ? `<p><a href="${escapeHtml(link)}">${escapeHtml(link)}</a></p>` : `<p>${escapeHtml(p)}</p>`))
    .join('')}</body></html>`

/** django-allauth's password reset mail, subject prefixed with the site name. */
export const passwordResetTemplate: EmailTemplate = ({ link, siteDomain, siteName, user }) => {
  const paragraphs = [
    `Hello from ${siteName}!`,
    "You're receiving this e-mail because you or someone else has requested a password for your user account.\nIt can be safely ignored if you did not request a password reset. Click the link below to reset your password.",
    link,
    `In case you forgot, your username is ${user.username}.`,
    `Thank you for using ${siteName}!\n${siteDomain}`,
  ]
  return { html: html(paragraphs, link), subject: `[${siteName}] Password Reset E-mail`, text: `${paragraphs.join('\n\n')}\n` }
}

/** django-allauth's e-mail confirmation mail. */
export const emailConfirmationTemplate: EmailTemplate = ({ link, siteDomain, siteName, user }) => {
  const paragraphs = [
    `Hello from ${siteName}!`,
    `You're receiving this e-mail because user ${user.username} has given your e-mail address to register an account on ${siteDomain}.`,
    `To confirm this is correct, go to ${link}`,
    `Thank you for using ${siteName}!\n${siteDomain}`,
  ]
  return {
    html: html([...paragraphs.slice(0, 2), 'To confirm this is correct, go to:', link, paragraphs[3]!], link),
    subject: `[${siteName}] Please Confirm Your E-mail Address`,
    text: `${paragraphs.join('\n\n')}\n`,
  }
}

/**
 * After a reset that proved the address for the first time (pre-account takeover): the provider
 * accounts connected before then were someone's who registered the address first, or the user's
 * own; either way they are gone, and the user must hear of it.
 */
export const passwordResetDoneTemplate: PasswordResetDoneTemplate = ({ provenBy = 'reset', removedSocialAccounts, siteDomain, siteName, user }) => {
  const paragraphs = [
    `Hello from ${siteName}!`,
    provenBy === 'reset'
      ? `The password of your account ${user.username} has been reset with the link sent to this address, which also confirms the address as yours.`
      : `You logged in to your account ${user.username} with a code sent to this address, which also confirms the address as yours.`,
    `Sign-ins through ${removedSocialAccounts.join(', ')} were connected to the account before the address was confirmed, so they may not be yours: they have been removed, and every session was logged out. If you connected them yourself, log in and connect them again.`,
    `Thank you for using ${siteName}!\n${siteDomain}`,
  ]
  const subject = provenBy === 'reset' ? `[${siteName}] Your password has been reset` : `[${siteName}] Your e-mail address is confirmed`
  return { html: html(paragraphs), subject, text: `${paragraphs.join('\n\n')}\n` }
}

const codeMail = (
  { code, expiresInMinutes, link, siteDomain, siteName }: CodeTemplateContext,
  { intro, subject }: { intro: string; subject: string },
): RenderedEmail => {
  const paragraphs = [
    `Hello from ${siteName}!`,
    intro,
    code,
    `The code is valid for ${expiresInMinutes} minute${expiresInMinutes === 1 ? '' : 's'}. If you did not ask for it, ignore this e-mail.`,
    ...(link ? ['Or open this page:', link] : []),
    `Thank you for using ${siteName}!\n${siteDomain}`,
  ]
  return { html: html(paragraphs, link ?? undefined), subject: `[${siteName}] ${subject}`, text: `${paragraphs.join('\n\n')}\n` }
}

/** allauth's login code mail. */
export const loginCodeTemplate: CodeTemplate = (ctx) =>
  codeMail(ctx, { intro: 'Your sign-in code is listed below. Please enter it in your open browser window or app.', subject: 'Sign-In Code' })

/** allauth's e-mail verification code mail. */
export const emailConfirmationCodeTemplate: CodeTemplate = (ctx) =>
  codeMail(ctx, {
    intro: `Your e-mail address is being used to register an account (${ctx.user.username}) on ${ctx.siteDomain}. To confirm this is correct, enter this code in your open browser window or app:`,
    subject: 'Please Confirm Your E-mail Address',
  })

/** allauth's password reset code mail. */
export const passwordResetCodeTemplate: CodeTemplate = (ctx) =>
  codeMail(ctx, {
    intro: `A password reset was requested for your account ${ctx.user.username}. Enter this code in your open browser window or app to choose a new password:`,
    subject: 'Password Reset Code',
  })

/** allauth's unknown account mail (ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS): someone asked for a code for this address. */
export const unknownAccountTemplate: UnknownAccountTemplate = ({ siteDomain, siteName }) => {
  const paragraphs = [
    `Hello from ${siteName}!`,
    `You are receiving this e-mail because you, or someone else, tried to sign in on ${siteDomain} with this address. However, there is no account with this e-mail address.`,
    'If it was you, you may have signed up with a different address. If it was not, you can ignore this e-mail.',
    `Thank you for using ${siteName}!\n${siteDomain}`,
  ]
  return { html: html(paragraphs), subject: `[${siteName}] Unknown Account`, text: `${paragraphs.join('\n\n')}\n` }
}

export const securityNoticeTemplate: SecurityNoticeTemplate = ({ message, siteDomain, siteName, title, user }) => {
  const paragraphs = [
    `Hello from ${siteName}!`,
    message,
    `If this was not you, reset your password at once and contact us.`,
    `Thank you for using ${siteName}!\n${siteDomain}`,
  ]
  void user
  return { html: html(paragraphs), subject: `[${siteName}] ${title}`, text: `${paragraphs.join('\n\n')}\n` }
}

/** Confirms a deletion the user asked for: nothing happens unless the link is followed. */
export const accountDeletionTemplate: EmailTemplate = ({ link, siteDomain, siteName, user }) => {
  const paragraphs = [
    `Hello from ${siteName}!`,
    `You asked to delete your account ${user.username}. To confirm, go to the link below; nothing happens otherwise.`,
    link,
    `Thank you for using ${siteName}!\n${siteDomain}`,
  ]
  return { html: html(paragraphs, link), subject: `[${siteName}] Confirm the deletion of your account`, text: `${paragraphs.join('\n\n')}\n` }
}

/** A notice after a change of the account's second factor (allauth's mfa notification mails). */
const mfaNotice =
  (subject: string, what: (username: string) => string): MfaNoticeTemplate =>
  ({ siteDomain, siteName, user }) => {
    const paragraphs = [
      `Hello from ${siteName}!`,
      what(user.username),
      'If you did not make this change, secure your account at once: change your password and contact us.',
      `Thank you for using ${siteName}!\n${siteDomain}`,
    ]
    return { html: html(paragraphs), subject: `[${siteName}] ${subject}`, text: `${paragraphs.join('\n\n')}\n` }
  }

export const mfaActivatedTemplate = mfaNotice(
  'Authenticator App Activated',
  (username) => `An authenticator app now protects your account ${username}: logging in asks for one of its codes.`,
)
export const mfaDeactivatedTemplate = mfaNotice(
  'Authenticator App Deactivated',
  (username) => `Two-factor authentication was turned off for your account ${username}: logging in no longer asks for a code.`,
)
export const mfaRecoveryCodesRegeneratedTemplate = mfaNotice(
  'New Recovery Codes Generated',
  (username) => `New recovery codes were generated for your account ${username}; the old ones no longer work.`,
)

export const defaultEmailTemplates: EmailTemplates = {
  accountDeletion: accountDeletionTemplate,
  emailConfirmation: emailConfirmationTemplate,
  emailConfirmationCode: emailConfirmationCodeTemplate,
  loginCode: loginCodeTemplate,
  mfaActivated: mfaActivatedTemplate,
  mfaDeactivated: mfaDeactivatedTemplate,
  mfaRecoveryCodesRegenerated: mfaRecoveryCodesRegeneratedTemplate,
  passwordReset: passwordResetTemplate,
  passwordResetCode: passwordResetCodeTemplate,
  passwordResetDone: passwordResetDoneTemplate,
  unknownAccount: unknownAccountTemplate,
  securityNotice: securityNoticeTemplate,
}
