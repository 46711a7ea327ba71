/**
 * The comparison's database, made once before any server starts (test/bench/compare.ts): the dev
 * app's schema pushed (run with NODE_ENV=development and PAYLOAD_FORCE_DRIZZLE_PUSH), one user with
 * an API token, and the settings every server reads: JWT and token authentication, long access
 * tokens, no rate limits (the load comes from one address). Prints the token's key.
 */
import { getPayload } from 'payload'

import config from '../../dev/payload.config.js'
import { generateKey, sha256Hex } from '../../src/utilities/crypto.js'
import { createUser } from '../helpers/users.js'

const payload = await getPayload({ config })
const user = await createUser(payload, { email: 'bench@example.com', username: 'bench' })
const key = generateKey()
await payload.create({
  collection: 'auth-tokens' as never,
  data: { digest: sha256Hex(key), kind: 'token', lastUsedAt: new Date().toISOString(), prefix: key.slice(0, 8), user: user.id } as never,
  overrideAccess: true,
})
await payload.updateGlobal({
  // jwtAuthHttpOnly off: the refresh token comes in login's body, for token/refresh/ to send.
  data: { accessTokenLifetime: 3600, authenticationClasses: 'jwt, token', jwtAuthHttpOnly: false, loginLockoutThreshold: 0, throttleEnabled: false, useJwt: true } as never,
  slug: 'rest-auth-settings' as never,
})
await payload.destroy()
process.stdout.write(`BENCH_SEED ${JSON.stringify({ key })}\n`)
process.exit(0)
