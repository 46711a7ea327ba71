import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto'

import type { KeyObject } from 'node:crypto'

/*
 * A software authenticator for the tests: a P-256 key per credential, `none` attestation, the
 * authenticator data and signatures a real one makes (WebAuthn Level 2, §6.1 and §6.3), so the
 * server's real verification (@simplewebauthn/server) runs on what it produces. Every part a
 * refusal test needs to get wrong can be overridden per ceremony.
 */

// A minimal CBOR encoder (RFC 8949): unsigned and negative integers, byte and text strings, maps.
type Cbor = Cbor[] | Map<Cbor, Cbor> | number | string | Uint8Array

const head = (major: number, value: number): Buffer => {
  if (value < 24) {
    return Buffer.from([(major << 5) | value])
  }
  if (value < 0x100) {
    return Buffer.from([(major << 5) | 24, value])
  }
  if (value < 0x10000) {
    const out = Buffer.alloc(3)
    out[0] = (major << 5) | 25
    out.writeUInt16BE(value, 1)
    return out
  }
  const out = Buffer.alloc(5)
  out[0] = (major << 5) | 26
  out.writeUInt32BE(value, 1)
  return out
}

export const encodeCbor = (value: Cbor): Buffer => {
  if (typeof value === 'number') {
    return value >= 0 ? head(0, value) : head(1, -1 - value)
  }
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8')
    return Buffer.concat([head(3, bytes.length), bytes])
  }
  if (value instanceof Uint8Array) {
    return Buffer.concat([head(2, value.length), Buffer.from(value)])
  }
  if (Array.isArray(value)) {
    return Buffer.concat([head(4, value.length), ...value.map(encodeCbor)])
  }
  return Buffer.concat([head(5, value.size), ...[...value].flatMap(([k, v]) => [encodeCbor(k), encodeCbor(v)])])
}

const sha256 = (data: Buffer | string): Buffer => createHash('sha256').update(data).digest()
const b64url = (data: Buffer | Uint8Array): string => Buffer.from(data).toString('base64url')

const FLAG_UP = 0x01
const FLAG_UV = 0x04
const FLAG_BE = 0x08
const FLAG_BS = 0x10
const FLAG_AT = 0x40

/** A credential the authenticator holds (its private key never leaves it). */
export type SoftCredential = {
  counter: number
  /** base64url */
  id: string
  privateKey: KeyObject
  publicKey: KeyObject
  rpId: string
  /** base64url, as the server sent it in `user.id` */
  userHandle: string
}

/** What a ceremony may be told to get wrong. */
export type CeremonyOverrides = {
  /** clientDataJSON's challenge (default: the options'). */
  challenge?: string
  /** The counter to sign; default: the credential's next. */
  counter?: number
  /** clientDataJSON's origin. */
  origin?: string
  /** The RP ID whose hash goes into the authenticator data (default: the options' or the credential's). */
  rpId?: string
  /** clientDataJSON's type. */
  type?: string
  userPresent?: boolean
  userVerified?: boolean
  /** Synced passkeys: backup eligible and backed up (and they count nothing: counter 0). */
  isSynced?: boolean
  /** The user handle to return with an assertion (default: the credential's; null: none). */
  userHandle?: null | string
}

const flagsOf = (o: CeremonyOverrides, extra = 0): number =>
  (o.userPresent === false ? 0 : FLAG_UP) | (o.userVerified === false ? 0 : FLAG_UV) | (o.isSynced ? FLAG_BE | FLAG_BS : 0) | extra

const counterBytes = (counter: number): Buffer => {
  const out = Buffer.alloc(4)
  out.writeUInt32BE(counter, 0)
  return out
}

/** The COSE_Key of a P-256 public key (kty EC2, alg ES256, crv P-256, x, y). */
const coseKey = (publicKey: KeyObject): Buffer => {
  const jwk = publicKey.export({ format: 'jwk' })
  return encodeCbor(
    new Map<Cbor, Cbor>([
      [1, 2],
      [3, -7],
      [-1, 1],
      [-2, Buffer.from(jwk.x!, 'base64url')],
      [-3, Buffer.from(jwk.y!, 'base64url')],
    ]),
  )
}

type CreationOptions = { challenge: string; rp: { id?: string }; user: { id: string } }
type RequestOptions = { challenge: string; rpId?: string }

export const createSoftAuthenticator = ({ origin }: { origin: string }) => {
  const credentials: SoftCredential[] = []

  const clientData = (type: string, challenge: string, o: CeremonyOverrides): Buffer =>
    Buffer.from(JSON.stringify({ type: o.type ?? type, challenge: o.challenge ?? challenge, origin: o.origin ?? origin, crossOrigin: false }))

  return {
    credentials,

    /** navigator.credentials.create(): a new credential, answered as @simplewebauthn/browser's RegistrationResponseJSON. */
    create: (options: CreationOptions, o: CeremonyOverrides = {}) => {
      const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      const rpId = options.rp.id!
      const credential: SoftCredential = { counter: o.counter ?? 0, id: b64url(randomBytes(32)), privateKey, publicKey, rpId, userHandle: options.user.id }
      const idBytes = Buffer.from(credential.id, 'base64url')
      const idLength = Buffer.alloc(2)
      idLength.writeUInt16BE(idBytes.length, 0)
      const authData = Buffer.concat([
        sha256(o.rpId ?? rpId),
        Buffer.from([flagsOf(o, FLAG_AT)]),
        counterBytes(credential.counter),
        Buffer.alloc(16), // AAGUID: zeros, as with `none` attestation
        idLength,
        idBytes,
        coseKey(publicKey),
      ])
      const attestationObject = encodeCbor(new Map<Cbor, Cbor>([['fmt', 'none'], ['attStmt', new Map()], ['authData', authData]]))
      credentials.push(credential)
      return {
        credential,
        response: {
          authenticatorAttachment: 'platform',
          clientExtensionResults: {},
          id: credential.id,
          rawId: credential.id,
          response: {
            attestationObject: b64url(attestationObject),
            clientDataJSON: b64url(clientData('webauthn.create', options.challenge, o)),
            transports: ['internal'],
          },
          type: 'public-key',
        },
      }
    },

    /** navigator.credentials.get() with `credential`: an AuthenticationResponseJSON signed by its key. */
    get: (options: RequestOptions, credential: SoftCredential, o: CeremonyOverrides = {}) => {
      const counter = o.counter ?? (o.isSynced ? 0 : credential.counter + 1)
      credential.counter = counter
      const authData = Buffer.concat([sha256(o.rpId ?? options.rpId ?? credential.rpId), Buffer.from([flagsOf(o)]), counterBytes(counter)])
      const clientDataJSON = clientData('webauthn.get', options.challenge, o)
      // ECDSA with SHA-256 over authenticatorData || SHA-256(clientDataJSON), DER-encoded as WebAuthn wants it.
      const signature = sign('sha256', Buffer.concat([authData, sha256(clientDataJSON)]), credential.privateKey)
      const userHandle = o.userHandle === undefined ? credential.userHandle : o.userHandle
      return {
        authenticatorAttachment: 'platform',
        clientExtensionResults: {},
        id: credential.id,
        rawId: credential.id,
        response: {
          authenticatorData: b64url(authData),
          clientDataJSON: b64url(clientDataJSON),
          signature: b64url(signature),
          ...(userHandle === null ? {} : { userHandle }),
        },
        type: 'public-key',
      }
    },
  }
}

export type SoftAuthenticator = ReturnType<typeof createSoftAuthenticator>
