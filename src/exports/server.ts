export type { ApiServer, ApiServerOptions } from '../server/startApiServer.js'
export { startApiServer } from '../server/startApiServer.js'
export { stopCacheInvalidation } from '../cache/invalidation.js'
