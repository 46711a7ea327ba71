// Server components of the admin screens.
export { AdminLoginView } from '../../admin/components/AdminLogin/index.js'
export { DashboardStats } from '../../admin/components/DashboardStats/index.js'
export { EndpointsField } from '../../admin/components/EndpointsField/index.js'
export { SecretSettingField } from '../../admin/components/SecretSettingField/index.js'
export { SocialProvidersField } from '../../admin/components/SocialProvidersField/index.js'
export { UserAccountField } from '../../admin/components/UserAccountField/index.js'
export { UserSocialAccountsCell } from '../../admin/components/UserSocialAccountsCell/index.js'
export { UserVerifiedCell } from '../../admin/components/UserVerifiedCell/index.js'
