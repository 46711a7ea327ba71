import type { BinScriptConfig, Payload, SanitizedConfig } from 'payload'

import { getPayload } from 'payload'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

import type { DjangoImportReport, RowCounts } from './importDjangoDump.js'

import { importDjangoDump } from './importDjangoDump.js'

const COMMAND = 'rest-auth:import-django'

const USAGE = `Usage: payload ${COMMAND} <dumpdata.json> [--dry-run] [--json] [--batch-size=200] [--user-model=auth.user]

Imports: manage.py dumpdata auth.user account.emailaddress socialaccount.socialaccount authtoken.token
  --dry-run     decide everything and report it, write nothing
  --json        print the report as JSON
  --batch-size  users per transaction (default 200)
  --user-model  AUTH_USER_MODEL of the dump, as app_label.model (default auth.user)`

/** `config.bin` entry: Payload's CLI imports this file and calls its `script`. */
export const importDjangoBinScript: BinScriptConfig = { key: COMMAND, scriptPath: fileURLToPath(import.meta.url) }

const row = (label: string, counts: RowCounts): string =>
  `${label.padEnd(18)}${String(counts.created).padStart(9)}${String(counts.existing).padStart(14)}${String(counts.skipped).padStart(9)}`

export const formatReport = (report: DjangoImportReport, file: string): string => {
  const lines = [
    `Django import of ${file}${report.dryRun ? ' (dry run: nothing was written)' : ''}`,
    '',
    `${''.padEnd(18)}${(report.dryRun ? 'to create' : 'created').padStart(9)}${'already here'.padStart(14)}${'skipped'.padStart(9)}`,
    row('users', report.users),
    row('e-mail addresses', report.emailAddresses),
    row('social accounts', report.socialAccounts),
    row('tokens', report.tokens),
    '',
    `Passwords of the new users: ${report.passwords.converted} already in Payload's format (pbkdf2_sha256, 600,000 iterations); ` +
      `kept as Django hashes until their first login: ${Object.entries(report.passwords.kept).map(([algorithm, count]) => `${count} ${algorithm}`).join(', ') || 'none'}; ` +
      `${report.passwords.unusable} without a usable password.`,
  ]
  const ignored = Object.entries(report.ignoredModels)
  if (ignored.length > 0) {
    lines.push(`Ignored models: ${ignored.map(([model, count]) => `${model} (${count})`).join(', ')}.`)
  }
  if (report.problems.length > 0) {
    lines.push('', `Problems (${report.problems.length}):`)
    lines.push(...report.problems.map((problem) => `  ${problem.kind.padEnd(9)} ${problem.model} ${String(problem.pk)}: ${problem.message}`))
  }
  if (report.notices.length > 0) {
    lines.push('', ...report.notices.map((notice) => `Note: ${notice}`))
  }
  if (report.failure) {
    lines.push(
      '',
      `FAILED at batch ${report.failure.batch} of ${report.batches} (rolled back): ${report.failure.message}`,
      'The batches before it are imported; run the command again to go on.',
    )
  }
  return lines.join('\n')
}

/** The command's work on a running Payload; returns the exit status. */
export const runImportCommand = async ({
  argv,
  payload,
  write,
}: {
  argv: string[]
  payload: Payload
  write: (text: string) => void
}): Promise<number> => {
  let parsed: ReturnType<typeof parseArgs<{ allowPositionals: true; options: Record<string, { type: 'boolean' | 'string' }> }>>
  try {
    parsed = parseArgs({
      allowPositionals: true,
      args: argv,
      options: { 'batch-size': { type: 'string' }, 'dry-run': { type: 'boolean' }, json: { type: 'boolean' }, 'user-model': { type: 'string' } },
    })
  } catch (err) {
    write(`${(err as Error).message}\n\n${USAGE}`)
    return 2
  }
  const [file, ...extra] = parsed.positionals
  const batchSize = parsed.values['batch-size'] === undefined ? 200 : Number(parsed.values['batch-size'])
  if (!file || extra.length > 0 || !Number.isInteger(batchSize) || batchSize < 1) {
    write(USAGE)
    return 2
  }
  try {
    const report = await importDjangoDump({
      batchSize,
      dryRun: parsed.values['dry-run'] === true,
      dump: path.resolve(process.cwd(), file),
      onBatch: parsed.values.json ? undefined : ({ batch, batches }) => batches > 1 && write(`batch ${batch}/${batches}`),
      payload,
      userModel: typeof parsed.values['user-model'] === 'string' ? parsed.values['user-model'] : undefined,
    })
    write(parsed.values.json ? JSON.stringify(report, null, 2) : formatReport(report, file))
    return report.failure ? 1 : 0
  } catch (err) {
    write(`payload ${COMMAND}: ${(err as Error).message}`)
    return 1
  }
}

/** What `payload rest-auth:import-django` runs (Payload's CLI exits 0 whatever a script does, so this exits itself). */
export const script = async (config: SanitizedConfig): Promise<void> => {
  const at = process.argv.findIndex((arg) => arg.toLowerCase() === COMMAND)
  const payload = await getPayload({ config })
  let status = 1
  try {
    status = await runImportCommand({ argv: process.argv.slice(at + 1), payload, write: (text) => process.stdout.write(`${text}\n`) })
  } finally {
    await payload.destroy()
  }
  process.exit(status)
}
