/*
 * What a setting is: its type, default and documentation. The settings table
 * (src/settings/definitions.ts) and each social provider's own settings (src/providers/*) are built
 * from these, so a provider module can declare its settings without importing the table.
 */

export type SettingsGroup = 'jwt' | 'mfa' | 'passwords' | 'registration' | 'security' | 'social' | 'throttling' | 'tokens'

type Base<T> = {
  default: T
  description: string
  django?: string
  group: SettingsGroup
  /** Never returned by the REST API and never logged. */
  isSecret?: boolean
}

export type BooleanSetting = { type: 'checkbox' } & Base<boolean>
export type NumberSetting = { min?: number; type: 'number' } & Base<number>
export type TextSetting = {
  /** `url`: an absolute http(s) URL when set (it may start with `{origin}`); `pem`: a PEM-encoded key. */
  format?: 'pem' | 'url'
  type: 'text'
} & Base<string>
export type SelectSetting<T extends string = string> = {
  options: readonly T[]
  type: 'select'
} & Base<T>
/**
 * A list of rows, each with the same settings (the generic OpenID Connect providers); stored as an
 * array field of the settings global.
 */
export type RowsSetting<Row = Record<string, unknown>> = {
  /** The settings of one row, by name. */
  fields: Record<string, ProviderSettingDefinition>
  /** What one row is, for the admin's row headings ("OpenID Connect provider 01"). */
  rowLabel: string
  type: 'rows'
} & Base<Row[]>

export type SettingDefinition = BooleanSetting | NumberSetting | RowsSetting | SelectSetting | TextSetting

/** A setting a provider declares: the table puts it in the `social` group. */
export type ProviderSettingDefinition = Omit<BooleanSetting, 'group'> | Omit<TextSetting, 'group'>

type Draft<D> = Omit<D, 'group' | 'type'> & { group?: SettingsGroup }

/*
 * Builders keep what they are given, literal types included (a select's options, a setting's
 * group), and add the type tag; the group is optional because a provider's settings get theirs
 * from the table.
 */
export const checkbox = <const D extends Draft<BooleanSetting>>(def: D): { type: 'checkbox' } & D => ({ ...def, type: 'checkbox' })
export const number = <const D extends Draft<NumberSetting>>(def: D): { min: number; type: 'number' } & D => ({ min: 0, ...def, type: 'number' })
export const text = <const D extends Draft<TextSetting>>(def: D): { type: 'text' } & D => ({ ...def, type: 'text' })
export const select = <const D extends Draft<SelectSetting>>(def: D): { type: 'select' } & D => ({ ...def, type: 'select' })

/** The value type of a setting. */
export type ValueOf<D> = D extends { type: 'checkbox' }
  ? boolean
  : D extends { type: 'number' }
    ? number
    : D extends { options: readonly (infer T)[] }
      ? T
      : D extends { default: infer Rows; type: 'rows' }
        ? Rows
        : string
