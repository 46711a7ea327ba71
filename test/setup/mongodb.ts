import type { TestProject } from 'vitest/node'

import { MongoBinary, MongoMemoryReplSet } from 'mongodb-memory-server'

declare module 'vitest' {
  export interface ProvidedContext {
    /** `mongodb://…/?replicaSet=…` of the run's in-memory replica set; '' when MongoDB is skipped. */
    mongodbUri: string
  }
}

/**
 * The mongod binary mongodb-memory-server would use, without touching the network: its
 * MONGOMS_SYSTEM_BINARY or its download cache. A download is attempted only when the run asks for
 * MongoDB by name (TEST_DB=mongodb): a plain `npm test` never reaches out to MongoDB's servers.
 */
const findBinary = async (mayDownload: boolean): Promise<{ path: string } | { reason: string }> => {
  const previous = process.env.MONGOMS_RUNTIME_DOWNLOAD
  process.env.MONGOMS_RUNTIME_DOWNLOAD = mayDownload ? 'true' : 'false'
  try {
    return { path: await MongoBinary.getPath() }
  } catch (err) {
    const why = String((err as Error)?.message ?? err).split('\n')[0]
    return {
      reason: mayDownload
        ? `no mongod binary could be had: ${why}`
        : 'no mongod binary (MONGOMS_SYSTEM_BINARY is unset and none is in mongodb-memory-server’s cache; `TEST_DB=mongodb npm test` downloads one, or point MONGOMS_SYSTEM_BINARY at a mongod)',
    }
  } finally {
    if (previous === undefined) {
      delete process.env.MONGOMS_RUNTIME_DOWNLOAD
    } else {
      process.env.MONGOMS_RUNTIME_DOWNLOAD = previous
    }
  }
}

/**
 * MongoDB for the API suite: one in-memory single-node replica set per run (a replica set, so
 * Payload's MongoDB adapter has transactions as on Atlas), each test app in a database of its own.
 * Without a binary, the run says so and goes on with SQLite and PostgreSQL; TEST_DB=mongodb then fails.
 */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const wanted = process.env.TEST_DB
  if (wanted && wanted !== 'mongodb') {
    project.provide('mongodbUri', '')
    return undefined
  }
  const binary = await findBinary(wanted === 'mongodb')
  if ('reason' in binary) {
    if (wanted === 'mongodb') {
      throw new Error(`TEST_DB=mongodb: ${binary.reason}`)
    }
    console.warn(`MongoDB: skipped, ${binary.reason}.`)
    project.provide('mongodbUri', '')
    return undefined
  }
  const replSet = await MongoMemoryReplSet.create({ replSet: { count: 1, storageEngine: 'wiredTiger' } })
  await replSet.waitUntilRunning()
  console.info(`MongoDB: in-memory replica set at ${replSet.getUri()} (${binary.path})`)
  project.provide('mongodbUri', replSet.getUri())
  return async () => {
    await replSet.stop({ doCleanup: true, force: true })
  }
}
