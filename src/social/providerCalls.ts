import type { ProviderConfig } from './types.js'

import { RestAuthError } from '../errors/RestAuthError.js'
import { socialMessages } from './messages.js'

/*
 * What every request to a provider shares: a deadline, network failures and refusals turned into a
 * 400 in the provider's own words, and the client secret never echoed.
 */

const DEFAULT_TIMEOUT_MS = 10_000
let timeoutMs = DEFAULT_TIMEOUT_MS

/** How long one provider request may take (tests shorten it); null restores the default. */
export const setProviderTimeout = (ms: null | number): void => {
  timeoutMs = ms ?? DEFAULT_TIMEOUT_MS
}

const MAX_MESSAGE_LENGTH = 300

/** A 400 with the given messages, never echoing the client secret even if a provider did. */
export const refusal = (config: ProviderConfig, ...texts: string[]): RestAuthError => {
  const clean = (text: string) => {
    const redacted = config.secret ? text.split(config.secret).join('***') : text
    return redacted.length > MAX_MESSAGE_LENGTH ? `${redacted.slice(0, MAX_MESSAGE_LENGTH)}…` : redacted
  }
  return new RestAuthError({ body: { non_field_errors: texts.filter(Boolean).map(clean) }, status: 400 })
}

type ErrorShape = { code?: unknown; data?: unknown; message?: unknown; name?: unknown; oauthError?: unknown; statusCode?: unknown; type?: unknown }

/** `ECONNREFUSED`, `ENOTFOUND`…: the provider could not be reached at all. */
const networkCode = (err: unknown): string | undefined => {
  const candidates = [err, (err as ErrorShape | undefined)?.oauthError, (err as { cause?: unknown } | undefined)?.cause]
  for (const candidate of candidates) {
    const code = (candidate as ErrorShape | undefined)?.code
    if (candidate instanceof Error && typeof code === 'string' && /^E[A-Z_]+$/.test(code)) {
      return code
    }
  }
  return undefined
}

export const join = (prefix: unknown, text: unknown): string => {
  const parts = [prefix, text].filter((part) => typeof part === 'string' && part !== '') as string[]
  return parts.join(': ')
}

/** A provider's body as a JSON object; `{}` for anything else. */
export const jsonObjectOf = (text: string): Record<string, unknown> => {
  try {
    const value: unknown = JSON.parse(text)
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : {}
  } catch {
    return {}
  }
}

/** A short plain-text body (OAuth 1.0a endpoints answer so), never markup. */
const plainText = (data: unknown): string => {
  const text = typeof data === 'string' ? data.trim() : ''
  return text.length <= 200 && !/[<>{}]/.test(text) ? text : ''
}

/** The provider's own words in an HTTP error body: OAuth's error/error_description, or a message. */
const describeHttpFailure = (failure: ErrorShape): string => {
  const body = jsonObjectOf(String(failure.data ?? ''))
  const nested = body.error && typeof body.error === 'object' ? (body.error as Record<string, unknown>) : undefined
  const described =
    (nested && join(nested.type, nested.message)) ||
    join(body.error, body.error_description) ||
    join(undefined, body.message) ||
    (Array.isArray(body.errors) ? join(undefined, (body.errors[0] as Record<string, unknown> | undefined)?.message) : '')
  return described || plainText(failure.data) || `HTTP ${String(failure.statusCode)}`
}

/**
 * The provider's words in a strategy's error: TokenError (`invalid_grant: Bad Request`),
 * FacebookTokenError / FacebookGraphAPIError (`OAuthException: …`), Google's UserInfoError, Twitter's
 * APIError, or the HTTP answer inside an InternalOAuthError.
 */
export const describe = (err: unknown): string => {
  const e = (err ?? {}) as ErrorShape
  if (e.oauthError && typeof e.oauthError === 'object' && 'statusCode' in e.oauthError) {
    return describeHttpFailure(e.oauthError as ErrorShape)
  }
  if (typeof e.statusCode === 'number') {
    return describeHttpFailure(e)
  }
  const prefix = typeof e.type === 'string' ? e.type : typeof e.code === 'string' ? e.code : undefined
  return join(prefix, e.message) || 'Unknown error'
}

/** Runs one callback-style provider call with a deadline; network failures become a clear 400. */
export const call = <T>(config: ProviderConfig, label: string, run: (settle: (err: unknown, value?: T) => void) => void): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    let isSettled = false
    const timer = setTimeout(() => settle(refusal(config, socialMessages.timeout(label))), timeoutMs)
    function settle(err: unknown, value?: T) {
      if (isSettled) {
        return
      }
      isSettled = true
      clearTimeout(timer)
      if (err) {
        reject(err)
      } else {
        resolve(value as T)
      }
    }
    try {
      run(settle)
    } catch (err) {
      settle(err)
    }
  })

export const unreachable = (config: ProviderConfig, label: string, err: unknown): RestAuthError | undefined => {
  const code = networkCode(err)
  return code ? refusal(config, socialMessages.unreachable(label, code)) : undefined
}


/** An HTTP answer of a provider: its status and its body as text. */
export type ProviderAnswer = { status: number; text: string }

/**
 * One request with fetch, for the calls passport's strategies do not make; the same deadline and
 * the same 400s for an unreachable or silent provider as `call`.
 */
export const fetchFromProvider = async (
  config: ProviderConfig,
  label: string,
  url: string,
  init: RequestInit = {},
): Promise<ProviderAnswer> => {
  try {
    const response = await fetch(url, { ...init, redirect: 'error', signal: AbortSignal.timeout(timeoutMs) })
    return { status: response.status, text: await response.text() }
  } catch (err) {
    if ((err as { name?: unknown }).name === 'TimeoutError') {
      throw refusal(config, socialMessages.timeout(label))
    }
    throw unreachable(config, label, err) ?? refusal(config, socialMessages.unreachable(label, 'network error'))
  }
}

/** The provider's words for a failed answer, as `describe` reads a strategy's. */
export const describeAnswer = (answer: ProviderAnswer): string => describeHttpFailure({ data: answer.text, statusCode: answer.status })
