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

export type EmailTemplates = {
  emailConfirmation: EmailTemplate
  passwordReset: EmailTemplate
}

const escapeHtml = (value: string): string =>
  value.replace(/[&<>"']/g, (char) => ({ '"': '&quot;', '&': '&amp;', "'": '&#39;', '<': '&lt;', '>': '&gt;' })[char]!)

const html = (paragraphs: string[], link: string): string =>
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

export const defaultEmailTemplates: EmailTemplates = {
  emailConfirmation: emailConfirmationTemplate,
  passwordReset: passwordResetTemplate,
}
