import type { PayloadRequest } from 'payload'

import type { RenderedEmail } from './templates.js'

/**
 * Renders a template and hands it to Payload's e-mail adapter. Failures are logged without the
 * mail's content (it holds a secret link) and reported as `false`, never thrown.
 */
export const sendTemplatedEmail = async <Context extends { user: { email: string } }>({
  context,
  kind,
  req,
  template,
}: {
  context: Context
  kind: string
  req: PayloadRequest
  template: (context: Context) => Promise<RenderedEmail> | RenderedEmail
}): Promise<boolean> => {
  try {
    const { html, subject, text } = await template(context)
    await req.payload.sendEmail({ html, subject, text, to: context.user.email })
    return true
  } catch (err) {
    req.payload.logger.error({ err, msg: `payload-rest-auth: could not send the ${kind} e-mail` })
    return false
  }
}
