import jwt from 'jsonwebtoken'

import type { SocialIdentity } from '../social/types.js'

import { checkbox, text } from '../settings/settingTypes.js'
import { discover } from '../social/discovery.js'
import { emailOf, namesOf, textOf, uidOf } from '../social/identity.js'
import { exchangeCode } from '../social/oauth2.js'
import { bearer, fetchProviderObject, refusal } from '../social/providerCalls.js'
import { defineOAuth2Provider } from '../social/types.js'
import { messages } from '../errors/messages.js'

/** The tenant of personal Microsoft accounts (outlook.com, live.com). */
const CONSUMERS_TENANT_ID = '9188040d-6c67-4c5b-b112-36a304b66dad'

/**
 * allauth's choice of uid (Graph's `id`, which is the `oid` claim: one per user of a tenant, where
 * `sub` differs per application), address (`mail`, else the user principal name) and names. Entra
 * ID does not verify addresses, so they count as unverified.
 */
const toIdentity = ({
  email,
  extraData,
  familyName,
  fullName,
  givenName,
  uid,
}: {
  email: unknown
  extraData: Record<string, unknown>
  familyName: unknown
  fullName: unknown
  givenName: unknown
  uid: unknown
}): null | SocialIdentity => {
  const id = uidOf(uid)
  return id ? { email: emailOf(email), extraData, isEmailVerified: false, ...namesOf({ familyName, fullName, givenName }), uid: id } : null
}

/**
 * Microsoft Entra ID (v2.0 endpoints) for work, school and personal accounts. The tenant setting
 * picks who may sign in: `common` (everyone), `organizations` (work and school accounts),
 * `consumers` (personal accounts), or one tenant's ID or domain. Under the multi-tenant settings the
 * issuer of an id_token names the user's own tenant, so it is checked against the discovery
 * document's `{tenantid}` template filled in with the token's `tid`.
 */
export const microsoftProvider = defineOAuth2Provider({
  id: 'microsoft',
  label: 'Microsoft',
  protocol: 'oauth2',
  settings: {
    enabled: checkbox({
      default: false,
      description: 'Microsoft (Entra ID) login at microsoft/ and microsoft/connect/.',
      django: 'SOCIALACCOUNT_PROVIDERS.microsoft',
    }),
    clientId: text({
      default: '',
      description: 'Application (client) ID of the app registration (Microsoft Entra admin center).',
      django: 'SocialApp.client_id',
    }),
    secret: text({
      default: '',
      description: 'Client secret of the app registration, used to exchange a code. Write-only.',
      django: 'SocialApp.secret',
      isSecret: true,
    }),
    callbackUrl: text({
      default: '',
      description: 'redirect_uri of the code exchange: a Web redirect URI of the app registration. May start with {origin}.',
      django: 'SocialLoginView.callback_url',
      format: 'url',
    }),
    scopes: text({
      default: 'openid email profile User.Read',
      description: 'Scopes your client requests (space-separated); User.Read lets an access token read Graph\'s /me.',
      django: 'SOCIALACCOUNT_PROVIDERS.microsoft.SCOPE',
    }),
    acceptedClientIds: text({
      default: '',
      description: 'Client IDs of your other app registrations (mobile, desktop) whose tokens are accepted too (space- or comma-separated).',
    }),
    tenant: text({
      default: 'common',
      description:
        'Who may sign in: common (any Microsoft account), organizations (work and school accounts), consumers (personal accounts), or a tenant ID or domain.',
      django: 'SOCIALACCOUNT_PROVIDERS.microsoft.TENANT',
    }),
    authorityUrl: text({
      default: 'https://login.microsoftonline.com',
      description: 'The Entra ID authority: /<tenant>/oauth2/v2.0/authorize and /token, and the tenant\'s OpenID configuration, live under it.',
      format: 'url',
    }),
    profileUrl: text({
      default: 'https://graph.microsoft.com/v1.0/me',
      description: 'Microsoft Graph\'s /me, which identifies an access token.',
      format: 'url',
    }),
  },
  settingsProblems: (config) => (/^[\w.-]+$/.test(config.tenant) ? {} : { tenant: 'A tenant is common, organizations, consumers, or a tenant ID or domain.' }),
  authorization: (config) => ({ url: `${config.authorityUrl.replace(/\/+$/, '')}/${config.tenant}/oauth2/v2.0/authorize` }),
  /**
   * Graph's access tokens cannot be verified by anyone but Graph, which rejects a forged one when
   * /me is read with it right after; the client they were issued to is their `appid` (v1) or
   * `azp` (v2) claim. Personal accounts' tokens are opaque and cannot be checked.
   */
  checkAccessToken: async (config, accessToken) => {
    const claims = jwt.decode(accessToken, { json: true })
    if (!claims) {
      throw refusal(config, messages.social.incorrectValue, messages.social.accessTokenUncheckable('Microsoft'))
    }
    const accepted = [config.clientId, ...config.acceptedClientIds]
    if (![claims.appid, claims.azp].some((client) => typeof client === 'string' && accepted.includes(client))) {
      throw refusal(config, messages.social.incorrectValue, messages.social.otherApplication('Microsoft'))
    }
  },
  exchangeCode: (config, grant) =>
    exchangeCode(config, 'Microsoft', { grant, tokenUrl: `${config.authorityUrl.replace(/\/+$/, '')}/${config.tenant}/oauth2/v2.0/token` }),
  fetchIdentity: async (config, accessToken) => {
    const me = await fetchProviderObject(config, 'Microsoft', config.profileUrl, { headers: bearer(accessToken) })
    return toIdentity({
      email: me.mail ?? me.userPrincipalName,
      extraData: me,
      familyName: me.surname,
      fullName: me.displayName,
      givenName: me.givenName,
      uid: me.id,
    })
  },
  openId: {
    rules: async (config) => {
      const authority = config.authorityUrl.replace(/\/+$/, '')
      const document = await discover({ label: 'Microsoft', secrets: config.secrets }, `${authority}/${config.tenant}/v2.0/.well-known/openid-configuration`)
      const tenant = config.tenant.toLowerCase()
      return {
        issuer: (claims) => {
          const tid = textOf(claims.tid)
          if (!tid || (tenant === 'consumers' && tid !== CONSUMERS_TENANT_ID) || (tenant === 'organizations' && tid === CONSUMERS_TENANT_ID)) {
            return false
          }
          return claims.iss === document.issuer.replace('{tenantid}', tid)
        },
        jwksUrl: document.jwks_uri,
      }
    },
    toIdentity: (claims) =>
      toIdentity({
        email: claims.email ?? claims.preferred_username,
        extraData: claims,
        familyName: claims.family_name,
        fullName: claims.name,
        givenName: claims.given_name,
        uid: claims.oid ?? claims.sub,
      }),
  },
})
