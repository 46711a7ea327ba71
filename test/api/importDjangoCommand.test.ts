import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const dir = mkdtempSync(path.join(tmpdir(), 'rest-auth-import-'))

/** Payload's own CLI, as `npx payload rest-auth:import-django …` runs it, on a fresh SQLite file. */
const payloadCli = (...args: string[]) =>
  new Promise<{ code: number; output: string }>((resolve) => {
    execFile(
      process.execPath,
      [path.join(root, 'node_modules/payload/bin.js'), 'rest-auth:import-django', ...args],
      {
        cwd: root,
        env: {
          ...process.env,
          IMPORT_TEST_DATABASE_URL: `file:${path.join(dir, 'cli.db')}`,
          PAYLOAD_CONFIG_PATH: path.join(root, 'test/fixtures/django/cli.config.ts'),
          PAYLOAD_FORCE_DRIZZLE_PUSH: 'true',
        },
        timeout: 120_000,
      },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}${stderr}` }),
    )
  })

const json = (output: string) => JSON.parse(output.slice(output.indexOf('{'), output.lastIndexOf('}') + 1))

describe('payload rest-auth:import-django', () => {
  afterAll(() => rmSync(dir, { force: true, recursive: true }))

  it('--dry-run reports, then a run imports, then a second run finds everything there', async () => {
    const dry = await payloadCli('test/fixtures/django/dumpdata.json', '--dry-run', '--json')
    expect(dry.code, dry.output).toBe(0)
    expect(json(dry.output)).toMatchObject({ dryRun: true, users: { created: 23, existing: 0, skipped: 1 } })

    const first = await payloadCli('test/fixtures/django/dumpdata.json', '--json', '--batch-size=10')
    expect(first.code, first.output).toBe(0)
    expect(json(first.output)).toMatchObject({ batches: 3, dryRun: false, tokens: { created: 2 }, users: { created: 23, existing: 0, skipped: 1 } })

    const second = await payloadCli('test/fixtures/django/dumpdata.json')
    expect(second.code, second.output).toBe(0)
    expect(second.output).toMatch(/^users\s+0\s+23\s+1$/m)
    expect(second.output).toMatch(/^tokens\s+0\s+2\s+2$/m)
    expect(second.output).toContain('collision auth.user 21: username "CaseFold"')
    expect(second.output).not.toContain('fedcba9876543210')
  }, 600_000)

  it('bad arguments and unreadable dumps exit non-zero with a message', async () => {
    const usage = await payloadCli('--dry-run')
    expect(usage.code).toBe(2)
    expect(usage.output).toContain('Usage: payload rest-auth:import-django <dumpdata.json>')
    const missing = await payloadCli(path.join(dir, 'missing.json'))
    expect(missing.code).toBe(1)
    expect(missing.output).toContain('Cannot read')
  }, 300_000)
})
