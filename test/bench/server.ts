/**
 * The benchmark's server: the test app (real HTTP, Payload's REST handler, a fresh SQLite or
 * PostgreSQL database) in its own process, so the load generator does not share its event loop.
 * Prints one JSON line with the URLs and a token once it is ready.
 */
import { nodemailerAdapter } from '@payloadcms/email-nodemailer'

import { call } from '../helpers/client.js'
import { startTestApp } from '../helpers/server.js'
import { createUser, PASSWORD } from '../helpers/users.js'

const db = (process.env.BENCH_DB as 'postgres' | 'sqlite' | undefined) ?? 'sqlite'
// Mails go over SMTP to the runner's mailbox, so sending costs what it costs in production.
const email = process.env.BENCH_SMTP_PORT
  ? nodemailerAdapter({
      defaultFromAddress: 'bench@example.com',
      defaultFromName: 'bench',
      skipVerify: true,
      transportOptions: { host: '127.0.0.1', ignoreTLS: true, port: Number(process.env.BENCH_SMTP_PORT), secure: false, ...{ pool: true } },
    })
  : undefined
const app = await startTestApp({ config: email ? { email } : {}, db })
await createUser(app.payload, { email: 'bench@example.com', username: 'bench' })
// Accounts probed once each through Payload's own login (a repeated probe would trip its lock).
const PROBES = Number(process.env.BENCH_PROBES ?? 80)
for (let i = 0; i < PROBES; i += 1) {
  await createUser(app.payload, { email: `probe${i}@example.com`, username: `probe${i}` })
}
const login = await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'bench' } })
const payloadLogin = await call(`${app.apiUrl}/users/login`, 'POST', { body: { password: PASSWORD, username: 'bench' } })
// JWT mode on as well, with an access token that outlives the run; the token above keeps working because
// authenticationClasses lists it after JWT (JWT mode's default accepts access tokens only).
await app.payload.updateGlobal({
  data: { accessTokenLifetime: 3600, authenticationClasses: 'jwt, token', loginByCodeEnabled: true, useJwt: true } as never,
  slug: 'rest-auth-settings' as never,
})
const jwtLogin = await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'bench' } })
const ready = { access: jwtLogin.body.access, apiUrl: app.apiUrl, jwt: payloadLogin.body.token, key: login.body.key, url: app.url }
process.stdout.write(`BENCH_READY ${JSON.stringify(ready)}\n`)

const stop = async () => {
  await app.close()
  process.exit(0)
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
