import { describe, expect, it } from 'vitest'

import { generateClientSdk, readClientSdk } from '../../scripts/clientSdk.js'

/**
 * The typed client's committed files are what the routes' declarations make today: a route whose
 * contract changed without `npm run generate:client-sdk` fails here (and so in CI).
 */
describe('payload-rest-auth/client-sdk', () => {
  it('the committed all-features document and types are up to date', async () => {
    const generated = await generateClientSdk()
    const committed = readClientSdk()
    expect(committed.document, 'src/client-sdk/openapi.json is stale: npm run generate:client-sdk').toBe(generated.document)
    expect(committed.types, 'src/client-sdk/schema.ts is stale: npm run generate:client-sdk').toBe(generated.types)
  }, 60_000)

  it('the all-features document has every mode’s routes and login answers', async () => {
    const document = JSON.parse((await generateClientSdk()).document)
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/login/', '/token/refresh/', '/token/verify/', '/google/', '/twitter/request_token/', '/openapi.json/']))
    expect(document.paths['/login/'].post.responses['200'].content['application/json'].schema.anyOf).toHaveLength(3)
    expect(document.paths['/login/'].post.responses['204']).toBeDefined()
  }, 60_000)
})
