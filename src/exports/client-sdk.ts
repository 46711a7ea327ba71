export { createRestAuthClient } from '../client-sdk/index.js'
export type { components, operations, paths, RestAuthClient, RestAuthClientOptions } from '../client-sdk/index.js'
