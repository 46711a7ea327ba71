import { UserVerifiedCell as UserVerifiedCell_15011c4732c86ee59f562502e363bb93 } from 'payload-rest-auth/rsc'
import { UserSocialAccountsCell as UserSocialAccountsCell_15011c4732c86ee59f562502e363bb93 } from 'payload-rest-auth/rsc'
import { UserAccountField as UserAccountField_15011c4732c86ee59f562502e363bb93 } from 'payload-rest-auth/rsc'
import { CookiePreview as CookiePreview_dbaa8ab0d21cc90eed85165ad113d7da } from 'payload-rest-auth/client'
import { SecretSettingField as SecretSettingField_15011c4732c86ee59f562502e363bb93 } from 'payload-rest-auth/rsc'
import { SocialProvidersField as SocialProvidersField_15011c4732c86ee59f562502e363bb93 } from 'payload-rest-auth/rsc'
import { EndpointsField as EndpointsField_15011c4732c86ee59f562502e363bb93 } from 'payload-rest-auth/rsc'
import { DashboardStats as DashboardStats_15011c4732c86ee59f562502e363bb93 } from 'payload-rest-auth/rsc'
import { AdminLoginView as AdminLoginView_15011c4732c86ee59f562502e363bb93 } from 'payload-rest-auth/rsc'
import { CollectionCards as CollectionCards_f9c02e79a4aed9a3924487c0cd4cafb1 } from '@payloadcms/next/rsc'

/** @type import('payload').ImportMap */
export const importMap = {
  "payload-rest-auth/rsc#UserVerifiedCell": UserVerifiedCell_15011c4732c86ee59f562502e363bb93,
  "payload-rest-auth/rsc#UserSocialAccountsCell": UserSocialAccountsCell_15011c4732c86ee59f562502e363bb93,
  "payload-rest-auth/rsc#UserAccountField": UserAccountField_15011c4732c86ee59f562502e363bb93,
  "payload-rest-auth/client#CookiePreview": CookiePreview_dbaa8ab0d21cc90eed85165ad113d7da,
  "payload-rest-auth/rsc#SecretSettingField": SecretSettingField_15011c4732c86ee59f562502e363bb93,
  "payload-rest-auth/rsc#SocialProvidersField": SocialProvidersField_15011c4732c86ee59f562502e363bb93,
  "payload-rest-auth/rsc#EndpointsField": EndpointsField_15011c4732c86ee59f562502e363bb93,
  "payload-rest-auth/rsc#DashboardStats": DashboardStats_15011c4732c86ee59f562502e363bb93,
  "payload-rest-auth/rsc#AdminLoginView": AdminLoginView_15011c4732c86ee59f562502e363bb93,
  "@payloadcms/next/rsc#CollectionCards": CollectionCards_f9c02e79a4aed9a3924487c0cd4cafb1
}
