import type { RestAuthSettings } from '../settings/definitions.js'
import type { ProviderConfig, SocialProvider } from './types.js'

/**
 * The settings of one provider, read by the naming convention of the `social` group. A callback URL
 * may start with `{origin}` (the site's origin, see siteOrigin), so one setting serves
 * every deployment of a front end that is served by the same site.
 */
export const readProviderConfig = (settings: RestAuthSettings, id: string, origin = ''): ProviderConfig => {
  const values = settings as unknown as Record<string, unknown>
  const text = (suffix: string): string => {
    const value = values[`${id}${suffix}`]
    return typeof value === 'string' ? value.trim() : ''
  }
  const clientId = text('ClientId')
  const list = (suffix: string) => text(suffix).split(/[\s,]+/).filter(Boolean)
  return {
    acceptedClientIds: list('AcceptedClientIds'),
    authorizationUrl: text('AuthorizationUrl'),
    callbackUrl: text('CallbackUrl').replace('{origin}', origin),
    clientId,
    isEnabled: values[`${id}Enabled`] === true && clientId !== '',
    mustCheckAudience: settings.socialCheckTokenAudience,
    profileUrl: text('ProfileUrl'),
    requestTokenUrl: text('RequestTokenUrl'),
    scopes: list('Scopes'),
    secret: text('Secret'),
    tokenCheckUrl: text('TokenInfoUrl') || text('TokenCheckUrl'),
    tokenUrl: text('TokenUrl') || text('AccessTokenUrl'),
  }
}

/** Whether the provider's callback URL setting starts from `{origin}`. */
export const callbackUsesOrigin = (settings: RestAuthSettings, id: string): boolean => {
  const value = (settings as unknown as Record<string, unknown>)[`${id}CallbackUrl`]
  return typeof value === 'string' && value.includes('{origin}')
}

/** A provider's routes exist while it is enabled and has a client ID; otherwise they answer 404. */
export const isProviderEnabled = (provider: Pick<SocialProvider, 'id'>, settings: RestAuthSettings): boolean =>
  readProviderConfig(settings, provider.id).isEnabled
