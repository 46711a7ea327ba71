import type { Collection, Payload } from 'payload'

/**
 * One of the app's collections by a slug known only at run time (Payload types `payload.collections`
 * by the app's generated slugs; see localApi.ts). Own keys only: a slug such as `constructor` is none.
 */
export const collectionBySlug = (payload: Payload, slug: string): Collection | undefined =>
  Object.hasOwn(payload.collections, slug) ? (payload.collections as Record<string, Collection>)[slug] : undefined

/** Whether the app has the collection (an override may leave one of the plugin's out). */
export const hasCollection = (payload: Payload, slug: string): boolean => Object.hasOwn(payload.collections, slug)
