/**
 * npm run bench: requests/s and latency of the plugin's endpoints, measured side by side in one
 * run against one server process on loopback. Bounded: every target runs BENCH_SECONDS (default 5).
 */
import autocannon from 'autocannon'
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'

type Target = { headers?: Record<string, string>; method?: 'GET' | 'POST'; name: string; url: string }
type Result = { name: string; p50: number; p99: number; rps: number; non2xx: number }

const seconds = Number(process.env.BENCH_SECONDS ?? 5)
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10)

const server = spawn(process.execPath, ['--import', 'tsx', 'test/bench/server.ts'], { stdio: ['ignore', 'pipe', 'inherit'] })
const ready = await new Promise<{ access: string; apiUrl: string; jwt: string; key: string; url: string }>((resolve, reject) => {
  const lines = createInterface({ input: server.stdout! })
  lines.on('line', (line) => {
    if (line.startsWith('BENCH_READY ')) {
      resolve(JSON.parse(line.slice('BENCH_READY '.length)))
    }
  })
  server.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)))
})

const load = (target: Target, duration: number) =>
  autocannon({ connections, duration, headers: target.headers, method: target.method ?? 'GET', url: target.url })

const measure = async (target: Target): Promise<Result> => {
  const result = await load(target, seconds)
  return { name: target.name, non2xx: result.non2xx, p50: result.latency.p50, p99: result.latency.p99, rps: result.requests.average }
}

export const targets = (s: typeof ready): Target[] => [
  { name: 'anonymous GET user/ (403)', url: `${s.url}/user/` },
  { headers: { authorization: `Token ${s.key}` }, name: 'token GET user/', url: `${s.url}/user/` },
  { headers: { authorization: `JWT ${s.jwt}` }, name: 'Payload GET /api/users/me', url: `${s.apiUrl}/users/me` },
  { headers: { authorization: `Bearer ${s.access}` }, name: 'JWT GET user/', url: `${s.url}/user/` },
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
}

console.log(`\n${connections} connections, ${seconds} s per target, ${process.env.BENCH_DB ?? 'sqlite'}\n`)
console.log('target'.padEnd(32), 'req/s'.padStart(9), 'p50 ms'.padStart(8), 'p99 ms'.padStart(8), 'non-2xx'.padStart(8))
for (const r of results) {
  console.log(r.name.padEnd(32), r.rps.toFixed(0).padStart(9), String(r.p50).padStart(8), String(r.p99).padStart(8), String(r.non2xx).padStart(8))
}
const [anonymous, token, payloadMe, jwtUser] = results as [Result, Result, Result, Result]
console.log(`\ntoken user/ ÷ anonymous user/: ${(token.rps / anonymous.rps).toFixed(2)} (target ≥ 0.80)`)
console.log(`token user/ ÷ Payload users/me: ${(token.rps / payloadMe.rps).toFixed(2)}`)
console.log(`JWT user/ ÷ anonymous user/: ${(jwtUser.rps / anonymous.rps).toFixed(2)} (target ≥ 0.80)`)
