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

type CommandArgs = { batchSize: number; dryRun: boolean; file: string; json: boolean; userModel?: string }

/** The command line after the command's name, or the reason it is wrong. */
export const parseCommand = (argv: string[]): { args: CommandArgs } | { error: string } => {
  try {
    const { positionals, values } = parseArgs({
      allowPositionals: true,
      args: argv,
      options: { 'batch-size': { type: 'string' }, 'dry-run': { type: 'boolean' }, json: { type: 'boolean' }, 'user-model': { type: 'string' } },
    })
    const batchSize = values['batch-size'] === undefined ? 200 : Number(values['batch-size'])
    if (positionals.length !== 1 || !Number.isInteger(batchSize) || batchSize < 1) {
      return { error: USAGE }
    }
    return {
      args: { batchSize, dryRun: values['dry-run'] === true, file: positionals[0]!, json: values.json === true, userModel: values['user-model'] },
    }
  } catch (err) {
    return { error: `${(err as Error).message}\n\n${USAGE}` }
  }
}

/** The command's work on a running Payload; returns the exit status. */
export const runImportCommand = async ({
  args,
  payload,
  write,
}: {
  args: CommandArgs
  payload: Payload
  write: (text: string) => void
}): Promise<number> => {
  try {
    const report = await importDjangoDump({
      batchSize: args.batchSize,
      dryRun: args.dryRun,
      dump: path.resolve(process.cwd(), args.file),
      onBatch: args.json ? undefined : ({ batch, batches }) => batches > 1 && write(`batch ${batch}/${batches}`),
      payload,
      userModel: args.userModel,
    })
    write(args.json ? JSON.stringify(report, null, 2) : formatReport(report, args.file))
    return report.failure ? 1 : 0
  } catch (err) {
    write(`payload ${COMMAND}: ${(err as Error).message}`)
    return 1
  }
}

/** What `payload rest-auth:import-django` runs (Payload's CLI exits 0 whatever a script does, so this exits itself). */
export const script = async (config: SanitizedConfig): Promise<void> => {
  const write = (text: string) => process.stdout.write(`${text}\n`)
  const parsed = parseCommand(process.argv.slice(process.argv.findIndex((arg) => arg.toLowerCase() === COMMAND) + 1))
  if ('error' in parsed) {
    write(parsed.error)
    process.exit(2)
  }
  const payload = await getPayload({ config })
  let status = 1
  try {
    status = await runImportCommand({ args: parsed.args, payload, write })
  } finally {
    await payload.destroy()
  }
  process.exit(status)
}
