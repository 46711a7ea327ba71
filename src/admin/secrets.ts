import type { Payload, PayloadRequest } from 'payload'

import type { RequestData } from '../http/parseBody.js'
import type { SettingDefinition } from '../settings/settingTypes.js'
import type { SanitizedRestAuthOptions } from '../types.js'

import { messages } from '../errors/messages.js'
import { fieldErrors } from '../errors/RestAuthError.js'
import { settingDefinitions, settingKeys } from '../settings/definitions.js'
import { rethrowPayloadValidation } from '../users/payloadErrors.js'
import { localApi } from '../utilities/localApi.js'

const MAX_SECRET_LENGTH = 4096

const definitionOf = (key: string): SettingDefinition | undefined => (settingDefinitions as Record<string, SettingDefinition>)[key]

export const secretSettingKeys: string[] = settingKeys.filter((key) => definitionOf(key)?.isSecret)

type Row = Record<string, unknown> & { id?: unknown }

/** The write-only fields of a list setting's rows: `oidcProviders` → `['secret']`. */
const secretRowFields = settingKeys.flatMap((key) => {
  const definition = definitionOf(key)
  return definition?.type === 'rows'
    ? Object.entries(definition.fields)
        .filter(([, field]) => field.isSecret)
        .map(([field]) => ({ field, key }))
    : []
})

const loadSaved = async (payload: Payload, options: SanitizedRestAuthOptions): Promise<Record<string, unknown>> =>
  (await localApi(payload).findGlobal({ slug: options.slugs.settings, depth: 0, overrideAccess: true })) ?? {}

/**
 * Whether each secret has a value, saved or from the plugin options, never the values: by setting
 * key, and by `<setting>.<row id>.<field>` for each saved row of a list setting (a row not saved
 * yet has no entry).
 */
export const secretStatus = async ({
  options,
  payload,
}: {
  options: SanitizedRestAuthOptions
  payload: Payload
}): Promise<Record<string, boolean>> => {
  const saved = await loadSaved(payload, options)
  const base = options.baseSettings as unknown as Record<string, unknown>
  const isText = (value: unknown) => typeof value === 'string' && value !== ''
  return Object.fromEntries([
    ...secretSettingKeys.map((key) => [key, isText(saved[key] ?? base[key])]),
    ...secretRowFields.flatMap(({ field, key }) =>
      (Array.isArray(saved[key]) ? (saved[key] as Row[]) : []).map((row) => [`${key}.${String(row.id)}.${field}`, isText(row[field])]),
    ),
  ])
}

/**
 * Sets (or, with "", clears) one write-only setting through the settings global, so its validation
 * and cache invalidation run as for any other save. `key` is a secret setting, or
 * `<setting>.<row id>.<field>` for a secret of a saved row.
 */
export const saveSecretSetting = async ({
  data,
  options,
  req,
}: {
  data: RequestData
  options: SanitizedRestAuthOptions
  req: PayloadRequest
}): Promise<{ isSet: boolean }> => {
  const { key, value } = data
  if (typeof key !== 'string') {
    throw fieldErrors({ key: [messages.field.invalidValue] })
  }
  const [rowsKey, rowId, field] = key.split('.')
  const rowSecret = secretRowFields.find((candidate) => candidate.key === rowsKey && candidate.field === field)
  if (!secretSettingKeys.includes(key) && !(rowSecret && rowId)) {
    throw fieldErrors({ key: [messages.field.invalidValue] })
  }
  if (typeof value !== 'string') {
    throw fieldErrors({ value: [messages.field.notAString] })
  }
  if (value.length > MAX_SECRET_LENGTH) {
    throw fieldErrors({ value: [messages.field.tooLong(MAX_SECRET_LENGTH)] })
  }
  let update: Record<string, unknown> = { [key]: value }
  if (rowSecret) {
    const rows = (await loadSaved(req.payload, options))[rowSecret.key]
    const saved = Array.isArray(rows) ? (rows as Row[]) : []
    if (!saved.some((row) => String(row.id) === rowId)) {
      throw fieldErrors({ key: ['Save the provider first, then set its secret.'] })
    }
    update = { [rowSecret.key]: saved.map((row) => (String(row.id) === rowId ? { ...row, [rowSecret.field]: value } : row)) }
  }
  try {
    await localApi(req.payload).updateGlobal({ slug: options.slugs.settings, data: update, depth: 0, overrideAccess: true, req })
  } catch (err) {
    rethrowPayloadValidation(err)
  }
  return { isSet: value !== '' }
}
