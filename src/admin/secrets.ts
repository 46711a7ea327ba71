import type { Payload, PayloadRequest } from 'payload'

import type { RequestData } from '../http/parseBody.js'
import type { SettingKey } from '../settings/definitions.js'
import type { SanitizedRestAuthOptions } from '../types.js'

import { messages } from '../errors/messages.js'
import { fieldErrors } from '../errors/RestAuthError.js'
import { settingDefinitions, settingKeys } from '../settings/definitions.js'
import { rethrowPayloadValidation } from '../users/payloadErrors.js'
import { localApi } from '../utilities/localApi.js'

const MAX_SECRET_LENGTH = 4096

export const secretSettingKeys = settingKeys.filter((key) => (settingDefinitions[key] as { isSecret?: boolean }).isSecret)

/** Whether each secret has a value, saved or from the plugin options; never the values. */
export const secretStatus = async ({
  options,
  payload,
}: {
  options: SanitizedRestAuthOptions
  payload: Payload
}): Promise<Partial<Record<SettingKey, boolean>>> => {
  const saved = (await localApi(payload).findGlobal({ slug: options.slugs.settings, depth: 0, overrideAccess: true })) as Record<string, unknown>
  const base = options.baseSettings as unknown as Record<string, unknown>
  return Object.fromEntries(
    secretSettingKeys.map((key) => {
      const value = saved?.[key] ?? base[key]
      return [key, typeof value === 'string' && value !== '']
    }),
  )
}

/**
 * Sets (or, with "", clears) one write-only setting through the settings global, so its validation
 * and cache invalidation run as for any other save.
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
  if (typeof key !== 'string' || !secretSettingKeys.includes(key as SettingKey)) {
    throw fieldErrors({ key: [messages.invalidValue] })
  }
  if (typeof value !== 'string') {
    throw fieldErrors({ value: [messages.notAString] })
  }
  if (value.length > MAX_SECRET_LENGTH) {
    throw fieldErrors({ value: [messages.tooLong(MAX_SECRET_LENGTH)] })
  }
  try {
    await localApi(req.payload).updateGlobal({
      slug: options.slugs.settings,
      data: { [key]: value },
      depth: 0,
      overrideAccess: true,
      req,
    })
  } catch (err) {
    rethrowPayloadValidation(err)
  }
  return { isSet: value !== '' }
}
