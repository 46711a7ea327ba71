import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server'

import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server'

import type { EndpointContext } from '../http/defineEndpoint.js'
import type { RestAuthUser } from '../types.js'
import type { StoredCredential } from './credentials.js'

import { consumeFlow, findFlow, startFlow } from '../flows/flowStore.js'
import { randomString } from '../utilities/crypto.js'
import { createCredential, findByCredentialId, listCredentials, ownerOf, recordUse, userHandleFor } from './credentials.js'
import { relyingParty } from './relyingParty.js'

type Id = number | string

export const REGISTER_FLOW = 'webauthn-register'
export const LOGIN_FLOW = 'webauthn-login'
export const REAUTHENTICATION_FLOW = 'webauthn-reauthenticate'
export const SECOND_FACTOR_FLOW = 'webauthn-mfa'

/** Why a ceremony failed; the endpoints turn it into their own wording (login's, for logins). */
export type CeremonyFailure = 'duplicate' | 'flow' | 'verification'

export class CeremonyError extends Error {
  readonly reason: CeremonyFailure
  constructor(reason: CeremonyFailure, cause?: unknown) {
    super(`passkey ceremony failed: ${reason}`, { cause })
    this.name = 'CeremonyError'
    this.reason = reason
  }
}

type Challenge = {
  challenge: string
  /** For a second factor: the pending login (auth-flows row) this challenge belongs to. */
  loginFlow?: number | string
  passwordless?: boolean
  userHandle?: string
}

const flowTtl = (ctx: EndpointContext): number => ctx.settings.webauthnTimeout

/**
 * Takes the flow the client names, once: the compare-and-set that consumes it runs before anything
 * the client sent is looked at, so a replayed or concurrently repeated completion finds it used.
 * A flow of another user (`userId`) is as unknown as a missing one. The challenge is the row's.
 */
const takeFlow = async (
  ctx: EndpointContext,
  { kind, loginFlow, token, userId }: { kind: string; loginFlow?: Id; token: string; userId?: Id },
): Promise<Challenge> => {
  const lookup = await findFlow({ kind, options: ctx.options, req: ctx.req, token })
  const data = lookup.status === 'ok' ? (lookup.flow.data as Partial<Challenge>) : {}
  if (
    lookup.status !== 'ok' ||
    (userId !== undefined && String(lookup.flow.user) !== String(userId)) ||
    (loginFlow !== undefined && String(data.loginFlow) !== String(loginFlow))
  ) {
    throw new CeremonyError('flow')
  }
  if (!(await consumeFlow({ flow: lookup.flow, options: ctx.options, req: ctx.req }))) {
    throw new CeremonyError('flow')
  }
  if (typeof data.challenge !== 'string') {
    throw new CeremonyError('flow')
  }
  return data as Challenge
}

/** Registration options for the signed-in user, and the flow that holds their challenge. */
export const startRegistration = async (ctx: EndpointContext, user: RestAuthUser, { passwordless }: { passwordless: boolean }) => {
  const { options, req } = ctx
  const rp = relyingParty(ctx)
  const existing = await listCredentials({ options, req, userId: user.id })
  // Every passkey of a user carries the same random handle (see userHandleFor).
  const userHandle = existing[0]?.userHandle ?? randomString(32)
  // The library's random challenge (32 bytes); the flow row is the only copy the server trusts.
  const creationOptions = await generateRegistrationOptions({
    attestationType: 'none',
    authenticatorSelection: passwordless
      ? { residentKey: 'required', userVerification: 'required' }
      : { residentKey: 'discouraged', userVerification: 'preferred' },
    // The browser refuses an authenticator that already holds one of these (a duplicate).
    excludeCredentials: existing.map((row) => ({ id: row.credentialId, transports: row.transports ?? undefined })),
    rpID: rp.rpId,
    rpName: rp.name,
    timeout: flowTtl(ctx) * 1000,
    userDisplayName: [user.first_name, user.last_name].filter(Boolean).join(' ') || String(user.username ?? user.email ?? ''),
    userID: Buffer.from(userHandle, 'base64url'),
    userName: String(user.username || user.email || userHandle),
  })
  const { token } = await startFlow({
    data: { challenge: creationOptions.challenge, passwordless, userHandle } satisfies Challenge,
    kind: REGISTER_FLOW,
    maxAttempts: 1,
    options,
    req,
    ttlSeconds: flowTtl(ctx),
    userId: user.id,
  })
  return { creationOptions, flowToken: token }
}

/** Verifies the authenticator's attestation against the flow's challenge and stores the passkey. */
export const finishRegistration = async (
  ctx: EndpointContext,
  user: RestAuthUser,
  { credential, flowToken, name }: { credential: unknown; flowToken: string; name: string },
): Promise<StoredCredential> => {
  const { options, req } = ctx
  const flow = await takeFlow(ctx, { kind: REGISTER_FLOW, token: flowToken, userId: user.id })
  const rp = relyingParty(ctx)
  let info
  try {
    const result = await verifyRegistrationResponse({
      expectedChallenge: flow.challenge,
      expectedOrigin: rp.origins,
      expectedRPID: rp.rpId,
      requireUserPresence: true,
      requireUserVerification: Boolean(flow.passwordless),
      response: credential as RegistrationResponseJSON,
    })
    if (!result.verified) {
      throw new Error('not verified')
    }
    info = result.registrationInfo
  } catch (err) {
    throw new CeremonyError('verification', err)
  }
  if (await findByCredentialId({ credentialId: info.credential.id, options, req })) {
    throw new CeremonyError('duplicate')
  }
  try {
    return await createCredential({
      data: {
        aaguid: info.aaguid,
        counter: info.credential.counter,
        credentialId: info.credential.id,
        deviceType: info.credentialDeviceType,
        isBackedUp: info.credentialBackedUp,
        isPasswordless: Boolean(flow.passwordless),
        name,
        publicKey: Buffer.from(info.credential.publicKey).toString('base64url'),
        transports: (credential as RegistrationResponseJSON).response?.transports ?? info.credential.transports ?? [],
        user: user.id,
        userHandle: flow.userHandle ?? (await userHandleFor({ options, req, userId: user.id })),
      },
      options,
      req,
    })
  } catch (err) {
    // The unique index settles two registrations of one credential at once.
    if (await findByCredentialId({ credentialId: info.credential.id, options, req })) {
      throw new CeremonyError('duplicate', err)
    }
    throw err
  }
}

