import type { EmailAdapter } from 'payload'

import { nodemailerAdapter } from '@payloadcms/email-nodemailer'

/** Writes mails to the log: the dev app's default, so links in mails are visible in the terminal. */
const consoleEmailAdapter: EmailAdapter = ({ payload }) => ({
  name: 'console',
  defaultFromAddress: process.env.EMAIL_FROM ?? 'webmaster@localhost',
  defaultFromName: 'payload-rest-auth',
  sendEmail: async (message) => {
    payload.logger.info({ msg: `e-mail to ${String(message.to)}: ${message.subject}\n${message.text ?? ''}` })
    return { accepted: [message.to] }
  },
})

/** SMTP through nodemailer when SMTP_HOST is set, otherwise the console. */
export const emailAdapterFromEnv = () => {
  if (!process.env.SMTP_HOST) {
    return consoleEmailAdapter
  }
  return nodemailerAdapter({
    defaultFromAddress: process.env.EMAIL_FROM ?? 'webmaster@localhost',
    defaultFromName: 'payload-rest-auth',
    skipVerify: true,
    transportOptions: {
      auth: process.env.SMTP_USER ? { pass: process.env.SMTP_PASS, user: process.env.SMTP_USER } : undefined,
      host: process.env.SMTP_HOST,
      // One kept-open connection (SMTPPool): a mail then costs about a third of the CPU of a fresh
      // connection's. The adapter's type omits the pool options; nodemailer reads them.
      ...{ pool: true },
      port: Number(process.env.SMTP_PORT ?? 587),
      secure: process.env.SMTP_SECURE === 'true',
    },
  })
}
