import type { Field, SanitizedConfig } from 'payload'

import { sqliteAdapter } from '@payloadcms/db-sqlite'
import { buildConfig, getLocalI18n } from 'payload'
import { beforeAll, describe, expect, it } from 'vitest'

import { restAuthPlugin } from '../../src/index.js'
import { fieldTexts } from '../../src/admin/fieldTranslations.js'
import { userFields } from '../../src/collections/Users/fields.js'
import { sanitizeOptions } from '../../src/defaults.js'

type Texts = { description: string; label: string }
type Resolvable = ((args: { i18n: unknown; t: unknown }) => string) | string | undefined

/** The fields the plugin's own collections and the users collection get from it, by collection key. */
const options = sanitizeOptions({})
const slugOf = {
  authEvents: options.slugs.events,
  authFlows: options.slugs.flows,
  authSessions: options.slugs.sessions,
  emailAddresses: options.slugs.emailAddresses,
  idTokenNonces: options.slugs.idTokenNonces,
  loginFailures: options.slugs.loginFailures,
  mfaAuthenticators: options.slugs.mfaAuthenticators,
  outstandingTokens: options.slugs.outstandingTokens,
  socialAccounts: options.slugs.socialAccounts,
  tokens: options.slugs.tokens,
  users: options.usersCollection,
  webauthnCredentials: options.slugs.webauthnCredentials,
} satisfies Record<keyof typeof fieldTexts, string>

/** What an admin may type into; every other field the plugin adds is read-only or hidden. */
const editable: Record<string, string[]> = {
  emailAddresses: ['user', 'email', 'verified', 'primary'],
  outstandingTokens: ['blacklistedAt', 'blacklistReason'],
  socialAccounts: ['user', 'provider', 'uid'],
  users: ['first_name', 'last_name', 'is_active', 'is_staff'],
}

const PAYLOAD_FIELDS = new Set(['createdAt', 'id', 'updatedAt'])
const pluginUserFieldNames = new Set(userFields(options).map((field) => (field as { name: string }).name))

const dataFields = (config: SanitizedConfig, key: keyof typeof slugOf): Field[] => {
  const collection = config.collections.find((candidate) => candidate.slug === slugOf[key])!
  return collection.fields.filter((field) => {
    if (!('name' in field) || field.type === 'ui' || PAYLOAD_FIELDS.has(field.name)) {
      return false
    }
    return key !== 'users' || pluginUserFieldNames.has(field.name)
  })
}

describe('labels and help texts of the fields the plugin adds, in the built config', () => {
  let config: SanitizedConfig
  let i18n: Awaited<ReturnType<typeof getLocalI18n>>
  const resolve = (text: Resolvable): string | undefined => (typeof text === 'function' ? text({ i18n, t: i18n.t }) : text)

  beforeAll(async () => {
    config = await buildConfig({
      collections: [],
      db: sqliteAdapter({ client: { url: 'file::memory:' } }),
      // A host app's own wording wins over the plugin's, as for every other translation.
      i18n: { translations: { en: { 'plugin-rest-auth': { 'field-users-is_staff-label': 'Administrator' } } } as never },
      plugins: [restAuthPlugin()],
      secret: 'field-labels',
      telemetry: false,
    })
    i18n = await getLocalI18n({ config, language: 'en' })
  })

  it('every field reads as words, with a help text, from the plugin’s translations — never its raw name', () => {
    const raw: string[] = []
    for (const key of Object.keys(slugOf) as (keyof typeof slugOf)[]) {
      const fields = dataFields(config, key)
      expect(fields.length).toBeGreaterThan(0)
      for (const field of fields) {
        const { name } = field as { name: string }
        const expected = (fieldTexts[key] as Record<string, Texts>)[name]
        const label = resolve((field as { label?: Resolvable }).label)
        const description = resolve((field as { admin?: { description?: Resolvable } }).admin?.description)
        const wanted = key === 'users' && name === 'is_staff' ? 'Administrator' : expected?.label
        if (!expected || label !== wanted || description !== expected.description) {
          raw.push(`${key}.${name}: ${JSON.stringify(label)} / ${JSON.stringify(description)}`)
        }
      }
    }
    expect(raw).toEqual([])
  })

  it('the English texts are words: no underscores, no camelCase, no empty help', () => {
    for (const fields of Object.values(fieldTexts)) {
      for (const { description, label } of Object.values(fields as Record<string, Texts>)) {
        expect(label).toMatch(/^[A-Z][^_]*$/)
        expect(label).not.toMatch(/[a-z][A-Z]/)
        expect(description.length).toBeGreaterThan(10)
      }
    }
  })

  it('the users list shows them as column headings, not Is_active / Is_staff / Last_login', () => {
    const users = config.collections.find((collection) => collection.slug === 'users')!
    const labels = users.fields
      .filter((field) => 'name' in field && ['first_name', 'is_active', 'last_login'].includes(field.name))
      .map((field) => resolve((field as { label?: Resolvable }).label))
    expect(labels).toEqual(['First name', 'Active', 'Last login'])
  })

  it('what only the API writes (logins, digests, imports, provider data) is read-only or hidden in the admin', () => {
    const typeable: string[] = []
    for (const key of Object.keys(slugOf) as (keyof typeof slugOf)[]) {
      for (const field of dataFields(config, key)) {
        const { admin, hidden, name } = field as { admin?: { hidden?: boolean; readOnly?: boolean }; hidden?: boolean; name: string }
        const isLocked = admin?.readOnly === true || admin?.hidden === true || hidden === true
        if (!isLocked && !(editable[key] ?? []).includes(name)) {
          typeable.push(`${key}.${name}`)
        }
      }
    }
    expect(typeable).toEqual([])
    const lastLogin = dataFields(config, 'users').find((field) => (field as { name: string }).name === 'last_login')
    expect(lastLogin).toMatchObject({ admin: { readOnly: true } })
  })
})
