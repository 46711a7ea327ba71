import type { PayloadRequest } from 'payload'

import { messages } from '../errors/messages.js'
import { detailError, nonFieldError } from '../errors/RestAuthError.js'

export type RequestData = Record<string, unknown>

/** Larger bodies are refused with 413 before they are read in full. */
export const MAX_BODY_BYTES = 64 * 1024

const readLimited = async (req: PayloadRequest): Promise<Uint8Array> => {
  const declared = Number(req.headers.get('content-length') ?? 0)
  if (declared > MAX_BODY_BYTES) {
    throw detailError(413, messages.requestTooLarge)
  }
  const body = (req as unknown as Request).body
  if (!body) {
    return new Uint8Array()
  }
  const reader = body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) {
      break
    }
    size += value.byteLength
    if (size > MAX_BODY_BYTES) {
      await reader.cancel().catch(() => undefined)
      throw detailError(413, messages.requestTooLarge)
    }
    chunks.push(value)
  }
  return Buffer.concat(chunks)
}

const position = (text: string, index: number): string => {
  const before = text.slice(0, index)
  const line = before.split('\n').length
  const column = index - before.lastIndexOf('\n')
  return `line ${line} column ${column} (char ${index})`
}

/** Python's json error texts, which Django REST framework puts in its parse error. */
const jsonErrorText = (text: string, err: unknown): string => {
  if (text.trim() === '') {
    return `Expecting value: ${position(text, text.length - text.trimStart().length)}`
  }
  const match = /position (\d+)/.exec(String((err as Error)?.message))
  const index = match ? Number(match[1]) : 0
  return `Expecting value: ${position(text, index)}`
}

const pythonTypeName = (value: unknown): string => {
  if (Array.isArray(value)) return 'list'
  if (value === null) return 'NoneType'
  if (typeof value === 'string') return 'str'
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float'
  return 'bool'
}

const isPlainObject = (value: unknown): value is RequestData =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * Parses JSON, form-urlencoded and multipart bodies as Django REST framework's default parsers do.
 * Payload leaves bodies unparsed for custom endpoints, and its own helper knows no form-urlencoded.
 */
export const parseBody = async (req: PayloadRequest): Promise<RequestData> => {
  const method = req.method?.toUpperCase()
  if (method === 'GET' || method === 'HEAD' || method === 'DELETE' || method === 'OPTIONS') {
    return {}
  }
  const contentType = (req.headers.get('content-type') ?? '').toLowerCase()
  const mediaType = contentType.split(';')[0]!.trim()
  const raw = await readLimited(req)
  if (mediaType === '' && raw.byteLength === 0) {
    return {}
  }
  const decode = (): string => {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(raw)
    } catch {
      throw detailError(400, 'JSON parse error - invalid UTF-8 in request body.')
    }
  }
  if (mediaType === 'application/json' || mediaType.endsWith('+json')) {
    const text = decode()
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch (err) {
      throw detailError(400, `JSON parse error - ${jsonErrorText(text, err)}`)
    }
    if (!isPlainObject(parsed)) {
      throw nonFieldError(`Invalid data. Expected a dictionary, but got ${pythonTypeName(parsed)}.`)
    }
    return parsed
  }
  if (mediaType === 'application/x-www-form-urlencoded') {
    const params = new URLSearchParams(decode())
    return Object.fromEntries(params.entries())
  }
  if (mediaType === 'multipart/form-data') {
    try {
      const form = await new Response(Buffer.from(raw), { headers: { 'content-type': contentType } }).formData()
      const data: RequestData = {}
      form.forEach((value, key) => {
        if (typeof value === 'string') {
          data[key] = value
        }
      })
      return data
    } catch {
      throw detailError(400, 'Multipart form parse error - Invalid boundary in multipart.')
    }
  }
  throw detailError(415, messages.unsupportedMediaType(contentType))
}
