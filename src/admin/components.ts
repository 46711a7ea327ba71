import type { SanitizedRestAuthOptions } from '../types.js'

/** Import-map paths of the admin components (admin/components, re-exported by src/exports). */
export const componentPaths = {
  adminLoginView: 'payload-rest-auth/rsc#AdminLoginView',
  cookiePreview: 'payload-rest-auth/client#CookiePreview',
  dashboardStats: 'payload-rest-auth/rsc#DashboardStats',
  endpointsField: 'payload-rest-auth/rsc#EndpointsField',
  secretSettingField: 'payload-rest-auth/rsc#SecretSettingField',
  socialProvidersField: 'payload-rest-auth/rsc#SocialProvidersField',
  userAccountField: 'payload-rest-auth/rsc#UserAccountField',
  userSocialAccountsCell: 'payload-rest-auth/rsc#UserSocialAccountsCell',
  userVerifiedCell: 'payload-rest-auth/rsc#UserVerifiedCell',
} as const

/** Server components receive the resolved plugin options under this prop (server-only: never sent to the browser). */
export type RestAuthServerProps = { restAuth: SanitizedRestAuthOptions }

export const serverProps = (options: SanitizedRestAuthOptions): RestAuthServerProps => ({ restAuth: options })
