import { defineConfig } from 'vitest/config'

export default defineConfig({
  // tsconfig keeps JSX for Next.js ("preserve"); the component tests need it compiled.
  oxc: { jsx: { runtime: 'automatic' } },
  test: {
    environment: 'node',
    fileParallelism: true,
    hookTimeout: 120_000,
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    maxWorkers: 2,
    pool: 'forks',
    testTimeout: 60_000,
  },
})
