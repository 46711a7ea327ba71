import type { RestAuthTranslationKey } from './en.js'

import { en } from './en.js'

export type { RestAuthTranslationKey } from './en.js'

/** Payload's i18n namespace of the plugin: `t('plugin-rest-auth:<key>')`. */
export const TRANSLATION_NAMESPACE = 'plugin-rest-auth'

/** One table per language; a missing key falls back to English. Add a language as `de: { ... }`. */
export const restAuthTranslations: Record<string, Partial<Record<RestAuthTranslationKey, string>>> = { en }

/** The shape `config.i18n.translations` expects. */
export const payloadTranslations = Object.fromEntries(
  Object.entries(restAuthTranslations).map(([language, strings]) => [language, { [TRANSLATION_NAMESPACE]: strings }]),
)

export type TranslationVars = Record<string, number | string>

/** The slice of Payload's i18n object (server `I18nClient` or client `useTranslation()`) we use. */
export type I18nLike = {
  t: (key: never, vars?: Record<string, unknown>) => string
  translations?: unknown
}

const fill = (template: string, vars?: TranslationVars): string =>
  vars ? template.replace(/\{\{(\w+)\}\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole)) : template

/** Payload's own lookup of a key of the plugin's namespace when the current language has it, else `fallback`. */
export const translateOr = (i18n: I18nLike | undefined, key: string, fallback: string, vars?: TranslationVars): string => {
  const table = (i18n?.translations as Record<string, Record<string, string> | undefined> | undefined)?.[TRANSLATION_NAMESPACE]
  if (i18n && table && typeof table[key] === 'string') {
    return (i18n.t as (key: string, vars?: TranslationVars) => string)(`${TRANSLATION_NAMESPACE}:${key}`, vars)
  }
  return fill(fallback, vars)
}

/** `t` for the plugin's keys, English where the current language lacks one (Payload would print the key itself). */
export const translate = (i18n: I18nLike | undefined, key: RestAuthTranslationKey, vars?: TranslationVars): string =>
  translateOr(i18n, key, en[key], vars)

/** A translate function bound to one i18n object. */
export const translator =
  (i18n: I18nLike | undefined) =>
  (key: RestAuthTranslationKey, vars?: TranslationVars): string =>
    translate(i18n, key, vars)

export type Translate = ReturnType<typeof translator>
