import { withPayload } from '@payloadcms/next/withPayload'

/** @type {import('next').NextConfig} */
const nextConfig = {
  // dj-rest-auth clients call `login/`: answer it instead of redirecting to `login`.
  skipTrailingSlashRedirect: true,
}

export default withPayload(nextConfig)
