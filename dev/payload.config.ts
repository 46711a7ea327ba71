import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildConfig } from 'payload'

import { restAuthPlugin } from '../src/index.js'
import { databaseAdapterFromURI } from './database.js'
import { emailAdapterFromEnv } from './email.js'

const dirname = path.dirname(fileURLToPath(import.meta.url))

/**
 * PAYLOAD_SECRET signs Payload's cookies, reset links, confirmation keys and the JWTs: a public
 * fallback would let anyone forge them. `next dev` may use one; a production server (`next start`,
 * NODE_ENV=production) refuses to start without the variable. `next build` evaluates this file
 * too but signs nothing, so it may go without.
 */
const payloadSecret = (): string => {
  const secret = process.env.PAYLOAD_SECRET
  if (secret) {
    return secret
  }
  if (process.env.NODE_ENV === 'production' && process.env.NEXT_PHASE !== 'phase-production-build') {
    throw new Error('PAYLOAD_SECRET is not set: refusing to start in production with the public development secret.')
  }
  return 'dev-secret-change-me'
}

export default buildConfig({
  admin: {
    // The scripts run from the repository root: name the file rather than let Payload look for app/.
    importMap: { baseDir: path.resolve(dirname), importMapFile: path.resolve(dirname, 'app/(payload)/admin/importMap.js') },
    user: 'users',
  },
  collections: [],
  db: databaseAdapterFromURI(),
  email: emailAdapterFromEnv(),
  plugins: [
    restAuthPlugin({
      // Links in mails and providers' callbacks open the demo app's pages (dev/demo), so the whole
      // loop works locally; register these callback URLs with the providers you enable.
      settings: {
        appleCallbackUrl: '{origin}/demo/social/callback/apple/',
        // The demo's page for a mailed login code: it shows the code and POSTs it when the user confirms.
        codeLinkUrl: '{origin}/demo/login/code/confirm/?code={code}',
        emailConfirmationUrl: '{origin}/demo/account-confirm-email/{key}/',
        facebookCallbackUrl: '{origin}/demo/social/callback/facebook/',
        githubCallbackUrl: '{origin}/demo/social/callback/github/',
        googleCallbackUrl: '{origin}/demo/social/callback/google/',
        microsoftCallbackUrl: '{origin}/demo/social/callback/microsoft/',
        passwordResetConfirmUrl: '{origin}/demo/password-reset/confirm/{uid}/{token}/',
        twitterCallbackUrl: '{origin}/demo/social/callback/twitter/',
        // Passkeys in the demo (dev/demo/Passkeys.tsx); their RP ID and origin follow SERVER_URL, or
        // the request (http://localhost:3000) when it is not set.
        webauthnEnabled: true,
        webauthnLoginEnabled: true,
      },
    }),
  ],
  secret: payloadSecret(),
  serverURL: process.env.SERVER_URL ?? '',
  telemetry: false,
  typescript: { outputFile: path.resolve(dirname, 'payload-types.ts') },
})