/** Options for a passwordless login: no allowCredentials (the authenticator offers its discoverable passkeys). */
export const startLogin = async (ctx: EndpointContext) => {
  const rp = relyingParty(ctx)
  const requestOptions = await generateAuthenticationOptions({
    rpID: rp.rpId,
    timeout: flowTtl(ctx) * 1000,
    userVerification: 'required',
  })
  const { token } = await startFlow({
    data: { challenge: requestOptions.challenge } satisfies Challenge,
    kind: LOGIN_FLOW,
    maxAttempts: 1,
    options: ctx.options,
    req: ctx.req,
    ttlSeconds: flowTtl(ctx),
  })
  return { flowToken: token, requestOptions }
}

/**
 * Options for an assertion by one of a known user's passkeys (their credentials listed), in a flow
 * bound to them: proving again who the signed-in user is (reauthenticate/, user verification
 * required), or the second factor of a pending login (`loginFlow`, the passkey's possession enough).
 */
export const startUserAssertion = async (
  ctx: EndpointContext,
  { kind, loginFlow, userId }: { kind: typeof REAUTHENTICATION_FLOW | typeof SECOND_FACTOR_FLOW; loginFlow?: Id; userId: Id },
) => {
  const rp = relyingParty(ctx)
  const passkeys = await listCredentials({ options: ctx.options, req: ctx.req, userId })
  const requestOptions = await generateAuthenticationOptions({
    allowCredentials: passkeys.map((row) => ({ id: row.credentialId, transports: row.transports ?? undefined })),
    rpID: rp.rpId,
    timeout: flowTtl(ctx) * 1000,
    userVerification: kind === REAUTHENTICATION_FLOW ? 'required' : 'preferred',
  })
  const { token } = await startFlow({
    data: { challenge: requestOptions.challenge, ...(loginFlow === undefined ? {} : { loginFlow }) } satisfies Challenge,
    kind,
    maxAttempts: 1,
    options: ctx.options,
    req: ctx.req,
    ttlSeconds: flowTtl(ctx),
    userId,
  })
  return { flowToken: token, requestOptions }
}

const CREDENTIAL_ID = /^[A-Za-z0-9_-]{1,1366}$/

/**
 * Verifies an assertion against the flow's challenge and the stored passkey it names, and records
 * its use. Returns the passkey's row: its owner is who logs in. `requirePasswordless` refuses
 * passkeys registered as a second factor only.
 */
export const finishAssertion = async (
  ctx: EndpointContext,
  {
    credential,
    flowToken,
    kind,
    loginFlow,
    requirePasswordless,
    requireUserVerification,
    userId,
  }: {
    credential: unknown
    flowToken: string
    kind: string
    /** A second factor's challenge must be the one made for this pending login. */
    loginFlow?: Id
    requirePasswordless: boolean
    requireUserVerification: boolean
    userId?: Id
  },
): Promise<StoredCredential> => {
  const { options, req } = ctx
  const flow = await takeFlow(ctx, { kind, loginFlow, token: flowToken, userId })
  const response = credential as AuthenticationResponseJSON
  const credentialId = response?.id
  if (typeof credentialId !== 'string' || !CREDENTIAL_ID.test(credentialId) || response.rawId !== credentialId) {
    throw new CeremonyError('verification')
  }
  const row = await findByCredentialId({ credentialId, options, req })
  if (!row || (userId !== undefined && String(ownerOf(row)) !== String(userId)) || (requirePasswordless && !row.isPasswordless)) {
    throw new CeremonyError('verification')
  }
  const userHandle = response.response?.userHandle
  if (userHandle !== undefined && userHandle !== null && userHandle !== row.userHandle) {
    throw new CeremonyError('verification')
  }
  const rp = relyingParty(ctx)
  let newCounter: number
  try {
    const result = await verifyAuthenticationResponse({
      credential: {
        counter: row.counter,
        id: row.credentialId,
        publicKey: Buffer.from(row.publicKey, 'base64url'),
        transports: (row.transports ?? undefined) as never,
      },
      expectedChallenge: flow.challenge,
      expectedOrigin: rp.origins,
      expectedRPID: rp.rpId,
      requireUserVerification,
      response,
    })
    if (!result.verified) {
      throw new Error('not verified')
    }
    newCounter = result.authenticationInfo.newCounter
  } catch (err) {
    throw new CeremonyError('verification', err)
  }
  if (!(await recordUse({ credential: row, newCounter, options, req }))) {
    throw new CeremonyError('verification')
  }
  return row
}
