import type { SettingKey } from '../../src/settings/definitions.js'

import { settingDefinitions, settingKeys } from '../../src/settings/definitions.js'

const ACRONYMS: Record<string, string> = { csrf: 'CSRF', github: 'GitHub', http: 'HTTP', id: 'ID', ids: 'IDs', ip: 'IP', jwt: 'JWT', url: 'URL' }

/** `jwtAuthCookieUseCsrf` → `JWT auth cookie use CSRF`. */
export const humanizeSettingKey = (key: string): string =>
  key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(' ')
    .map((word, index) => {
      const lower = word.toLowerCase()
      if (ACRONYMS[lower]) {
        return ACRONYMS[lower]
      }
      return index === 0 ? lower.charAt(0).toUpperCase() + lower.slice(1) : lower
    })
    .join(' ')

/**
 * The English label and help text of every setting, generated from the settings table so the
 * documentation lives in one place. Other languages translate the same keys.
 */
const settingStrings = Object.fromEntries(
  settingKeys.flatMap((key: SettingKey) => [
    [`setting-${key}-label`, humanizeSettingKey(key)],
    [`setting-${key}-description`, settingDefinitions[key].description],
  ]),
) as Record<`setting-${SettingKey}-${'description' | 'label'}`, string>

export const en = {
  ...settingStrings,

  'group-jwt': 'JWT and cookies',
  'group-passwords': 'Password rules',
  'group-registration': 'Registration and e-mail',
  'group-security': 'Proxies and origins',
  'group-social': 'Social providers',
  'group-throttling': 'Rate limits',
  'group-tokens': 'Tokens and sessions',
  'tab-endpoints': 'Endpoints',

  'cookie-preview-title-jwt': 'Set-Cookie preview: JWT login',
  'cookie-preview-title-session': 'Set-Cookie preview: session login',
  'cookie-preview-intro':
    'The headers a successful login answers with under the values in this form. Token values are placeholders; the preview follows your edits before you save.',
  'cookie-preview-jwt-off': 'USE_JWT is off: logins set none of these cookies until you turn it on.',
  'cookie-preview-no-access-cookie': 'JWT_AUTH_COOKIE is empty: no access-token cookie is set.',
  'cookie-preview-no-refresh-cookie': 'JWT_AUTH_REFRESH_COOKIE is empty: no refresh-token cookie is set.',
  'cookie-preview-no-jwt-cookies':
    'JWT_AUTH_COOKIE and JWT_AUTH_REFRESH_COOKIE are empty: logins set no JWT cookie; the tokens travel in the response body only.',
  'cookie-preview-session-off': 'SESSION_LOGIN is off: logins start no session and set none of these cookies.',
  'cookie-preview-label-access': 'Access token',
  'cookie-preview-label-refresh': 'Refresh token',
  'cookie-preview-label-csrf': 'CSRF token',
  'cookie-preview-label-session': 'Session',

  'endpoints-title': 'Endpoints',
  'endpoints-intro': 'Routes of the API under the saved settings. Disabled routes answer 404.',
  'endpoints-enabled': 'Enabled ({{count}})',
  'endpoints-disabled': 'Disabled by the current settings ({{count}})',
  'endpoints-column-path': 'Path',
  'endpoints-column-methods': 'Methods',
  'endpoints-column-url': 'URL',
  'endpoints-unsaved': 'You have unsaved changes: this list shows the saved settings.',
  'endpoints-refresh-failed': 'Could not reload the list of endpoints.',

  'secret-status-set': 'Set',
  'secret-status-not-set': 'Not set',
  'secret-input-label': 'New value',
  'secret-help': 'The saved value is never shown; saving replaces it at once.',
  'secret-save': 'Save secret',
  'secret-remove': 'Remove',
  'secret-saved': '{{label}} saved.',
  'secret-removed': '{{label}} removed.',

  'social-title': 'Providers',
  'social-enabled': 'Enabled',
  'social-disabled': 'Disabled',
  'social-client-id': 'Client ID',
  'social-secret': 'Secret',
  'social-secret-set': 'Set (hidden)',
  'social-not-set': 'Not set',
  'social-callback-url': 'Callback URL',

  'column-verified': 'E-mail verified',
  'column-social-accounts': 'Social accounts',
  'verified': 'Verified',
  'unverified': 'Unverified',
  'no-email': 'No e-mail',
  'none': 'None',

  'account-title': 'Account',
  'emails-title': 'E-mail addresses',
  'emails-empty': 'No e-mail address.',
  'email-primary': 'Primary',
  'mark-verified': 'Mark verified',
  'marked-verified': '{{email}} is verified.',
  'resend-confirmation': 'Resend confirmation',
  'confirmation-sent': 'Confirmation mail sent to {{email}}.',
  'social-accounts-title': 'Social accounts',
  'social-accounts-empty': 'No linked social account.',
  'disconnect': 'Disconnect',
  'disconnected': '{{provider}} account disconnected.',
  'confirm-disconnect-heading': 'Disconnect {{provider}}?',
  'confirm-disconnect-body': 'The user can no longer log in with this {{provider}} account until they link it again.',
  'tokens-title': 'Active tokens and sessions',
  'tokens-empty': 'No active token or session.',
  'token-kind-token': 'API token',
  'token-kind-session': 'Session',
  'token-kind-refresh': 'JWT refresh token',
  'revoke': 'Revoke',
  'revoke-label': 'Revoke {{kind}} {{key}}',
  'revoked': '{{kind}} {{key}} revoked.',
  'revoke-all': 'Revoke all',
  'revoked-all': 'Every token and session of this user was revoked.',
  'confirm-revoke-all-heading': 'Revoke every token and session?',
  'confirm-revoke-all-body':
    'API tokens and sessions stop working at once; JWT refresh tokens are blacklisted, so JWT logins end when their access tokens expire.',
  'column-kind': 'Kind',
  'column-email': 'Address',
  'column-status': 'Status',
  'column-provider': 'Provider',
  'column-uid': 'UID',
  'column-created': 'Created',
  'column-last-used': 'Last used',
  'column-last-login': 'Last login',
  'column-expires': 'Expires',
  'column-client': 'Client',
  'column-actions': 'Actions',
  'never': 'Never',
  'action-failed': 'The action failed: {{detail}}',

  'dashboard-title': 'Authentication overview',
  'dashboard-settings-link': 'REST auth settings',
  'stat-users': 'Users',
  'stat-verified-users': 'Verified users',
  'stat-signups': 'Sign-ups, last 7 days',
  'stat-active-tokens': 'Active API tokens',
  'stat-active-sessions': 'Active sessions',
  'stat-active-refresh': 'Active JWT refresh tokens',
  'stat-social-title': 'Linked social accounts',
  'stat-social-none': 'No social account is linked yet.',
}

export type RestAuthTranslationKey = keyof typeof en
