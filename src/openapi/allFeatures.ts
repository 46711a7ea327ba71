import type { RestAuthSettings } from '../types.js'
import type { OpenApiDocument } from './document.js'

import { sanitizeOptions } from '../defaults.js'
import { builtinProviderList } from '../providers/index.js'
import { defaultSettings } from '../settings/definitions.js'
import { openApiDocumentFor } from './load.js'

/**
 * The settings with every feature that adds a route or an answer on: every built-in provider,
 * logout on GET, the document public, and each login mode in turn (token, JWT with and without
 * the expirations, the session alone).
 */
const featureSettings = (): RestAuthSettings[] => {
  const providers = Object.fromEntries(builtinProviderList.flatMap((provider) => [[`${provider.id}Enabled`, true], [`${provider.id}ClientId`, 'client-id']]))
  const base = { ...defaultSettings, ...providers, logoutOnGet: true, openApiAccess: 'public' } as RestAuthSettings
  return [
    { ...base, tokenAuthEnabled: true, useJwt: false },
    { ...base, tokenAuthEnabled: false, useJwt: true, jwtAuthCookie: 'jwt-auth', jwtAuthRefreshCookie: 'jwt-refresh' },
    { ...base, tokenAuthEnabled: false, useJwt: true, jwtAuthReturnExpiration: true },
    { ...base, sessionLogin: true, tokenAuthEnabled: false, useJwt: false },
  ]
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * Two documents as one: the union of their paths, operations and answers; where an answer's schema
 * differs between them (login/ in token and JWT mode), either one (`anyOf`).
 */
const merge = (a: unknown, b: unknown, key = ''): unknown => {
  if (JSON.stringify(a) === JSON.stringify(b) || b === undefined) {
    return a
  }
  if (a === undefined) {
    return b
  }
  if (key === 'schema') {
    const options = [...(isObject(a) && Array.isArray(a.anyOf) ? a.anyOf : [a]), b].filter(
      (option, index, all) => all.findIndex((other) => JSON.stringify(other) === JSON.stringify(option)) === index,
    )
    return { anyOf: options }
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    return [...a, ...b.filter((item) => !a.some((other) => JSON.stringify(other) === JSON.stringify(item)))]
  }
  if (isObject(a) && isObject(b)) {
    return Object.fromEntries([...new Set([...Object.keys(a), ...Object.keys(b)])].map((name) => [name, merge(a[name], b[name], name)]))
  }
  return a
}

/**
 * The document of every feature at once, for the typed client (src/client-sdk/): what any
 * deployment may answer. Built without a running Payload: the default options, the API at `/api`.
 */
export const allFeaturesDocument = (): OpenApiDocument => {
  const options = sanitizeOptions({})
  const payload = { config: { routes: { api: '/api' } } } as Parameters<typeof openApiDocumentFor>[0]['payload']
  const documents = featureSettings().map((settings) => openApiDocumentFor({ options, origin: '', payload, settings }))
  const merged = documents.reduce((all, document) => merge(all, document) as OpenApiDocument)
  return { ...merged, info: { ...(merged.info as object), description: "dj-rest-auth's REST API on Payload CMS, every feature on (the typed client's document)." } }
}
