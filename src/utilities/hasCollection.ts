import type { Payload } from 'payload'

/** Whether the app has the collection (an override may leave one of the plugin's out). */
export const hasCollection = (payload: Payload, slug: string): boolean => Boolean(payload.collections[slug])
