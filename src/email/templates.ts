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
  /** Names of the providers (Google, GitHub…) whose accounts the reset disconnected. */
  removedSocialAccounts: string[]
}

export type PasswordResetDoneTemplate = (ctx: PasswordResetDoneContext) => Promise<RenderedEmail> | RenderedEmail

/** What a mail about the account's two-factor authentication gets: no link. */
export type MfaNoticeContext = Omit<EmailTemplateContext, 'link'>

export type MfaNoticeTemplate = (ctx: MfaNoticeContext) => Promise<RenderedEmail> | RenderedEmail

export type EmailTemplates = {
  emailConfirmation: EmailTemplate
  /** Sent when an authenticator app was deactivated (by the user or by staff). */
  mfaDeactivated: MfaNoticeTemplate
  /** Sent when an authenticator app was activated. */
  mfaActivated: MfaNoticeTemplate
  /** Sent when new recovery codes replaced the old ones. */
  mfaRecoveryCodesRegenerated: MfaNoticeTemplate
  passwordReset: EmailTemplate
  /** Sent when a reset removed social accounts connected before the address was confirmed. */
  passwordResetDone: PasswordResetDoneTemplate
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
export const passwordResetDoneTemplate: PasswordResetDoneTemplate = ({ removedSocialAccounts, siteDomain, siteName, user }) => {
  const paragraphs = [
    `Hello from ${siteName}!`,
    `The password of your account ${user.username} has been reset with the link sent to this address, which also confirms the address as yours.`,
    `Sign-ins through ${removedSocialAccounts.join(', ')} were connected to the account before the address was confirmed, so they may not be yours: they have been removed, and every session was logged out. If you connected them yourself, log in and connect them again.`,
    `Thank you for using ${siteName}!\n${siteDomain}`,
  ]
  return { html: html(paragraphs), subject: `[${siteName}] Your password has been reset`, text: `${paragraphs.join('\n\n')}\n` }
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
  emailConfirmation: emailConfirmationTemplate,
  mfaActivated: mfaActivatedTemplate,
  mfaDeactivated: mfaDeactivatedTemplate,
  mfaRecoveryCodesRegenerated: mfaRecoveryCodesRegeneratedTemplate,
  passwordReset: passwordResetTemplate,
  passwordResetDone: passwordResetDoneTemplate,
}
