import type { Payload } from 'payload'

/**
 * The origin the client reached the site at: Payload's `serverURL`, else the Host (or a proxy's
 * X-Forwarded-Host) the request came with. Only for answers to that same client (the API's own
 * URLs, a provider's callback): a forged header changes nothing but the forger's own answer. Links
 * in mails use linkOrigin, which never reads the Host header.
 */
export const requestOrigin = ({ headers, payload }: { headers?: Headers; payload: Payload }): string => {
  const serverURL = payload.config.serverURL
  if (serverURL) {
    return serverURL.replace(/\/+$/, '')
  }
  const host = headers?.get('x-forwarded-host') ?? headers?.get('host')
  if (!host) {
    return ''
  }
  const proto = headers?.get('x-forwarded-proto')?.split(',')[0]?.trim() || 'http'
  return `${proto}://${host.split(',')[0]!.trim()}`
}
