import type { CommonConfig } from './types.js'

import { RestAuthError } from '../errors/RestAuthError.js'
import { messages } from '../errors/messages.js'

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

/** The part of a provider's config a refusal needs: what it must never echo. */
export type Redactable = Pick<CommonConfig, 'secrets'>

/** A 400 with the given messages, never echoing a secret of the provider even if the provider did. */
export const refusal = (config: Redactable, ...texts: string[]): RestAuthError => {
  const clean = (text: string) => {
    const redacted = config.secrets.reduce((result, secret) => result.split(secret).join('***'), text)
    return redacted.length > MAX_MESSAGE_LENGTH ? `${redacted.slice(0, MAX_MESSAGE_LENGTH)}…` : redacted
  }
  return new RestAuthError({ body: { non_field_errors: texts.filter(Boolean).map(clean) }, status: 400 })
}

/** `ECONNREFUSED`, `ENOTFOUND`…: the provider could not be reached at all. */
const networkCode = (err: unknown): string | undefined => {
  for (const candidate of [err, (err as { cause?: unknown } | undefined)?.cause]) {
    const code = (candidate as { code?: unknown } | undefined)?.code
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
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {}
  } catch {
    return {}
  }
}

/** A JSON body or a form-encoded one (OAuth 1.0a, and GitHub's token endpoint), as an object. */
export const jsonOrFormOf = (text: string): Record<string, unknown> => {
  const json = jsonObjectOf(text)
  return Object.keys(json).length > 0 ? json : Object.fromEntries(new URLSearchParams(text))
}

/** A short plain-text body (OAuth 1.0a endpoints answer so), never markup. */
const plainText = (data: string): string => {
  const text = data.trim()
  return text.length <= 200 && !/[<>{}]/.test(text) ? text : ''
}

/** An HTTP answer of a provider: its status and its body as text. */
export type ProviderAnswer = { status: number; text: string }

/**
 * The provider's own words in a failed answer: OAuth's error/error_description, Facebook's
 * `{"error": {"type", "message"}}` and Microsoft Graph's `{"error": {"code", "message"}}`, a
 * message, Twitter's `{"errors": [{"message"}]}`, or a short plain-text body.
 */
export const describeAnswer = ({ status, text }: ProviderAnswer): string => {
  const body = jsonOrFormOf(text)
  const nested = body.error && typeof body.error === 'object' ? (body.error as Record<string, unknown>) : undefined
  const described =
    (nested && join(typeof nested.type === 'string' ? nested.type : nested.code, nested.message)) ||
    join(body.error, body.error_description) ||
    join(undefined, body.message) ||
    (Array.isArray(body.errors) ? join(undefined, (body.errors[0] as Record<string, unknown> | undefined)?.message) : '')
  return described || plainText(text) || `HTTP ${status}`
}

export const isSuccess = (answer: ProviderAnswer): boolean => answer.status >= 200 && answer.status < 300

/**
 * One request to a provider with a deadline; an unreachable or silent provider is a clear 400
 * naming it. Redirects are refused: a provider's API answers where it is asked.
 */
export const fetchFromProvider = async (
  config: Redactable,
  label: string,
  url: string,
  init: RequestInit = {},
): Promise<ProviderAnswer> => {
  try {
    const response = await fetch(url, { ...init, redirect: 'error', signal: AbortSignal.timeout(timeoutMs) })
    return { status: response.status, text: await response.text() }
  } catch (err) {
    if ((err as { name?: unknown }).name === 'TimeoutError') {
      throw refusal(config, messages.social.timeout(label))
    }
    throw refusal(config, messages.social.unreachable(label, networkCode(err) ?? 'network error'))
  }
}

/**
 * A provider API's JSON answer to a request made on the user's behalf; a refusal is dj-rest-auth's
 * `Incorrect value` with the provider's reason.
 */
export const fetchProviderJson = async (
  config: Redactable,
  label: string,
  url: string,
  init: RequestInit = {},
): Promise<unknown> => {
  const answer = await fetchFromProvider(config, label, url, init)
  if (!isSuccess(answer)) {
    throw refusal(config, messages.social.incorrectValue, describeAnswer(answer))
  }
  try {
    return JSON.parse(answer.text) as unknown
  } catch {
    throw refusal(config, messages.social.incorrectValue, messages.social.notJson(label))
  }
}

/** `fetchProviderJson` for an answer that must be an object (a profile). */
export const fetchProviderObject = async (config: Redactable, label: string, url: string, init: RequestInit = {}) => {
  const value = await fetchProviderJson(config, label, url, init)
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw refusal(config, messages.social.incorrectValue, messages.social.notJson(label))
  }
  return value as Record<string, unknown>
}

export const bearer = (accessToken: string): Record<string, string> => ({ authorization: `Bearer ${accessToken}` })
