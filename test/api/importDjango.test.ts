import { configToSchema } from '@payloadcms/graphql'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { createLocalReq } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { DjangoImportReport } from '../../src/exports/migrate.js'
import type { TestApp } from '../helpers/server.js'

import { importDjangoDump } from '../../src/exports/migrate.js'
import { call } from '../helpers/client.js'
import { testDatabases } from '../helpers/database.js'
import { startTestApp } from '../helpers/server.js'

// The copy of graphql that @payloadcms/graphql built the schema with (CommonJS), not the one Vite would pick.
const { graphql } = createRequire(import.meta.url)('graphql') as typeof import('graphql')
const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/django')
const dumpFile = path.join(fixtures, 'dumpdata.json')
const passwords = Object.fromEntries(
  (JSON.parse(readFileSync(path.join(fixtures, 'hashes.json'), 'utf8')) as { hashes: { password: string; username: string }[] }).hashes.map(
    (fixture) => [fixture.username, fixture.password],
  ),
)
const MOBILE_KEY = '9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b'
const LOGIN_FAILED = { non_field_errors: ['Unable to log in with provided credentials.'] }

type StoredUser = { django_id?: string; django_password?: null | string; email?: null | string; hash?: null | string; id: number | string; salt?: null | string }

describe.each(testDatabases())('moving from Django on %s', (db) => {
  let app: TestApp
  let dryRun: DjangoImportReport
  let report: DjangoImportReport
  let rowsAfterDryRun: number

  const stored = async (username: string): Promise<StoredUser> => {
    const { docs } = await app.payload.find({
      collection: 'users',
      overrideAccess: true,
      showHiddenFields: true,
      where: { username: { equals: username } },
    })
    return docs[0] as unknown as StoredUser
  }
  const login = (username: string, password: string) => call(`${app.url}/login/`, 'POST', { body: { password, username } })
  const setSettings = (data: Record<string, unknown>) => app.payload.updateGlobal({ data: data as never, slug: 'rest-auth-settings' as never })
  const countAll = async () => {
    let total = 0
    for (const collection of ['users', 'email-addresses', 'social-accounts', 'auth-tokens']) {
      total += (await app.payload.count({ collection: collection as never, overrideAccess: true })).totalDocs
    }
    return total
  }

  beforeAll(async () => {
    app = await startTestApp({
      db,
      // The collection's default GraphQL name, EmailAddress, is taken by Payload's own type of that name.
      plugin: { overrides: { emailAddresses: ({ collection }) => ({ ...collection, graphQL: { pluralName: 'AccountEmailAddresses', singularName: 'AccountEmailAddress' } }) } },
    })
    dryRun = await importDjangoDump({ batchSize: 5, dryRun: true, dump: dumpFile, payload: app.payload })
    rowsAfterDryRun = await countAll()
    report = await importDjangoDump({ batchSize: 5, dump: dumpFile, payload: app.payload })
  })
  afterAll(async () => app?.close())

  it('imports users, addresses, social accounts and tokens, and reports what it left out', () => {
    expect(report.failure).toBeUndefined()
    expect(report.batches).toBe(5)
    expect(report.users).toEqual({ created: 23, existing: 0, skipped: 1 })
    expect(report.emailAddresses).toEqual({ created: 19, existing: 0, skipped: 1 })
    expect(report.socialAccounts).toEqual({ created: 3, existing: 0, skipped: 0 })
    expect(report.tokens).toEqual({ created: 2, existing: 0, skipped: 2 })
    expect(report.passwords).toEqual({
      converted: 6,
      kept: {
        argon2: 3,
        bcrypt: 1,
        bcrypt_sha256: 1,
        crypt: 1,
        md5: 1,
        myhasher: 1,
        pbkdf2_sha1: 1,
        pbkdf2_sha256: 2,
        scrypt: 1,
        sha1: 1,
        unsalted_md5: 2,
        unsalted_sha1: 1,
      },
      unusable: 1,
    })
    expect(report.ignoredModels).toEqual({ 'sessions.session': 1 })
    const messages = report.problems.map((problem) => `${problem.kind} ${problem.model} ${String(problem.pk)}: ${problem.message}`)
    expect(messages).toEqual([
      'collision auth.user 21: username "CaseFold" is "casefold" here, as is the username of Django user 20 (usernames are not case-sensitive here); not imported',
      'collision auth.user 23: e-mail "shared@example.com" is also Django user 22\'s; imported without it',
      'skipped account.emailaddress 103: its user 21 is not imported',
      'skipped authtoken.token fedcba98…: its user 21 is not imported',
      'skipped authtoken.token abababab…: its user 999 is not imported',
    ])
    // No token key in the report: only the first eight characters, as the admin shows them.
    expect(JSON.stringify(report)).not.toContain('fedcba9876543210')
    expect(report.notices.some((notice) => notice.includes('allowWeakDjangoHashes'))).toBe(true)
    expect(report.notices.some((notice) => notice.includes('"myhasher"'))).toBe(true)
    expect(report.notices.some((notice) => notice.startsWith('1 imported user(s) are staff'))).toBe(true)
  })

  it('a dry run decides the same and writes nothing', () => {
    expect(rowsAfterDryRun).toBe(0)
    expect({ ...dryRun, dryRun: false }).toEqual(report)
  })

  it('keeps the users as Django had them', async () => {
    const mobile = await stored('mobile.user')
    expect(mobile).toMatchObject({
      createdAt: '2021-06-01T12:00:00.000Z',
      django_id: '17',
      django_password: null,
      email: 'mobile.user@example.com',
      first_name: 'Mo',
      is_active: true,
      is_staff: true,
      last_login: '2025-04-01T07:00:00.500Z',
      last_name: 'Bile',
    })
    expect(mobile.hash).toMatch(/^pbkdf2-sha256-v1:/)
    expect(await stored('inactive')).toMatchObject({ is_active: false })
    expect(await stored('shared_b')).toMatchObject({ email: null })
    expect(await stored('argon2id')).toMatchObject({ django_password: expect.stringMatching(/^argon2\$argon2id\$/), hash: null, salt: null })
    const social = await stored('social_only')
    expect([social.hash, social.salt, social.django_password]).toEqual([null, null, null])
    const { docs: accounts } = (await app.payload.find({ collection: 'social-accounts' as never, overrideAccess: true, sort: 'provider' })) as unknown as {
      docs: { extra_data: unknown; provider: string; uid: string }[]
    }
    expect(accounts.map((a) => [a.provider, a.uid, a.extra_data])).toEqual([
      ['facebook', '10150000000000001', { id: '10150000000000001' }],
      ['github', '583231', { id: 583231, login: 'mobile-user' }],
      ['google', '108204268033311374519', { email: 'mobile.user@example.com', name: 'Mo Bile' }],
    ])
    const { docs: addresses } = (await app.payload.find({
      collection: 'email-addresses' as never,
      overrideAccess: true,
      sort: 'email',
      where: { user: { equals: mobile.id } },
    })) as unknown as { docs: { email: string; primary: boolean; verified: boolean }[] }
    expect(addresses.map((a) => [a.email, a.primary, a.verified])).toEqual([
      ['mobile-alt@example.com', false, false],
      ['mobile.user@example.com', true, true],
    ])
  })

  it('the same dump a second time changes nothing', async () => {
    const snapshot = async () => {
      const all: unknown[] = []
      for (const collection of ['users', 'email-addresses', 'social-accounts', 'auth-tokens']) {
        all.push((await app.payload.find({ collection: collection as never, overrideAccess: true, pagination: false, showHiddenFields: true, sort: 'id' })).docs)
      }
      return all
    }
    const before = await snapshot()
    const again = await importDjangoDump({ dump: dumpFile, payload: app.payload })
    expect(again.users).toEqual({ created: 0, existing: 23, skipped: 1 })
    expect(again.emailAddresses).toEqual({ created: 0, existing: 19, skipped: 1 })
    expect(again.socialAccounts).toEqual({ created: 0, existing: 3, skipped: 0 })
    expect(again.tokens).toEqual({ created: 0, existing: 2, skipped: 2 })
    expect(await snapshot()).toEqual(before)
  })

  it('DRF token keys from the dump authenticate user/; the skipped user\'s does not', async () => {
    const res = await call(`${app.url}/user/`, 'GET', { token: MOBILE_KEY })
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ email: 'mobile.user@example.com', first_name: 'Mo', last_name: 'Bile', pk: expect.anything(), username: 'mobile.user' })
    expect((await call(`${app.url}/user/`, 'GET', { token: '0123456789abcdef0123456789abcdef01234567' })).status).toBe(200)
    const skipped = await call(`${app.url}/user/`, 'GET', { token: 'fedcba9876543210fedcba9876543210fedcba98' })
    expect(skipped.status).toBe(403)
    expect(skipped.body).toEqual({ detail: 'Invalid token.' })
  })

  it('no API answer carries a Django hash, not even to staff', async () => {
    const rest = await call(`${app.apiUrl}/users?limit=100&depth=0`, 'GET', { token: MOBILE_KEY })
    expect(rest.status).toBe(200)
    expect(rest.body.docs.length).toBe(23)
    expect(rest.text).not.toContain('django_password')
    expect(rest.text).not.toContain('argon2$')
    expect(rest.body.docs.find((doc: { username: string }) => doc.username === 'argon2id').django_id).toBe('5')
    // GraphQL (/api/graphql): like Payload's own hash and salt, the field is in the User type, and
    // its value never leaves, nor can a mutation set it.
    const { schema } = configToSchema(app.payload.config)
    const mobile = await stored('mobile.user')
    const req = await createLocalReq({ user: { ...mobile, collection: 'users' } as never }, app.payload)
    const run = (source: string) => graphql({ contextValue: { req }, schema, source }) as Promise<{ data?: any; errors?: unknown[] }>
    const query = await run('{ Users(limit: 100) { docs { username django_id django_password hash salt } } }')
    expect(query.errors).toBeUndefined()
    const argon2id = query.data.Users.docs.find((doc: { username: string }) => doc.username === 'argon2id')
    expect(argon2id).toEqual({ django_id: '5', django_password: null, hash: null, salt: null, username: 'argon2id' })
    expect(JSON.stringify(query.data)).not.toMatch(/argon2\$|pbkdf2_sha\w*\$|pbkdf2-sha256-v1/)
    const target = await stored('argon2id')
    const mutation = await run(`mutation { updateUser(id: ${JSON.stringify(target.id)}, data: { django_password: "md5$$x$$y", first_name: "Changed" }) { first_name } }`)
    expect(mutation.errors).toBeUndefined()
    expect(await stored('argon2id')).toMatchObject({ django_password: target.django_password, first_name: 'Changed' })
  })

  it('wrong passwords are refused and leave the Django hash as it was', async () => {
    for (const username of ['pbkdf2_260k', 'argon2i', 'bcrypt', 'scrypt']) {
      const before = await stored(username)
      const res = await login(username, `X${passwords[username]}`)
      expect(res.status, username).toBe(400)
      expect(res.body).toEqual(LOGIN_FAILED)
      expect(await stored(username)).toEqual(before)
    }
  })

  it.each(['pbkdf2_1m', 'argon2id', 'bcrypt_sha256', 'scrypt'])('%s: login/ accepts the Django hash once and stores Payload\'s', async (username) => {
    const res = await login(username, passwords[username]!)
    expect(res.status).toBe(200)
    expect(res.body.key).toMatch(/^[0-9a-f]{40}$/)
    const after = await stored(username)
    expect(after.django_password).toBeNull()
    expect(after.hash).toMatch(/^pbkdf2-sha256-v1:[0-9a-f]{64}$/)
    expect((await login(username, passwords[username]!)).status).toBe(200)
    expect((await login(username, `X${passwords[username]}`)).status).toBe(400)
  })

  it("Django 4.2's hashes need no conversion: they are Payload's format", async () => {
    const before = await stored('pbkdf2_600k')
    expect((await login('pbkdf2_600k', passwords.pbkdf2_600k!)).status).toBe(200)
    expect((await stored('pbkdf2_600k')).hash).toBe(before.hash)
  })

  it.each(['pbkdf2_260k', 'argon2i', 'bcrypt'])("%s: Payload's own users/login converts the Django hash", async (username) => {
    const wrong = await call(`${app.apiUrl}/users/login`, 'POST', { body: { password: `X${passwords[username]}`, username } })
    expect(wrong.status).toBe(401)
    expect((await stored(username)).django_password).toMatch(/\$/)
    const res = await call(`${app.apiUrl}/users/login`, 'POST', { body: { password: passwords[username], username } })
    expect(res.status).toBe(200)
    expect(res.body.user.username).toBe(username)
    expect(JSON.stringify(res.body)).not.toContain('django_password')
    const after = await stored(username)
    expect(after.django_password).toBeNull()
    expect(after.hash).toMatch(/^pbkdf2-sha256-v1:/)
    expect((await login(username, passwords[username]!)).status).toBe(200)
  })

  it('parallel first logins all succeed and convert the hash once', async () => {
    const results = await Promise.all(Array.from({ length: 4 }, () => login('argon2i_v16', passwords.argon2i_v16!)))
    expect(results.map((res) => res.status)).toEqual([200, 200, 200, 200])
    const after = await stored('argon2i_v16')
    expect(after.django_password).toBeNull()
    expect((await login('argon2i_v16', passwords.argon2i_v16!)).status).toBe(200)
  })

  it('weak hashes log in only while allowWeakDjangoHashes is on', async () => {
    const weak = ['md5', 'sha1', 'unsalted_md5', 'unsalted_md5_prefixed', 'unsalted_sha1', 'crypt']
    for (const username of weak) {
      expect((await login(username, passwords[username]!)).body, username).toEqual(LOGIN_FAILED)
    }
    await setSettings({ allowWeakDjangoHashes: true })
    try {
      for (const username of weak) {
        expect((await login(username, `X${passwords[username]}`)).status, username).toBe(400)
        expect((await login(username, passwords[username]!)).status, username).toBe(200)
        expect(await stored(username)).toMatchObject({ django_password: null, hash: expect.stringMatching(/^pbkdf2-sha256-v1:/) })
      }
    } finally {
      await setSettings({ allowWeakDjangoHashes: false })
    }
  })

  it('after djangoHashesExpireAt an unconverted hash is refused, the right password too', async () => {
    await setSettings({ djangoHashesExpireAt: '2020-01-01' })
    try {
      expect((await login('pbkdf2_sha1', passwords.pbkdf2_sha1!)).body).toEqual(LOGIN_FAILED)
      expect((await call(`${app.apiUrl}/users/login`, 'POST', { body: { password: passwords.pbkdf2_sha1, username: 'pbkdf2_sha1' } })).status).toBe(401)
      expect((await stored('pbkdf2_sha1')).django_password).toMatch(/^pbkdf2_sha1\$/)
    } finally {
      await setSettings({ djangoHashesExpireAt: '' })
    }
    expect((await login('pbkdf2_sha1', passwords.pbkdf2_sha1!)).status).toBe(200)
    const refused = await setSettings({ djangoHashesExpireAt: 'next summer' }).catch((err: Error) => err)
    expect(refused).toBeInstanceOf(Error)
  })

  it('a password set through Payload replaces the Django hash', async () => {
    const user = await stored('unknown_hasher')
    expect(user.django_password).toBe('myhasher$1$salt$c2VjcmV0')
    expect((await login('unknown_hasher', 'c2VjcmV0')).status).toBe(400)
    const res = await call(`${app.apiUrl}/users/${user.id}`, 'PATCH', { body: { password: 'Fresh#Start-2031' }, token: MOBILE_KEY })
    expect(res.status).toBe(200)
    expect(await stored('unknown_hasher')).toMatchObject({ django_password: null, hash: expect.stringMatching(/^pbkdf2-sha256-v1:/) })
    expect((await login('unknown_hasher', 'Fresh#Start-2031')).status).toBe(200)
  })

  it('an imported user without a usable password cannot log in', async () => {
    expect((await login('social_only', '!unusable0123456789012345678901234567890')).body).toEqual(LOGIN_FAILED)
    expect((await call(`${app.apiUrl}/users/login`, 'POST', { body: { password: 'anything', username: 'social_only' } })).status).toBe(401)
  })
})
