import { withPayload } from '@payloadcms/next/withPayload'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const dirname = path.dirname(fileURLToPath(import.meta.url))

/** @type {import('next').NextConfig} */
const nextConfig = {
  // The plugin lives one level up, in ../src.
  // dj-rest-auth clients call `login/`: answer it directly instead of redirecting to `login`.
  skipTrailingSlashRedirect: true,
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
