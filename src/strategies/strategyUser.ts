import type { AuthStrategyResult } from 'payload'

import type { RestAuthUser } from '../types.js'

/**
 * What a strategy hands Payload: the user with the strategy's name and its collection. Payload types
 * that user by the host app's generated types; the plugin's collection slug is only known at run
 * time, so this is the one place where the plugin's user becomes Payload's.
 */
export const strategyUser = (user: RestAuthUser, strategy: string, collection: string): AuthStrategyResult['user'] =>
  ({ ...user, _strategy: strategy, collection }) as unknown as AuthStrategyResult['user']
