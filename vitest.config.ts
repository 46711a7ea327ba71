import type { TestSpecification } from 'vitest/node'

import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'
import { BaseSequencer } from 'vitest/node'

/**
 * The browser tests share one production build (test/helpers/devServer.ts): one of them starts
 * first and builds while the other worker runs the packaging test (its own pack, install and build
 * of test/host-app); then the API tests; the other browser files come last, when the build is
 * ready, instead of holding a worker while they wait for it.
 */
class BuildFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files)
    const browser = sorted.filter((file) => file.moduleId.includes('/test/browser/'))
    const packaging = sorted.filter((file) => file.moduleId.includes('/test/package/'))
    const rest = sorted.filter((file) => !browser.includes(file) && !packaging.includes(file))
    return [...browser.slice(0, 1), ...packaging, ...rest, ...browser.slice(1)]
  }
}

export default defineConfig({
  // As tsconfig's `paths`: the dev app's code (the demo client) imports the package's entry points by name.
  resolve: { alias: [{ find: /^payload-rest-auth\/(.+)$/, replacement: fileURLToPath(new URL('./src/exports/$1.ts', import.meta.url)) }] },
  // tsconfig keeps JSX for Next.js ("preserve"); the component tests need it compiled.
  oxc: { jsx: { runtime: 'automatic' } },
  test: {
    environment: 'node',
    fileParallelism: true,
    // MongoDB for the API suite when a mongod binary is at hand; otherwise the run says it skipped it.
    globalSetup: ['test/setup/mongodb.ts'],
    hookTimeout: 120_000,
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    maxWorkers: 2,
    pool: 'forks',
    sequence: { sequencer: BuildFirstSequencer },
    testTimeout: 60_000,
  },
})
