import type { PayloadRequest } from 'payload'

import type { SocialAccountRow } from '../social/accounts.js'
import type { PasswordResetDoneContext } from '../email/templates.js'
import type { RestAuthSettings, RestAuthUser, SanitizedRestAuthOptions } from '../types.js'

import { sendTemplatedEmail } from '../email/sendTemplatedEmail.js'
import { listProviders } from '../providers/registry.js'

import { normalizeIdentifier } from '../users/findUser.js'
import { localApi } from '../utilities/localApi.js'
import { markAddressVerified } from '../emailAddresses/markVerified.js'

type AddressRow = { id: number | string; user: number | string | { id: number | string }; verified?: boolean | null }

const userIdOf = (row: AddressRow): number | string => (typeof row.user === 'object' ? row.user.id : row.user)

/**
 * A completed reset by e-mail proves the user controls their address. Pre-account takeover: someone
 * who registered the address first (verification optional, or none) and attached their own provider
 * account would otherwise keep a way in once the owner resets the password. So when the address was
 * not verified yet, this marks it verified and removes every social account of the user — all of
 * them were connected while the address was unproven (connecting needs a verified address, except
 * under `none`). Tokens, sessions and refresh tokens the reset revokes anyway. Returns the social
 * accounts removed, for the mail that tells the user.
 */
export const proveAddressByReset = async ({
  options,
  req,
  user,
}: {
  options: SanitizedRestAuthOptions
  req: PayloadRequest
  user: RestAuthUser
}): Promise<SocialAccountRow[]> => {
  if (!user.email) {
    return []
  }
  const api = localApi(req.payload)
  const email = normalizeIdentifier(user.email)
  const { docs } = await api.find<AddressRow>({
    collection: options.slugs.emailAddresses,
    depth: 0,
    limit: 1,
    overrideAccess: true,
    pagination: false,
    req,
    where: { email: { equals: email } },
  })
  const address = docs[0]
  if (address && (address.verified || String(userIdOf(address)) !== String(user.id))) {
    return []
  }
  if (address) {
    await markAddressVerified({ id: address.id, options, req })
  } else {
    await api.create({
      collection: options.slugs.emailAddresses,
      data: { email, primary: true, user: user.id, verified: true },
      depth: 0,
      overrideAccess: true,
      req,
    })
  }
  const where = { user: { equals: user.id } }
  const { docs: accounts } = await api.find<SocialAccountRow>({
    collection: options.slugs.socialAccounts,
    depth: 0,
    overrideAccess: true,
    pagination: false,
    req,
    where,
  })
  if (accounts.length > 0) {
    await api.delete({ collection: options.slugs.socialAccounts, depth: 0, overrideAccess: true, req, where })
  }
  return accounts
}

/**
 * Tells the user what proving their address removed (see proveAddressByReset): after a password
 * reset (by link or code), or a login with a mailed code.
 */
export const sendAddressProvenMail = async (
  { options, req, settings }: { options: SanitizedRestAuthOptions; req: PayloadRequest; settings: RestAuthSettings },
  { provenBy = 'reset', removed, user }: { provenBy?: PasswordResetDoneContext['provenBy']; removed: SocialAccountRow[]; user: RestAuthUser },
): Promise<void> => {
  const providers = listProviders(settings)
  const labels = removed.map((account) => providers.find((provider) => provider.id === account.provider)?.label ?? account.provider)
  await sendTemplatedEmail({
    context: {
      provenBy,
      removedSocialAccounts: [...new Set(labels)],
      siteDomain: settings.siteDomain,
      siteName: settings.siteName,
      user: { email: user.email!, first_name: user.first_name, username: user.username ?? '' },
    },
    kind: 'password reset done',
    req,
    template: options.emailTemplates.passwordResetDone,
  })
}
