// Client components of the admin screens.
export { AdminLoginForm } from '../../admin/components/AdminLogin/index.client.js'
export { CookiePreview } from '../../admin/components/CookiePreview/index.client.js'
export { EndpointsList } from '../../admin/components/EndpointsField/index.client.js'
export { SecretSettingInput } from '../../admin/components/SecretSettingField/index.client.js'
export { SocialProviderCards } from '../../admin/components/SocialProvidersField/index.client.js'
export { UserAccount } from '../../admin/components/UserAccountField/index.client.js'
