export type {
  JwtClaimsHook,
  RegistrationField,
  RestAuthPluginOptions,
  RestAuthSettings,
  RestAuthUser,
  SanitizedRestAuthOptions,
  SettingKey,
  UserDetailsField,
} from '../types.js'
export type { PublicProvider } from '../social/publicProviders.js'
