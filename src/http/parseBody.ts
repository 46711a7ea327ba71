import type { PayloadRequest } from 'payload'

import { messages } from '../errors/messages.js'
import { detailError, nonFieldError } from '../errors/RestAuthError.js'

export type RequestData = Record<string, unknown>

/** Larger bodies are refused with 413 before they are read in full. */
export const MAX_BODY_BYTES = 64 * 1024

const readLimited = async (req: PayloadRequest): Promise<Uint8Array> => {
  const declared = Number(req.headers.get('content-length') ?? 0)
  if (declared > MAX_BODY_BYTES) {
    throw detailError(413, messages.request.requestTooLarge)
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
      throw detailError(413, messages.request.requestTooLarge)
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

/** A Content-Type parameter, token or quoted string (RFC 2045), case kept. */
const contentTypeParameter = (contentType: string, name: string): string | undefined => {
  const match = new RegExp(`;\\s*${name}\\s*=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|([^;\\s]*))`, 'i').exec(contentType)
  if (!match) {
    return undefined
  }
  return match[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : match[2]
}

/** The `name` of a part's `Content-Disposition: form-data; name="…"`, and whether it is a file. */
const dispositionOf = (headers: string): { isFile: boolean; name?: string } => {
  const line = headers.split(/\r?\n/).find((header) => /^content-disposition\s*:/i.test(header))
  if (!line) {
    return { isFile: false }
  }
  const value = line.slice(line.indexOf(':') + 1)
  return { isFile: contentTypeParameter(value, 'filename') !== undefined, name: contentTypeParameter(value, 'name') }
}

/**
 * multipart/form-data as Django's MultiPartParser reads it: any boundary Python's
 * `cgi.valid_boundary` accepts (printable ASCII, up to 201 characters), a preamble and an epilogue
 * ignored, CRLF or bare LF line ends. File parts are left out: no field of this API takes a file.
 */
const parseMultipart = (raw: Uint8Array, contentType: string): RequestData => {
  const boundary = contentTypeParameter(contentType, 'boundary')
  if (boundary === undefined || !/^[ -~]{0,200}[!-~]$/.test(boundary)) {
    throw detailError(400, messages.request.multipartBoundary(boundary ?? 'None'))
  }
  const text = Buffer.from(raw).toString('latin1')
  const delimiter = `--${boundary}`
  const data: RequestData = {}
  let start = text.startsWith(delimiter) ? 0 : text.indexOf(`\n${delimiter}`)
  while (start !== -1) {
    const afterDelimiter = text.indexOf(delimiter, start) + delimiter.length
    if (text.startsWith('--', afterDelimiter)) {
      break
    }
    const headersStart = text.indexOf('\n', afterDelimiter) + 1
    const next = text.indexOf(`\n${delimiter}`, headersStart)
    if (headersStart === 0 || next === -1) {
      break
    }
    const part = text.slice(headersStart, next).replace(/\r$/, '')
    const split = /\r?\n\r?\n/.exec(part)
    const headers = split ? part.slice(0, split.index) : part
    const body = split ? part.slice(split.index + split[0].length) : ''
    const { isFile, name } = dispositionOf(headers)
    if (name !== undefined && !isFile) {
      data[Buffer.from(name, 'latin1').toString('utf8')] = Buffer.from(body, 'latin1').toString('utf8')
    }
    start = next
  }
  return data
}

/**
 * Parses JSON, form-urlencoded and multipart bodies as Django REST framework's default parsers do.
 * Payload leaves bodies unparsed for custom endpoints, and its own helper knows no form-urlencoded.
 */
export const parseBody = async (req: PayloadRequest): Promise<RequestData> => {
  const method = req.method?.toUpperCase()
  // DRF parses a DELETE's body too (allauth's `DELETE sessions/` carries its ids there).
  if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') {
    return {}
  }
  const contentType = req.headers.get('content-type') ?? ''
  const mediaType = contentType.split(';')[0]!.trim().toLowerCase()
  const raw = await readLimited(req)
  if (raw.byteLength === 0) {
    // DRF reads no stream without a body, whatever the Content-Type: no data, not a parse error.
    return {}
  }
  const decode = (): string => {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(raw)
    } catch {
      throw detailError(400, messages.request.invalidUtf8)
    }
  }
  if (mediaType === 'application/json' || mediaType.endsWith('+json')) {
    const text = decode()
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch (err) {
      throw detailError(400, messages.request.jsonParseError(jsonErrorText(text, err)))
    }
    if (parsed === null) {
      throw nonFieldError(messages.request.noData)
    }
    if (!isPlainObject(parsed)) {
      throw nonFieldError(messages.request.notADictionary(pythonTypeName(parsed)))
    }
    return parsed
  }
  if (mediaType === 'application/x-www-form-urlencoded') {
    const params = new URLSearchParams(decode())
    return Object.fromEntries(params.entries())
  }
  if (mediaType === 'multipart/form-data') {
    return parseMultipart(raw, contentType)
  }
  throw detailError(415, messages.request.unsupportedMediaType(contentType))
}
