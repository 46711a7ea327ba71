import type { Config, Payload } from 'payload'

import type { SanitizedRestAuthOptions } from '../types.js'

import { RestAuthConfigError } from '../defaults.js'

/** The plugin leaves its resolved options in the config's server-only `custom`, for the bin scripts and exported functions that get only a Payload instance. */
const CUSTOM_KEY = 'payload-rest-auth'

export const withPluginOptions = (custom: Config['custom'], options: SanitizedRestAuthOptions): Config['custom'] => ({
  ...custom,
  [CUSTOM_KEY]: options,
})

export const pluginOptionsOf = (payload: Payload): SanitizedRestAuthOptions => {
  const options = (payload.config.custom as Record<string, unknown> | undefined)?.[CUSTOM_KEY]
  if (!options) {
    throw new RestAuthConfigError('restAuthPlugin is not among the plugins of this Payload config.')
  }
  return options as SanitizedRestAuthOptions
}
