import type { Payload } from 'payload'

/** PostgreSQL's `serial` column (Payload's default id on PostgreSQL) is a 4-byte integer. */
const POSTGRES_SERIAL_MAX = 2_147_483_647

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const OBJECT_ID = /^[0-9a-f]{24}$/i
const TEXT_ID = /^[\w-]{1,64}$/

type IdShape = { maxInteger?: number; minInteger?: number; pattern?: RegExp; type: 'number' | 'text' }

/**
 * The ids a collection's documents can have on this database: a custom `id` field's type, else the
 * adapter's (PostgreSQL `serial` or `uuid`, SQLite integers or `uuid`, MongoDB ObjectIds).
 */
const idShape = (payload: Payload, collection: string): IdShape => {
  const customType = (payload.collections[collection as never] as { customIDType?: 'number' | 'text' } | undefined)?.customIDType
  if (customType === 'number') {
    return { maxInteger: Number.MAX_SAFE_INTEGER, minInteger: 0, type: 'number' }
  }
  if (customType === 'text') {
    return { type: 'text' }
  }
  const db = payload.db as { defaultIDType?: string; idType?: string; name?: string }
  if (db.defaultIDType === 'number') {
    return { maxInteger: db.idType === 'serial' ? POSTGRES_SERIAL_MAX : Number.MAX_SAFE_INTEGER, type: 'number' }
  }
  if (db.idType === 'uuid') {
    return { pattern: UUID, type: 'text' }
  }
  return { pattern: db.name === 'mongoose' ? OBJECT_ID : TEXT_ID, type: 'text' }
}

/**
 * A value from a client (a uid, a key, a route parameter) as an id of `collection`, or null when no
 * document of it can have that id. Looking such a value up would fail in the database (an integer
 * out of range or a malformed uuid is an error on PostgreSQL, not an empty result), so it is refused
 * before any query.
 */
export const toDatabaseId = (payload: Payload, collection: string, value: unknown): null | number | string => {
  const shape = idShape(payload, collection)
  if (shape.type === 'number') {
    const id = typeof value === 'number' ? value : typeof value === 'string' && /^\d{1,16}$/.test(value) ? Number(value) : NaN
    return Number.isSafeInteger(id) && id >= (shape.minInteger ?? 1) && id <= shape.maxInteger! ? id : null
  }
  if (typeof value !== 'string' || value.length === 0 || value.length > 255) {
    return null
  }
  return !shape.pattern || shape.pattern.test(value) ? value : null
}

/** Whether the collection's ids are numbers here (else strings). */
export const hasNumericIds = (payload: Payload, collection: string): boolean => idShape(payload, collection).type === 'number'
