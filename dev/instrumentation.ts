/**
 * Next.js calls register() once per server process, before the first request. Next.js only fills
 * X-Forwarded-For when a request has none, so the plugin's per-client limits need the socket's
 * peer address appended to it, as a reverse proxy would (see the README, "Client address").
 */
export const register = async (): Promise<void> => {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { forwardPeerAddress } = await import('../src/http/forwarded.js')
    forwardPeerAddress()
  }
}
