import type { BinScriptConfig } from 'payload'

import path from 'node:path'
import { fileURLToPath } from 'node:url'

const here = fileURLToPath(import.meta.url)

/**
 * `config.bin` entry of `payload rest-auth:serve`. Only the path: the plugin itself never loads
 * the server (the command's file is .ts in this repository, .js in the package).
 */
export const serveBinScript: BinScriptConfig = {
  key: 'rest-auth:serve',
  scriptPath: path.join(path.dirname(here), `serveCommand${path.extname(here)}`),
}
