import type { BinScriptConfig, Payload, SanitizedConfig } from 'payload'

import { getPayload } from 'payload'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { stringify } from 'yaml'

import { serverOrigin } from '../http/forwarded.js'
import { pluginOptionsOf } from '../utilities/pluginOptions.js'
import { openApiDocumentFor } from './load.js'

const COMMAND = 'rest-auth:openapi'

const USAGE = `Usage: payload ${COMMAND} [--yaml]

Prints the OpenAPI 3.1 document of the API under the saved settings (JSON, or YAML with --yaml).
The server URL is serverURL's; without it the document's paths are relative to /api/<routePrefix>.`

/** `config.bin` entry: Payload's CLI imports this file and calls its `script`. */
export const openApiBinScript: BinScriptConfig = { key: COMMAND, scriptPath: fileURLToPath(import.meta.url) }

/** The document as the command prints it. */
export const printOpenApi = async ({ isYaml, payload }: { isYaml: boolean; payload: Payload }): Promise<string> => {
  const options = pluginOptionsOf(payload)
  const settings = await options.settingsStore.get(payload)
  const document = openApiDocumentFor({ options, origin: serverOrigin(payload), payload, settings })
  return isYaml ? stringify(document, { aliasDuplicateObjects: false }) : JSON.stringify(document, null, 2)
}

/** What `payload rest-auth:openapi` runs (Payload's CLI exits 0 whatever a script does, so this exits itself). */
export const script = async (config: SanitizedConfig): Promise<void> => {
  let isYaml = false
  try {
    const { values } = parseArgs({
      args: process.argv.slice(process.argv.findIndex((arg) => arg.toLowerCase() === COMMAND) + 1),
      options: { yaml: { type: 'boolean' } },
    })
    isYaml = values.yaml === true
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${USAGE}\n`)
    process.exit(2)
  }
  const payload = await getPayload({ config })
  let status = 0
  try {
    const printed = `${await printOpenApi({ isYaml, payload })}\n`
    // The document is larger than a pipe's buffer: exiting before the write is flushed cuts it off.
    await new Promise<void>((resolve, reject) => process.stdout.write(printed, (err) => (err ? reject(err) : resolve())))
  } catch (err) {
    process.stderr.write(`payload ${COMMAND}: ${(err as Error).message}\n`)
    status = 1
  } finally {
    await payload.destroy()
  }
  process.exit(status)
}
