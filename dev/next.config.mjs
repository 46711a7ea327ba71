import { withPayload } from '@payloadcms/next/withPayload'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const dirname = path.dirname(fileURLToPath(import.meta.url))

/** @type {import('next').NextConfig} */
const nextConfig = {
  // The plugin lives one level up, in ../src (dev/tsconfig.json maps the package's name there).
  // dj-rest-auth clients call `login/`: answer it directly instead of redirecting to `login`.
  skipTrailingSlashRedirect: true,
  // The browser tests build into a directory of their own (test/helpers/devServer.ts), so a test run
  // never collides with `next dev` or with another run, with a tsconfig of its own that extends
  // dev/tsconfig.json (Next adds the build directory's types to the tsconfig it type-checks with).
  ...(process.env.NEXT_DIST_DIR ? { distDir: process.env.NEXT_DIST_DIR } : {}),
  ...(process.env.NEXT_TSCONFIG_PATH ? { typescript: { tsconfigPath: process.env.NEXT_TSCONFIG_PATH } } : {}),
  outputFileTracingRoot: path.resolve(dirname, '..'),
  turbopack: { root: path.resolve(dirname, '..') },
  webpack: (webpackConfig) => {
    webpackConfig.resolve.extensionAlias = {
      '.cjs': ['.cts', '.cjs'],
      '.js': ['.ts', '.tsx', '.js', '.jsx'],
      '.mjs': ['.mts', '.mjs'],
    }
    return webpackConfig
  },
}

export default withPayload(nextConfig, { devBundleServerPackages: false })
