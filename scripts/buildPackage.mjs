/**
 * The library build that `npm pack` / `npm publish` ship (run by `prepack`): TypeScript compiled by
 * tsc into dist/ (ESM, .d.ts, source maps with the sources inlined, so the package needs no src/),
 * then the stylesheets the admin components import, which tsc does not copy. The layout under dist/
 * mirrors the repository (dist/src, dist/admin), so every relative import stays as written.
 * Last, every entry point of package.json's `exports` (`.`, `./client`, `./migrate`, `./rsc`,
 * `./server`, `./types`) must have been built: an entry whose file is missing fails the build
 * rather than a user's import.
 */
import { spawnSync } from 'node:child_process'
import { cpSync, existsSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const dist = path.join(root, 'dist')
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')

rmSync(dist, { force: true, recursive: true })
const compiled = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' })
if (compiled.status !== 0) {
  process.exit(compiled.status ?? 1)
}
for (const dir of ['src', 'admin']) {
  cpSync(path.join(root, dir), path.join(dist, dir), {
    filter: (source) => !path.extname(source) || source.endsWith('.css'),
    recursive: true,
  })
}

const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'))
const missing = Object.entries(manifest.exports)
  .filter(([entry]) => entry !== './package.json')
  .flatMap(([entry, target]) => Object.values(target).filter((file) => !existsSync(path.join(root, file))).map((file) => `${entry}: ${file}`))
if (missing.length > 0) {
  console.error(`buildPackage: exports without a built file:\n  ${missing.join('\n  ')}`)
  process.exit(1)
}
