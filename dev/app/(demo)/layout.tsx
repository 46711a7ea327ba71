import type { ReactNode } from 'react'

import './demo.css'

export const metadata = { title: 'payload-rest-auth demo' }

const DemoLayout = ({ children }: { children: ReactNode }) => (
  <html lang="en">
    <body>{children}</body>
  </html>
)

export default DemoLayout
