import type { ProviderDefinition } from '../social/types.js'

import { appleProvider } from './apple.js'
import { facebookProvider } from './facebook.js'
import { githubProvider } from './github.js'
import { googleProvider } from './google.js'
import { microsoftProvider } from './microsoft.js'
import { twitterProvider } from './twitter.js'

export { openIdConnectProvider } from './openIdConnect.js'

/**
 * The built-in providers, in the order `social/providers/` lists them (dj-rest-auth's documentation
 * order, then the newer ones); each brings its `<id>…` settings. OpenID Connect providers that
 * admins add follow them (src/providers/openIdConnect.ts).
 */
export const builtinProviders = [facebookProvider, googleProvider, githubProvider, twitterProvider, appleProvider, microsoftProvider] as const

export const builtinProviderList: readonly ProviderDefinition[] = builtinProviders
