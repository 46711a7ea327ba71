import type { PaginatedDistinctDocs, PaginatedDocs, Payload, PayloadRequest, RequestContext, Sort, Where } from 'payload'

/**
 * The plugin names its collections and its global from its options at run time, and their documents
 * have the plugin's shapes. Payload types its Local API by the host app's generated slugs and
 * documents (`payload-types.ts`), which the plugin cannot know: in an app with generated types,
 * `options.usersCollection` is a `string`, never one of the app's `CollectionSlug` literals. Every
 * Local API call of the plugin goes through this one loosely typed view instead of a cast at each
 * call, so the plugin compiles whatever the app's generated types say.
 */
export type PluginDoc = { [key: string]: unknown; id: number | string }

type Common = {
  context?: RequestContext
  depth?: number
  disableTransaction?: boolean
  overrideAccess?: boolean
  req?: Partial<PayloadRequest>
  showHiddenFields?: boolean
}

type CollectionArgs = { collection: string } & Common

type FindArgs = {
  limit?: number
  page?: number
  pagination?: boolean
  select?: Record<string, boolean>
  sort?: Sort
  where?: Where
} & CollectionArgs

type BulkResult<T> = { docs: T[]; errors: unknown[] }

export type PluginLocalApi = {
  count: (args: { where?: Where } & CollectionArgs) => Promise<{ totalDocs: number }>
  create: <T = PluginDoc>(args: { data: Record<string, unknown> } & CollectionArgs) => Promise<T>
  delete: {
    <T = PluginDoc>(args: { id: number | string } & CollectionArgs): Promise<T>
    <T = PluginDoc>(args: { where: Where } & CollectionArgs): Promise<BulkResult<T>>
  }
  find: <T = PluginDoc>(args: FindArgs) => Promise<PaginatedDocs<T>>
  findByID: <T = PluginDoc>(args: { disableErrors?: boolean; id: number | string } & CollectionArgs) => Promise<T>
  findDistinct: <T extends Record<string, unknown> = Record<string, unknown>>(
    args: { field: string; limit?: number; sort?: Sort; where?: Where } & CollectionArgs,
  ) => Promise<PaginatedDistinctDocs<T>>
  findGlobal: <T = Record<string, unknown>>(args: { slug: string } & Common) => Promise<T>
  update: {
    <T = PluginDoc>(args: { data: Record<string, unknown>; id: number | string } & CollectionArgs): Promise<T>
    <T = PluginDoc>(args: { data: Record<string, unknown>; where: Where } & CollectionArgs): Promise<BulkResult<T>>
  }
  updateGlobal: <T = Record<string, unknown>>(args: { data: Record<string, unknown>; slug: string } & Common) => Promise<T>
}

/** The Local API of `payload`, typed for the plugin's runtime slugs (see above). */
export const localApi = (payload: Payload): PluginLocalApi => payload as unknown as PluginLocalApi

/**
 * Payload's database adapter, for the atomic single-row updates the Local API has no form for:
 * `{ $inc: 1 }` counters, and compare-and-set — `where` plus `options: { atomic: true }` is one
 * `UPDATE … WHERE … RETURNING` on SQL adapters (findOneAndUpdate on MongoDB) that answers null when
 * no row matched, so of two concurrent callers exactly one wins. (Without `atomic`, a `where` that
 * needs joins is resolved to an id first and that row updated unconditionally; `atomic` refuses such
 * a `where` instead of silently losing the guarantee.)
 */
export type PluginDatabase = {
  /** A row written as given, without the Local API's hooks (src/migrate/django/importDjangoDump.ts says why). */
  create: (args: { collection: string; data: Record<string, unknown>; req?: Partial<PayloadRequest> }) => Promise<PluginDoc>
  updateOne: (args: {
    collection: string
    data: Record<string, unknown>
    id?: number | string
    options?: { atomic?: boolean }
    req?: Partial<PayloadRequest>
    returning?: boolean
    where?: Where
  }) => Promise<null | PluginDoc>
}

export const pluginDatabase = (payload: Payload): PluginDatabase => payload.db as unknown as PluginDatabase
