export type {
  RestAuthPluginOptions,
  RestAuthSettings,
  RestAuthUser,
  SanitizedRestAuthOptions,
  SettingKey,
  UserDetailsField,
} from '../types.js'
