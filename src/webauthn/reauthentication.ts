import type { ReauthenticationMethod } from '../auth/reauthentication/types.js'

import { messages } from '../errors/messages.js'
import { fieldErrors } from '../errors/RestAuthError.js'
import { CeremonyError, finishAssertion, REAUTHENTICATION_FLOW } from './ceremonies.js'
import { listCredentials } from './credentials.js'
import { requireCeremonyFields } from './requestFields.js'

const fields = {
  flow_token: { required: true },
  credential: { helpText: 'The assertion for the options of webauthn/reauthenticate/options/.', required: true },
} as const

/**
 * A passkey assertion as a reauthentication method (allauth headless's webauthn reauthenticate):
 * `{"flow_token", "credential"}` for the options of `webauthn/reauthenticate/options/`, from one of
 * the user's own passkeys, with user verification.
 */
export const webauthnReauthentication: ReauthenticationMethod = {
  fields,
  id: 'webauthn',
  isAvailable: async ({ ctx, user }) =>
    ctx.settings.webauthnEnabled && (await listCredentials({ options: ctx.options, req: ctx.req, userId: user.id })).length > 0,
  isChosen: (data) => 'credential' in data,
  verify: async ({ ctx, user }) => {
    const { credential, flow_token: flowToken } = requireCeremonyFields(ctx.data, { flow_token: fields.flow_token }, Object.keys(fields))
    try {
      await finishAssertion(ctx, {
        credential,
        flowToken: flowToken!,
        kind: REAUTHENTICATION_FLOW,
        requirePasswordless: false,
        requireUserVerification: true,
        userId: user.id,
      })
    } catch (err) {
      if (err instanceof CeremonyError) {
        throw fieldErrors(err.reason === 'flow' ? { flow_token: [messages.webauthn.flowInvalid] } : { credential: [messages.webauthn.notVerified] })
      }
      throw err
    }
    return { method: 'webauthn' }
  },
}
