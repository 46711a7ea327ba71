import type { UIFieldServerProps } from 'payload'
import type React from 'react'

import type { RestAuthServerProps } from '../../../src/admin/components.js'

import { loadEndpointList } from '../../../src/admin/endpointList.js'
import { EndpointsList } from './index.client.js'

/** The Endpoints tab of the settings global: the routes the saved settings enable, with full URLs. */
export const EndpointsField = async ({ data, req, restAuth }: RestAuthServerProps & UIFieldServerProps): Promise<React.ReactElement> => {
  const endpoints = await loadEndpointList({ options: restAuth, req })
  const savedAt = typeof data?.updatedAt === 'string' ? data.updatedAt : undefined
  return <EndpointsList initialEndpoints={endpoints} routePrefix={restAuth.routePrefix} savedAt={savedAt} />
}
