import type { Payload } from 'payload'

import { pluginOptionsOf } from '../utilities/pluginOptions.js'
import { localApi } from '../utilities/localApi.js'

export type Health = { body: { status: 'draining' | 'ok' | 'unavailable' }; status: 200 | 503 }

const TIMEOUT_MS = 2_000

/**
 * What the health route answers: 503 while the server drains (so the load balancer stops sending
 * before the listener closes) or when the database does not answer one small read within 2 s;
 * else 200. The reason stays in the log: the route is public.
 */
export const checkHealth = async ({ isDraining, payload }: { isDraining: boolean; payload: Payload }): Promise<Health> => {
  if (isDraining) {
    return { body: { status: 'draining' }, status: 503 }
  }
  let timer: NodeJS.Timeout | undefined
  try {
    await Promise.race([
      localApi(payload).find({
        collection: pluginOptionsOf(payload).slugs.tokens,
        depth: 0,
        limit: 1,
        overrideAccess: true,
        pagination: false,
        select: { id: true },
      }),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${TIMEOUT_MS} ms`)), TIMEOUT_MS)
      }),
    ])
    return { body: { status: 'ok' }, status: 200 }
  } catch (err) {
    payload.logger.warn({ msg: `payload-rest-auth: health check failed: the database ${String((err as Error)?.message ?? err)}` })
    return { body: { status: 'unavailable' }, status: 503 }
  } finally {
    clearTimeout(timer)
  }
}
