import type { Payload } from 'payload'

import { describe, expect, it } from 'vitest'

import { toDatabaseId } from '../../src/utilities/databaseId.js'
import { decodeUid, encodeUid } from '../../src/utilities/uid.js'

/** The parts of a Payload instance the id check reads: its adapter and the collection's custom id type. */
const payloadWith = (db: Record<string, unknown>, customIDType?: 'number' | 'text') =>
  ({ collections: { users: { customIDType } }, db }) as unknown as Payload

const postgres = payloadWith({ defaultIDType: 'number', idType: 'serial', name: 'postgres' })
const postgresUuid = payloadWith({ defaultIDType: 'text', idType: 'uuid', name: 'postgres' })
const sqlite = payloadWith({ defaultIDType: 'number', idType: 'number', name: 'sqlite' })
const mongo = payloadWith({ defaultIDType: 'text', name: 'mongoose' })

describe('client values as database ids, per adapter', () => {
  it('PostgreSQL serial: 1 to 2147483647, from numbers or digit strings', () => {
    expect(toDatabaseId(postgres, 'users', '2147483647')).toBe(2147483647)
    expect(toDatabaseId(postgres, 'users', 7)).toBe(7)
    for (const value of ['2147483648', 2147483648, '0', -1, 1.5, '1e3', ' 1', 'abc', '', null, undefined, {}]) {
      expect(toDatabaseId(postgres, 'users', value), String(value)).toBeNull()
    }
  })

  it('SQLite: any safe positive integer', () => {
    expect(toDatabaseId(sqlite, 'users', '99999999999')).toBe(99999999999)
    expect(toDatabaseId(sqlite, 'users', Number.MAX_SAFE_INTEGER)).toBe(Number.MAX_SAFE_INTEGER)
    expect(toDatabaseId(sqlite, 'users', '99999999999999999')).toBeNull()
  })

  it('MongoDB: ObjectId strings only', () => {
    expect(toDatabaseId(mongo, 'users', '65a1f0c2e4b0a1b2c3d4e5f6')).toBe('65a1f0c2e4b0a1b2c3d4e5f6')
    for (const value of ['65a1f0c2e4b0a1b2c3d4e5f', '65a1f0c2e4b0a1b2c3d4e5fg', '1', 12345, '{"$gt":""}']) {
      expect(toDatabaseId(mongo, 'users', value), String(value)).toBeNull()
    }
  })

  it('uuid ids (PostgreSQL or SQLite idType uuid)', () => {
    expect(toDatabaseId(postgresUuid, 'users', '0b6f1e8c-5d0a-4c1e-9f3a-2b7c8d9e0f1a')).toBe('0b6f1e8c-5d0a-4c1e-9f3a-2b7c8d9e0f1a')
    expect(toDatabaseId(postgresUuid, 'users', '0b6f1e8c5d0a4c1e9f3a2b7c8d9e0f1a')).toBeNull()
    expect(toDatabaseId(postgresUuid, 'users', '1')).toBeNull()
  })

  it('a collection with its own id field decides over the adapter', () => {
    const customText = payloadWith({ defaultIDType: 'number', idType: 'serial', name: 'postgres' }, 'text')
    expect(toDatabaseId(customText, 'users', 'alice')).toBe('alice')
    const customNumber = payloadWith({ defaultIDType: 'text', name: 'mongoose' }, 'number')
    expect(toDatabaseId(customNumber, 'users', '0')).toBe(0)
    expect(toDatabaseId(customNumber, 'users', '65a1f0c2e4b0a1b2c3d4e5f6')).toBeNull()
  })

  it('uids: base 36 for numeric ids, base 64 of the id otherwise, each only where it can name a user', () => {
    expect(decodeUid(postgres, 'users', encodeUid(35))).toBe(35)
    expect(decodeUid(postgres, 'users', 'Z')).toBe(35)
    expect(decodeUid(postgres, 'users', 'zzzzzz')).toBeNull()
    expect(decodeUid(sqlite, 'users', 'zzzzzz')).toBe(2176782335)
    expect(decodeUid(postgres, 'users', encodeUid('65a1f0c2e4b0a1b2c3d4e5f6'))).toBeNull()
    const objectId = '65a1f0c2e4b0a1b2c3d4e5f6'
    expect(decodeUid(mongo, 'users', encodeUid(objectId))).toBe(objectId)
    expect(decodeUid(mongo, 'users', 'zz')).toBeNull()
    expect(decodeUid(mongo, 'users', encodeUid('not-an-object-id'))).toBeNull()
  })
})
