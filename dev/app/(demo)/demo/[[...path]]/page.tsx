import { DemoApp } from '../../../../demo/DemoApp.js'

/** The demo single-page app: every route under /demo renders it; it routes on the client. */
const DemoPage = () => <DemoApp apiBase="/api/dj-rest-auth" basePath="/demo" />

export default DemoPage
