import type { CommonConfig, ProviderConfig, ProviderSettings } from './types.js'

const listOf = (value: string): string[] => value.split(/[\s,]+/).filter(Boolean)

/**
 * A provider's settings as its calls see them, from `valueOf(role)` (a row of the settings table,
 * or of an OpenID Connect provider). Text is trimmed; scopes and accepted client IDs are lists; a
 * callback URL may start with `{origin}`, so one setting serves every deployment of a front end
 * that is served by the same site. `origin` is the one mail links use (`siteOrigin` in
 * src/http/forwarded.ts): Payload's `serverURL`, or outside production the request's own Host.
 */
export const readProviderConfig = <S extends ProviderSettings>(
  declared: S,
  valueOf: (role: string) => unknown,
  origin = '',
): ProviderConfig<S> => {
  const values: Record<string, unknown> = {}
  const secrets: string[] = []
  for (const [role, definition] of Object.entries(declared)) {
    const raw = valueOf(role)
    const value = definition.type === 'checkbox' ? raw === true : typeof raw === 'string' ? raw.trim() : ''
    values[role] = value
    if (definition.isSecret && typeof value === 'string' && value !== '') {
      secrets.push(value)
    }
  }
  const text = (role: string): string => (typeof values[role] === 'string' ? (values[role] as string) : '')
  const common: CommonConfig = {
    acceptedClientIds: listOf(text('acceptedClientIds')),
    callbackUrl: text('callbackUrl').replace('{origin}', origin),
    clientId: text('clientId'),
    isEnabled: values.enabled === true && text('clientId') !== '',
    scopes: listOf(text('scopes')),
    secret: text('secret'),
    secrets,
  }
  return { ...values, ...common } as ProviderConfig<S>
}
