import type { PayloadRequest } from 'payload'

import type { RestAuthSettings } from '../types.js'

import { messages } from '../errors/messages.js'
import { detailError } from '../errors/RestAuthError.js'
import { logOriginRefused, siteOrigin } from '../http/forwarded.js'

/** Who the passkeys are for: the RP ID they are bound to, its display name, and where ceremonies may run. */
export type RelyingParty = { name: string; origins: string[]; rpId: string }

const WEB_ORIGIN = /^https?:\/\/([a-z0-9.-]+|\[[0-9a-f:.]+\])(?::(\d{1,5}))?$/i
const APK_ORIGIN = /^android:apk-key-hash:[A-Za-z0-9_-]{43}$/
const HOST_NAME = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i

const hostOf = (origin: string): null | string => WEB_ORIGIN.exec(origin)?.[1]?.toLowerCase() ?? null

/** An origin's host is the RP ID or a subdomain of it (WebAuthn's "registrable domain suffix" rule). */
const isUnderRpId = (host: string, rpId: string): boolean => host === rpId || host.endsWith(`.${rpId}`)

export const parseOrigins = (value: string): { invalid: string[]; origins: string[] } => {
  const origins: string[] = []
  const invalid: string[] = []
  for (const entry of value.split(/[\s,]+/).filter(Boolean)) {
    if (APK_ORIGIN.test(entry)) {
      origins.push(entry)
    } else if (WEB_ORIGIN.test(entry)) {
      // Browsers put origins in clientDataJSON in lower case, without a default port.
      const url = new URL(entry)
      origins.push(url.origin)
    } else {
      invalid.push(entry)
    }
  }
  return { invalid, origins }
}

/** What is wrong with the passkey settings, for the settings validation. */
export const relyingPartyProblems = (settings: RestAuthSettings): Partial<Record<'webauthnOrigins' | 'webauthnRpId', string>> => {
  const problems: Partial<Record<'webauthnOrigins' | 'webauthnRpId', string>> = {}
  const rpId = settings.webauthnRpId.trim().toLowerCase()
  if (rpId && !HOST_NAME.test(rpId)) {
    problems.webauthnRpId = 'A host name like example.com (no scheme, port or path).'
  }
  const { invalid, origins } = parseOrigins(settings.webauthnOrigins)
  if (invalid.length > 0) {
    problems.webauthnOrigins = `Not an origin like https://app.example.com or android:apk-key-hash:<43 base64url characters>: ${invalid.join(', ')}.`
  } else if (rpId && !problems.webauthnRpId) {
    const outside = origins.filter((origin) => hostOf(origin) !== null && !isUnderRpId(hostOf(origin)!, rpId))
    if (outside.length > 0) {
      problems.webauthnOrigins = `Browsers refuse passkeys for ${rpId} on ${outside.join(', ')}: the host must be ${rpId} or under it.`
    }
  }
  return problems
}

/**
 * The relying party of this request. The RP ID and the origins are settings; left empty they come
 * from serverURL (or, outside production only, from the request, as links in mails do). A
 * production server without either answers 503 rather than trust the Host header.
 */
export const relyingParty = ({ req, settings }: { req: PayloadRequest; settings: RestAuthSettings }): RelyingParty => {
  let origins = parseOrigins(settings.webauthnOrigins).origins
  let rpId = settings.webauthnRpId.trim().toLowerCase()
  if (!rpId || origins.length === 0) {
    const site = siteOrigin({ headers: req.headers, payload: req.payload, settings, url: req.url })
    if (site === null) {
      logOriginRefused(req.payload, 'passkey relying party')
      throw detailError(503, messages.request.serviceUnavailable)
    }
    const siteUrl = new URL(site)
    rpId ||= siteUrl.hostname.replace(/^\[|\]$/g, '')
    if (origins.length === 0) {
      origins = [siteUrl.origin]
    }
  }
  return { name: settings.webauthnRpName || settings.siteName || rpId, origins, rpId }
}
