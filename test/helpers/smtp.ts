import type { ParsedMail } from 'mailparser'

import { nodemailerAdapter } from '@payloadcms/email-nodemailer'
import { simpleParser } from 'mailparser'
import { SMTPServer } from 'smtp-server'

export type Mailbox = {
  /** A Payload e-mail adapter that delivers to this server over SMTP. */
  adapter: ReturnType<typeof nodemailerAdapter>
  close: () => Promise<void>
  messages: ParsedMail[]
  port: number
  /** While true, the server refuses every message (a failing SMTP relay). */
  refuse: (isRefusing: boolean) => void
  /**
   * Resolves with the first mail to `to` delivered after `since` messages (and whose subject contains
   * `subject`, when given: mails are sent after the response, so two flows' mails may arrive in either
   * order), or rejects after `timeoutMs`.
   */
  waitFor: (to: string, options?: { since?: number; subject?: string; timeoutMs?: number }) => Promise<ParsedMail>
}

const recipients = (mail: ParsedMail): string[] =>
  [mail.to].flat().flatMap((address) => address?.value.map((v) => (v.address ?? '').toLowerCase()) ?? [])

/** A real SMTP server on loopback, in the test process, that keeps every mail it receives. */
export const startMailbox = async (): Promise<Mailbox> => {
  const messages: ParsedMail[] = []
  const listeners = new Set<() => void>()
  let isRefusing = false
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          if (isRefusing) {
            callback(Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 }))
            return
          }
          messages.push(mail)
          listeners.forEach((listener) => listener())
          callback()
        })
        .catch(callback)
    },
  })
  // A client that goes away with a pooled connection open resets it; that is not the test's failure.
  server.on('error', () => undefined)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.server.address() as { port: number }
  const adapter = nodemailerAdapter({
    defaultFromAddress: 'webmaster@example.com',
    defaultFromName: 'example.com',
    skipVerify: true,
    transportOptions: { host: '127.0.0.1', ignoreTLS: true, port, secure: false },
  })
  const waitFor: Mailbox['waitFor'] = (to, { since = 0, subject, timeoutMs = 10_000 } = {}) =>
    new Promise((resolve, reject) => {
      const check = () => {
        const found = messages
          .slice(since)
          .find((mail) => recipients(mail).includes(to.toLowerCase()) && (!subject || (mail.subject ?? '').includes(subject)))
        if (found) {
          listeners.delete(check)
          clearTimeout(timer)
          resolve(found)
        }
      }
      const timer = setTimeout(() => {
        listeners.delete(check)
        reject(new Error(`no mail to ${to}${subject ? ` about "${subject}"` : ''} within ${timeoutMs} ms`))
      }, timeoutMs)
      listeners.add(check)
      check()
    })
  return {
    adapter,
    close: () => new Promise((resolve) => server.close(() => resolve())),
    messages,
    port,
    refuse: (value) => {
      isRefusing = value
    },
    waitFor,
  }
}

/** The first http(s) link in a mail's text part. */
export const linkIn = (mail: ParsedMail): string => {
  const match = /https?:\/\/\S+/.exec(mail.text ?? '')
  if (!match) {
    throw new Error(`no link in mail: ${mail.text}`)
  }
  return match[0]
}
