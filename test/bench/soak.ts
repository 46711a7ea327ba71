/**
 * Soak: mixed traffic (login, user GET/PATCH, logout, JWT refresh) from concurrent workers against
 * one server on loopback, bounded by SOAK_SECONDS (default 20): half of it with opaque tokens, half
 * with JWT. Afterwards: no user or e-mail row lost or duplicated, every opaque token of a logged-out
 * session gone and every refresh token revoked, and the server's heap
 * measured before and after (run with --expose-gc for comparable figures).
 */
import { call } from '../helpers/client.js'
import { startTestApp } from '../helpers/server.js'
import { createUser, PASSWORD } from '../helpers/users.js'

const seconds = Number(process.env.SOAK_SECONDS ?? 20)
const workers = Number(process.env.SOAK_WORKERS ?? 8)
const db = (process.env.BENCH_DB as 'postgres' | 'sqlite' | undefined) ?? 'postgres'

const heapMb = () => {
  ;(globalThis as { gc?: () => void }).gc?.()
  return process.memoryUsage().heapUsed / 1048576
}

const app = await startTestApp({ db })
// Refresh tokens neither blacklisted by logout nor by rotation.
const outstandingLeft = async () =>
  (await app.payload.count({ collection: 'outstanding-tokens' as never, where: { blacklistedAt: { exists: false } } })).totalDocs
const users = await Promise.all(
  Array.from({ length: workers }, (_, i) => createUser(app.payload, { email: `soak${i}@example.com`, username: `soak${i}` })),
)
for (const user of users) {
  await app.payload.create({ collection: 'email-addresses' as never, data: { email: user.email, user: user.id, verified: true } as never })
}
await app.payload.updateGlobal({ data: { rotateRefreshTokens: true } as never, slug: 'rest-auth-settings' as never })

const counts = { errors: 0, logins: 0, logouts: 0, patches: 0, refreshes: 0, requests: 0 }
const failures: string[] = []
const check = (res: { status: number; text: string }, expected: number, what: string) => {
  counts.requests += 1
  if (res.status !== expected) {
    counts.errors += 1
    if (failures.length < 5) failures.push(`${what}: ${res.status} ${res.text.slice(0, 200)}`)
    return false
  }
  return true
}

const heapBefore = heapMb()

/** Every worker loops login → GET → PATCH → (refresh) → logout until the deadline. */
const runPhase = async (phaseSeconds: number, mode: 'jwt' | 'token') => {
  // The cookieless header makes JWT logins answer the refresh token in the body, as a mobile client gets it.
  const headers = mode === 'jwt' ? { 'x-rest-auth-cookieless': '1' } : undefined
  const deadline = Date.now() + phaseSeconds * 1000
  await Promise.all(
    users.map(async (user, worker) => {
      let round = 0
      while (Date.now() < deadline) {
        round += 1
        const login = await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: user.username }, headers })
        if (!check(login, 200, `${mode} login`)) continue
        counts.logins += 1
        const auth = mode === 'token' ? { authorization: `Token ${login.body.key}` } : { authorization: `Bearer ${login.body.access}` }
        check(await call(`${app.url}/user/`, 'GET', { headers: auth }), 200, `${mode} GET user/`)
        if (check(await call(`${app.url}/user/`, 'PATCH', { body: { first_name: `w${worker}r${round}` }, headers: auth }), 200, `${mode} PATCH user/`)) {
          counts.patches += 1
        }
        let refresh = login.body.refresh as string | undefined
        if (refresh) {
          const refreshed = await call(`${app.url}/token/refresh/`, 'POST', { body: { refresh }, headers })
          if (check(refreshed, 200, 'token/refresh/')) {
            counts.refreshes += 1
            refresh = refreshed.body.refresh ?? refresh
          }
        }
        const logout = await call(`${app.url}/logout/`, 'POST', { body: refresh ? { refresh } : {}, headers: { ...headers, ...auth } })
        if (check(logout, 200, `${mode} logout/`)) counts.logouts += 1
      }
    }),
  )
}

// Half the time with opaque tokens, half with JWT (the switch waits for every worker to finish its round).
await runPhase(seconds / 2, 'token')
await app.payload.updateGlobal({ data: { useJwt: true } as never, slug: 'rest-auth-settings' as never })
await runPhase(seconds / 2, 'jwt')
const heapAfter = heapMb()

const tokensLeft = (await app.payload.count({ collection: 'auth-tokens' as never, where: { kind: { equals: 'token' } } })).totalDocs
const userCount = (await app.payload.count({ collection: 'users' })).totalDocs
const emailCount = (await app.payload.count({ collection: 'email-addresses' as never })).totalDocs
const refreshLeft = await outstandingLeft()
const names = await app.payload.find({ collection: 'users', limit: workers, sort: 'username' })
await app.close()

console.log(`\nsoak: ${workers} workers, ${seconds} s, ${db}`)
console.log(`requests ${counts.requests}, errors ${counts.errors}, logins ${counts.logins}, PATCHes ${counts.patches}, refreshes ${counts.refreshes}, logouts ${counts.logouts}`)
console.log(`rows: users ${userCount} (expected ${workers}), e-mail addresses ${emailCount} (expected ${workers}), opaque tokens left ${tokensLeft} (expected 0), refresh tokens not revoked ${refreshLeft} (expected 0)`)
console.log(`heap: ${heapBefore.toFixed(1)} MB before, ${heapAfter.toFixed(1)} MB after (${(heapAfter - heapBefore).toFixed(1)} MB)`)
console.log(`last first_names: ${names.docs.map((u) => (u as { first_name?: string }).first_name).join(', ')}`)
failures.forEach((f) => console.log(`  failure: ${f}`))
const isConsistent = userCount === workers && emailCount === workers && tokensLeft === 0 && refreshLeft === 0 && counts.errors === 0
console.log(isConsistent ? 'soak: consistent' : 'soak: INCONSISTENT')
process.exit(isConsistent ? 0 : 1)
