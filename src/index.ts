import type { CollectionConfig, Config } from 'payload'

import type { RestAuthPluginOptions, SanitizedRestAuthOptions } from './types.js'

import { withAdminScreens } from './admin/index.js'
import { startCacheInvalidation } from './cache/invalidation.js'
import { authEventsCollection } from './collections/AuthEvents/index.js'
import { authFlowsCollection } from './collections/AuthFlows/index.js'
import { authSessionsCollection } from './collections/AuthSessions/index.js'
import { emailAddressesCollection } from './collections/EmailAddresses/index.js'
import { idTokenNoncesCollection } from './collections/IdTokenNonces/index.js'
import { loginFailuresCollection } from './collections/LoginFailures/index.js'
import { mfaAuthenticatorsCollection } from './collections/MfaAuthenticators/index.js'
import { outstandingTokensCollection } from './collections/OutstandingTokens/index.js'
import { socialAccountsCollection } from './collections/SocialAccounts/index.js'
import { tokensCollection } from './collections/Tokens/index.js'
import { extendUsersCollection } from './collections/Users/index.js'
import { webauthnCredentialsCollection } from './collections/WebauthnCredentials/index.js'
import { sanitizeOptions } from './defaults.js'
import { restAuthEndpoints } from './endpoints/index.js'
import { settingsGlobal } from './globals/settingsGlobal.js'
import { toPayloadEndpoints } from './http/defineEndpoint.js'
import { warnAboutForwarding } from './http/forwarded.js'
import { importDjangoBinScript } from './migrate/django/bin.js'
import { openApiBinScript } from './openapi/bin.js'
import { serveBinScript } from './server/binScript.js'
import { setMaxPasswordChecks } from './passwords/checkSlots.js'
import { guardDatabasePool } from './utilities/guardDatabasePool.js'
import { withPluginOptions } from './utilities/pluginOptions.js'
import { warnWithoutTransactions } from './utilities/warnWithoutTransactions.js'

export type {
  JwtClaimsHook,
  RegistrationField,
  RestAuthPluginOptions,
  RestAuthSettings,
  RestAuthUser,
  SanitizedRestAuthOptions,
  SettingKey,
  UserDetailsField,
} from './types.js'
export { defaultSettings, settingDefinitions } from './settings/definitions.js'
export { appendForwardedFor, clientAddress, forwardPeerAddress } from './http/forwarded.js'

const startsWithParameter = (endpoint: { path: string }) => endpoint.path.startsWith('/:')
const fixedRoutes = restAuthEndpoints.filter((endpoint) => !startsWithParameter(endpoint))
const parameterRoutes = restAuthEndpoints.filter(startsWithParameter)

const applyOverride = (collection: CollectionConfig, override?: (args: { collection: CollectionConfig }) => CollectionConfig) =>
  override ? override({ collection }) : collection

/**
 * The dj-rest-auth REST API for Payload: `plugins: [restAuthPlugin({ ... })]`.
 * Routes live at `/api/<routePrefix>/...`; settings are editable in the admin's settings global.
 */
export const restAuthPlugin =
  (pluginOptions: RestAuthPluginOptions = {}) =>
  (incomingConfig: Config): Config => {
    const options: SanitizedRestAuthOptions = sanitizeOptions(pluginOptions)
    if (options.enabled) {
      setMaxPasswordChecks(options.maxPasswordChecksInFlight)
    }
    const withBehaviour = options.enabled
    const collections = incomingConfig.collections ?? []
    const existingUsers = collections.find((collection) => collection.slug === options.usersCollection)
    const users = extendUsersCollection(existingUsers, options, { withBehaviour })
    const global = settingsGlobal(options)

    const config: Config = {
      ...incomingConfig,
      bin: [...(incomingConfig.bin ?? []), importDjangoBinScript, openApiBinScript, serveBinScript],
      collections: [
        ...(existingUsers ? [] : [users]),
        ...collections.map((collection) => (collection === existingUsers ? users : collection)),
        applyOverride(tokensCollection(options), options.overrides.tokens),
        applyOverride(emailAddressesCollection(options), options.overrides.emailAddresses),
        applyOverride(socialAccountsCollection(options), options.overrides.socialAccounts),
        applyOverride(outstandingTokensCollection(options), options.overrides.outstandingTokens),
        applyOverride(authSessionsCollection(options), options.overrides.sessions),
        loginFailuresCollection(options),
        idTokenNoncesCollection(options),
        authFlowsCollection(options),
        applyOverride(webauthnCredentialsCollection(options), options.overrides.webauthnCredentials),
        authEventsCollection(options),
        mfaAuthenticatorsCollection(options),
      ],
      custom: withPluginOptions(incomingConfig.custom, options),
      // Payload takes the first route that matches: one whose path starts with a parameter
      // (`/:provider`) would shadow the app's own routes under the prefix, so it goes last.
      endpoints: withBehaviour
        ? [
            ...fixedRoutes.flatMap((endpoint) => toPayloadEndpoints(endpoint, options)),
            ...(incomingConfig.endpoints ?? []),
            ...parameterRoutes.flatMap((endpoint) => toPayloadEndpoints(endpoint, options)),
          ]
        : incomingConfig.endpoints,
      // A login refused under load, for a missing or wrong second factor, or in the back-off is expected,
      // not an application error: no stack in the error log (Payload's type lists only its own names).
      loggingLevels: {
        ...({ LoginThrottledError: 'info', PasswordChecksBusyError: 'info', SecondFactorError: 'info' } as Config['loggingLevels']),
        ...incomingConfig.loggingLevels,
      },
      globals: [...(incomingConfig.globals ?? []), options.overrides.settings ? options.overrides.settings({ global }) : global],
      onInit: async (payload) => {
        await incomingConfig.onInit?.(payload)
        if (withBehaviour) {
          guardDatabasePool(payload)
          await warnWithoutTransactions(payload)
          warnAboutForwarding(payload)
          await startCacheInvalidation({ options, payload })
        }
      },
    }
    return withAdminScreens(config, options)
  }
