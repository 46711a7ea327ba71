import type { RestAuthSettings, SanitizedRestAuthOptions } from '../types.js'
import type { Schema } from './fields.js'

/** One serializer field as Django REST framework's SimpleMetadata describes it (`get_field_info`). */
export type FieldInfo = {
  help_text?: string
  label: string
  max_length?: number
  min_length?: number
  read_only: boolean
  required: boolean
  /** DRF's label of the field class: `string` (CharField), `email`, `integer`, `field` (any other). */
  type: 'email' | 'field' | 'integer' | 'string'
}

export type SerializerInfo = Record<string, FieldInfo>

/**
 * What OPTIONS answers about a route (DRF's SimpleMetadata): the view's name (its class name in
 * words, `UserDetailsView` → `User Details`), its docstring, and for views with a serializer the
 * fields POST and PUT accept (`actions`).
 */
export type EndpointMetadata = {
  actions?: (args: { options: SanitizedRestAuthOptions; settings: RestAuthSettings }) => { POST?: SerializerInfo; PUT?: SerializerInfo }
  description: string
  name: string
}

/** DRF's default renderer is JSON (the browsable API's text/html is not served); its three default parsers. */
const RENDERS = ['application/json']
const PARSES = ['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data']

/** A serializer field's default label: `field_name.replace('_', ' ').capitalize()`. */
const defaultLabel = (name: string): string => {
  const words = name.replace(/_/g, ' ')
  return words.charAt(0).toUpperCase() + words.slice(1).toLowerCase()
}

/** The request body schema of a route as the fields of its serializer, in declared order. */
export const describeFields = (schema: Schema): SerializerInfo =>
  Object.fromEntries(
    Object.entries(schema).map(([name, spec]) => {
      const info: FieldInfo = {
        type: spec.kind === 'email' ? 'email' : 'string',
        required: Boolean(spec.required),
        read_only: false,
        label: defaultLabel(name),
      }
      if (spec.helpText) info.help_text = spec.helpText
      if (spec.minLength !== undefined) info.min_length = spec.minLength
      if (spec.maxLength !== undefined) info.max_length = spec.maxLength
      return [name, info]
    }),
  )

/** A field of a plugin option (extra user or registration fields): DRF's plain `Field`. */
export const plainField = (name: string, { isReadOnly = false, isRequired = false } = {}): FieldInfo => ({
  type: 'field',
  required: isRequired,
  read_only: isReadOnly,
  label: defaultLabel(name),
})

/** SimpleMetadata.determine_metadata: `actions` only when there are some. */
export const metadataBody = (
  metadata: EndpointMetadata,
  args: { options: SanitizedRestAuthOptions; settings: RestAuthSettings },
): Record<string, unknown> => {
  const actions = metadata.actions?.(args) ?? {}
  return {
    name: metadata.name,
    description: metadata.description,
    renders: RENDERS,
    parses: PARSES,
    ...(Object.keys(actions).length > 0 ? { actions } : {}),
  }
}
