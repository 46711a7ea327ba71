import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { TestApp } from '../helpers/server.js'

import { call } from '../helpers/client.js'
import { testDatabases } from '../helpers/database.js'
import { startTestApp } from '../helpers/server.js'
import { createUser, PASSWORD } from '../helpers/users.js'

/** The FAQ's UserProfile case: a nested `profile` stored in its own collection, read and written through user/. */
describe.each(testDatabases())('extra user/ fields on %s', (db) => {
  let app: TestApp
  let key: string

  beforeAll(async () => {
    app = await startTestApp({
      config: {
        collections: [
          { slug: 'users', auth: true, fields: [{ name: 'nickname', type: 'text' }] },
          {
            slug: 'profiles',
            fields: [
              { name: 'user', type: 'relationship', relationTo: 'users', required: true, unique: true },
              { name: 'company_name', type: 'text', maxLength: 100 },
            ],
          },
        ],
      },
      db,
      plugin: {
        userDetailsFields: [
          {
            name: 'profile',
            read: async ({ req, user }) => {
              const { docs } = await req.payload.find({ collection: 'profiles' as never, depth: 0, req, where: { user: { equals: user.id } } })
              return { company_name: (docs[0] as { company_name?: string } | undefined)?.company_name ?? '' }
            },
            validate: ({ value }) => {
              const company = (value as { company_name?: unknown } | null)?.company_name
              if (typeof company !== 'string') return ['Expected {"company_name": "..."}.']
              if (company.length > 100) return ['Ensure this field has no more than 100 characters.']
              return undefined
            },
            write: async ({ req, user, value }) => {
              const company_name = (value as { company_name: string }).company_name
              const { docs } = await req.payload.find({ collection: 'profiles' as never, depth: 0, req, where: { user: { equals: user.id } } })
              if (docs[0]) {
                await req.payload.update({ collection: 'profiles' as never, data: { company_name } as never, id: docs[0].id, req })
              } else {
                await req.payload.create({ collection: 'profiles' as never, data: { company_name, user: user.id } as never, req })
              }
            },
          },
          {
            // A field of the users collection itself: the answer must show what the write stored.
            name: 'nickname',
            read: ({ user }) => (typeof user.nickname === 'string' ? user.nickname : ''),
            write: async ({ req, user, value }) => {
              await req.payload.update({ collection: 'users', data: { nickname: String(value) } as never, id: user.id, req })
            },
          },
        ],
      },
    })
    await createUser(app.payload, { email: 'pat@example.com', username: 'pat' })
    key = (await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: 'pat' } })).body.key
  })
  afterAll(async () => app?.close())

  it('reads, validates and writes the nested profile in one request', async () => {
    const empty = await call(`${app.url}/user/`, 'GET', { token: key })
    expect(empty.body.profile).toEqual({ company_name: '' })
    const bad = await call(`${app.url}/user/`, 'PATCH', { body: { first_name: 'Pat', profile: { company_name: 'x'.repeat(101) } }, token: key })
    expect(bad.status).toBe(400)
    expect(bad.body).toEqual({ profile: ['Ensure this field has no more than 100 characters.'] })
    expect((await call(`${app.url}/user/`, 'GET', { token: key })).body.first_name).toBe('')
    const ok = await call(`${app.url}/user/`, 'PATCH', { body: { first_name: 'Pat', profile: { company_name: 'Acme' } }, token: key })
    expect(ok.status).toBe(200)
    expect(ok.body).toMatchObject({ first_name: 'Pat', profile: { company_name: 'Acme' } })
  })

  it('answers a PATCH with the user as stored after every field’s write', async () => {
    const patched = await call(`${app.url}/user/`, 'PATCH', { body: { last_name: 'Lee', nickname: 'patty' }, token: key })
    expect(patched.status, patched.text).toBe(200)
    expect(patched.body).toMatchObject({ last_name: 'Lee', nickname: 'patty' })
    expect((await call(`${app.url}/user/`, 'GET', { token: key })).body).toMatchObject({ last_name: 'Lee', nickname: 'patty' })
  })
})
