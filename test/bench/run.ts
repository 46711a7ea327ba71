/**
 * npm run bench: requests/s and latency of the plugin's endpoints, measured side by side in one
 * run against one server process on loopback. Bounded: every target runs BENCH_SECONDS (default 5).
 */
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'

import type { Result, Target } from './load.js'

import { startMailbox } from '../helpers/smtp.js'
import { load as loadWith, measure as measureWith } from './load.js'

const seconds = Number(process.env.BENCH_SECONDS ?? 5)
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10)

const mailbox = await startMailbox()
const server = spawn(process.execPath, ['--import', 'tsx', 'test/bench/server.ts'], {
  env: { ...process.env, BENCH_SMTP_PORT: String(mailbox.port) },
  stdio: ['ignore', 'pipe', 'inherit'],
})
const ready = await new Promise<{ access: string; apiUrl: string; jwt: string; key: string; url: string }>((resolve, reject) => {
  const lines = createInterface({ input: server.stdout! })
  lines.on('line', (line) => {
    if (line.startsWith('BENCH_READY ')) {
      resolve(JSON.parse(line.slice('BENCH_READY '.length)))
    }
  })
  server.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)))
})

const load = (target: Target, duration: number) => loadWith(target, { connections, duration })
const measure = (target: Target): Promise<Result> => measureWith(target, { connections, duration: seconds })

export const targets = (s: typeof ready): Target[] => [
  { name: 'anonymous GET user/ (403)', url: `${s.url}/user/` },
  { headers: { authorization: `Token ${s.key}` }, name: 'token GET user/', url: `${s.url}/user/` },
  { headers: { authorization: `JWT ${s.jwt}` }, name: 'Payload GET /api/users/me', url: `${s.apiUrl}/users/me` },
  { headers: { authorization: `Bearer ${s.access}` }, name: 'JWT GET user/', url: `${s.url}/user/` },
  // Account enumeration: known and unknown accounts must cost the same.
  ...(
    [
      ['login, known user, bad password', 'login/', { password: 'wrong-password', username: 'bench' }],
      ['login, unknown user', 'login/', { password: 'wrong-password', username: 'nobody' }],
      ['password/reset/, known e-mail', 'password/reset/', { email: 'bench@example.com' }],
      ['password/reset/, unknown e-mail', 'password/reset/', { email: 'nobody@example.com' }],
    ] as const
  ).map(([name, path, body]) => ({ body, connections: 1, method: 'POST' as const, name, url: `${s.url}/${path}` })),
  // Payload's own login, which the plugin evens out (src/collections/Users/payloadLogin.ts). Each request
  // names another account, as an enumeration probe does; a known one is never tried twice, since
  // Payload locks an account after 5 failures (and says so).
  ...(['probe', 'nobody'] as const).map((prefix) => ({
    body: (i: number) => ({ password: 'wrong-password', username: `${prefix}${i}` }),
    connections: 1,
    method: 'POST' as const,
    name: `Payload users/login, ${prefix === 'probe' ? 'known' : 'unknown'} (each once)`,
    url: `${s.apiUrl}/users/login`,
  })),
]

const results: Result[] = []
try {
  // Warm every path first (JIT, caches, connection pools), so no target pays for starting up.
  for (const target of targets(ready)) {
    await load(target, 2)
  }
  for (const target of targets(ready)) {
    results.push(await measure(target))
  }
} finally {
  server.kill('SIGTERM')
  await mailbox.close()
}

console.log(`\n${connections} connections, ${seconds} s per target, ${process.env.BENCH_DB ?? 'sqlite'}\n`)
console.log('target'.padEnd(34), 'req/s'.padStart(8), 'mean ms'.padStart(8), 'p50 ms'.padStart(7), 'p99 ms'.padStart(7), 'non-2xx'.padStart(8))
for (const r of results) {
  console.log(
    r.name.padEnd(34),
    r.rps.toFixed(0).padStart(8),
    r.mean.toFixed(2).padStart(8),
    String(r.p50).padStart(7),
    String(r.p99).padStart(7),
    String(r.non2xx).padStart(8),
  )
}
const [anonymous, token, payloadMe, jwtUser, loginKnown, loginUnknown, resetKnown, resetUnknown, payloadKnown, payloadUnknown] =
  results as [Result, Result, Result, Result, Result, Result, Result, Result, Result, Result]
console.log(`\ntoken user/ ÷ anonymous user/: ${(token.rps / anonymous.rps).toFixed(2)} (target ≥ 0.80)`)
console.log(`token user/ ÷ Payload users/me: ${(token.rps / payloadMe.rps).toFixed(2)}`)
console.log(`JWT user/ ÷ anonymous user/: ${(jwtUser.rps / anonymous.rps).toFixed(2)} (target ≥ 0.80)`)
console.log(`login mean latency, unknown ÷ known user: ${(loginUnknown.mean / loginKnown.mean).toFixed(2)} (target ≈ 1)`)
console.log(`Payload users/login mean latency, unknown ÷ known user: ${(payloadUnknown.mean / payloadKnown.mean).toFixed(2)} (target ≈ 1)`)
console.log(`reset mean latency, unknown ÷ known e-mail: ${(resetUnknown.mean / resetKnown.mean).toFixed(2)} (target ≈ 1)`)
// Known addresses cost their mail's work after the answer; on one saturated connection it shows as throughput.
console.log(`reset requests/s, known ÷ unknown e-mail: ${(resetKnown.rps / resetUnknown.rps).toFixed(2)} (target ≈ 1)`)
