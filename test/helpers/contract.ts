import type { Payload } from 'payload'

import Ajv2020 from 'ajv/dist/2020.js'

import type { OpenApiDocument } from '../../src/openapi/document.js'

import { openApiDocumentFor } from '../../src/openapi/load.js'
import { pluginOptionsOf } from '../../src/utilities/pluginOptions.js'

/**
 * The API's contract as the test client checks it: every answer of a test app's plugin routes must
 * be documented in the OpenAPI document its settings make at that moment (its status, and its body
 * against the status's schema), or the call fails. Routes the document leaves out (disabled,
 * methods the settings refuse) may only answer 404 or 405.
 */

type App = { base: string; payload: Payload }

const apps = new Map<string, App>()

/** Test apps register their plugin's base URL (`http://127.0.0.1:<port>/api/<routePrefix>`). */
export const registerContractApp = (base: string, payload: Payload): (() => void) => {
  apps.set(base, { base, payload })
  return () => apps.delete(base)
}

/** Set CONTRACT_CHECK=0 to switch the check off (e.g. to see a test's own failure first). */
const isOn = () => process.env.CONTRACT_CHECK !== '0'

const validators = new Map<string, { ajv: InstanceType<typeof Ajv2020>; id: string }>()

const ajvFor = (document: OpenApiDocument): { ajv: InstanceType<typeof Ajv2020>; id: string } => {
  const key = JSON.stringify(document)
  let entry = validators.get(key)
  if (!entry) {
    if (validators.size > 20) {
      validators.clear()
    }
    const id = `doc${validators.size}`
    const ajv = new Ajv2020({ allErrors: true, strict: false, validateFormats: false, validateSchema: false })
    ajv.addSchema({ ...document, $id: id })
    entry = { ajv, id }
    validators.set(key, entry)
  }
  return entry
}

const pointer = (...parts: string[]) => parts.map((part) => part.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')

/** The documented path a request path matches (`/socialaccounts/5/disconnect/` → `/socialaccounts/{id}/disconnect/`). */
const matchPath = (document: OpenApiDocument, path: string): string | undefined => {
  const exact = Object.keys(document.paths).find((template) => template === path)
  return (
    exact ??
    Object.keys(document.paths).find((template) => new RegExp(`^${template.replace(/[.]/g, '\\.').replace(/\{\w+\}/g, '[^/]+')}$`).test(path))
  )
}

/** The contract's verdict on one answer: undefined when it holds, else why not. */
export const contractViolation = async ({
  body,
  method,
  status,
  text,
  url,
}: {
  body: unknown
  method: string
  status: number
  text: string
  url: string
}): Promise<string | undefined> => {
  const verb = method.toLowerCase()
  if (!isOn() || verb === 'head' || verb === 'options') {
    return undefined
  }
  const app = [...apps.values()].find((candidate) => url.startsWith(`${candidate.base}/`) || url === candidate.base)
  if (!app) {
    return undefined
  }
  const options = pluginOptionsOf(app.payload)
  if (!options.enabled) {
    // A disabled plugin mounts no route: Payload's own 404 answers.
    return undefined
  }
  const settings = await options.settingsStore.get(app.payload)
  const document = openApiDocumentFor({ options, origin: '', payload: app.payload, settings })
  const rawPath = new URL(url).pathname.slice(new URL(app.base).pathname.length)
  const path = rawPath.endsWith('/') ? rawPath : `${rawPath}/`
  const template = matchPath(document, path)
  const operation = template ? (document.paths[template]![verb] as { responses: Record<string, { content?: Record<string, unknown> }> } | undefined) : undefined
  if (!operation) {
    // A disabled route (404), a method the route has not (405, after DRF's authentication and
    // permission checks: 401, 403), or the server's own failure.
    return [401, 403, 404, 405, 500, 503].includes(status) ? undefined : `${method} ${path} is not in the OpenAPI document, yet answered ${status}: ${text.slice(0, 300)}`
  }
  const response = operation.responses[String(status)]
  if (!response) {
    return `${method} ${path} answered ${status}, which its OpenAPI operation does not document (${Object.keys(operation.responses).join(', ')}): ${text.slice(0, 300)}`
  }
  if (!response.content) {
    return text === '' ? undefined : `${method} ${path} answered ${status} with a body the document says it has not: ${text.slice(0, 300)}`
  }
  if (!response.content['application/json']) {
    return undefined
  }
  const { ajv, id } = ajvFor(document)
  const ref = `${id}#/${pointer('paths', template!, verb, 'responses', String(status), 'content', 'application/json', 'schema')}`
  const validate = ajv.getSchema(ref)
  if (!validate) {
    return `no schema at ${ref}`
  }
  if (!validate(body)) {
    return `${method} ${path} answered ${status} with a body that does not match the document: ${ajv.errorsText(validate.errors)}; body: ${text.slice(0, 300)}`
  }
  return undefined
}
