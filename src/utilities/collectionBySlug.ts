import type { Collection, Payload } from 'payload'

/**
 * One of the app's collections by a slug known only at run time (Payload types `payload.collections`
 * by the app's generated slugs; see localApi.ts). Own keys only: a slug such as `constructor` is none.
 */
export const collectionBySlug = (payload: Payload, slug: string): Collection | undefined =>
  Object.hasOwn(payload.collections, slug) ? (payload.collections as Record<string, Collection>)[slug] : undefined
