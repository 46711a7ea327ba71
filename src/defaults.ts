import type { RestAuthPluginOptions, RestAuthSlugs, SanitizedRestAuthOptions } from './types.js'

import { defaultEmailTemplates } from './email/templates.js'
import { defaultMaxPasswordChecks } from './passwords/checkSlots.js'
import { defaultSettings } from './settings/definitions.js'
import { createSettingsStore } from './settings/settingsStore.js'
import { validateSettings } from './settings/validateSettings.js'

export const defaultSlugs: RestAuthSlugs = {
  emailAddresses: 'email-addresses',
  events: 'auth-events',
  flows: 'auth-flows',
  idTokenNonces: 'id-token-nonces',
  loginFailures: 'login-failures',
  mfaAuthenticators: 'mfa-authenticators',
  outstandingTokens: 'outstanding-tokens',
  sessions: 'auth-sessions',
  settings: 'rest-auth-settings',
  socialAccounts: 'social-accounts',
  tokens: 'auth-tokens',
  webauthnCredentials: 'webauthn-credentials',
}

export const defaults = {
  enabled: true,
  routePrefix: 'dj-rest-auth',
  settingsCacheTtl: 5_000,
  tokenCacheTtl: 10_000,
  usersCollection: 'users',
}

export class RestAuthConfigError extends Error {
  constructor(message: string) {
    super(`payload-rest-auth: ${message}`)
    this.name = 'RestAuthConfigError'
  }
}

export const sanitizeOptions = (options: RestAuthPluginOptions = {}): SanitizedRestAuthOptions => {
  const usersCollection = options.usersCollection ?? defaults.usersCollection
  const baseSettings = { ...defaultSettings, ...options.settings }
  const problems = Object.entries(validateSettings(baseSettings))
  if (problems.length > 0) {
    throw new RestAuthConfigError(problems.map(([key, problem]) => `settings.${key}: ${problem}`).join(' '))
  }
  const reserved = ['email', 'password1', 'password2', 'username']
  const clash = (options.registrationFields ?? []).find((field) => reserved.includes(field.name))
  if (clash) {
    throw new RestAuthConfigError(`registrationFields: "${clash.name}" is one of registration's own fields.`)
  }
  const routePrefix = (options.routePrefix ?? defaults.routePrefix).replace(/^\/+|\/+$/g, '')
  const slugs = { ...defaultSlugs, ...options.slugs }
  return {
    baseSettings,
    emailTemplates: { ...defaultEmailTemplates, ...options.emailTemplates },
    enabled: options.enabled ?? defaults.enabled,
    isAdmin:
      options.isAdmin ??
      (({ user }) =>
        Boolean(user && user.is_staff && user.is_active !== false && (user as { collection?: string }).collection === usersCollection)),
    jwtClaims: options.jwtClaims,
    maxPasswordChecksInFlight: options.maxPasswordChecksInFlight ?? defaultMaxPasswordChecks(),
    overrides: options.overrides ?? {},
    rateLimitStore: options.rateLimitStore ?? {},
    registerAccess: options.registerAccess ?? (() => true),
    registrationFields: options.registrationFields ?? [],
    routePrefix,
    settingsStore: createSettingsStore({
      baseSettings,
      globalSlug: slugs.settings,
      ttlMs: options.settingsCacheTtl ?? defaults.settingsCacheTtl,
    }),
    slugs,
    tokenCacheTtl: options.tokenCacheTtl ?? defaults.tokenCacheTtl,
    userDetailsFields: options.userDetailsFields ?? [],
    usersCollection,
  }
}
