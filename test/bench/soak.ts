/**
 * Soak: mixed traffic (login, user GET/PATCH, logout, JWT refresh) from concurrent workers against
 * one server on loopback, bounded by SOAK_SECONDS (default 20). Afterwards: no token, user or
 * e-mail row lost or duplicated, every token of a logged-out session gone, and the server's heap
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
const deadline = Date.now() + seconds * 1000
await Promise.all(
  users.map(async (user, worker) => {
    let round = 0
    while (Date.now() < deadline) {
      round += 1
      const useJwt = round % 3 === 0
      const headers = useJwt ? { 'x-rest-auth-cookieless': '1' } : undefined
      if (useJwt) {
        await app.payload.updateGlobal({ data: { useJwt: true } as never, slug: 'rest-auth-settings' as never }).catch(() => undefined)
      }
      const login = await call(`${app.url}/login/`, 'POST', { body: { password: PASSWORD, username: user.username }, headers })
      if (!check(login, 200, 'login')) continue
      counts.logins += 1
      const auth = login.body.key ? { authorization: `Token ${login.body.key}` } : { authorization: `Bearer ${login.body.access}` }
      check(await call(`${app.url}/user/`, 'GET', { headers: auth }), 200, 'GET user/')
      if (check(await call(`${app.url}/user/`, 'PATCH', { body: { first_name: `w${worker}r${round}` }, headers: auth }), 200, 'PATCH user/')) {
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
      const logout = await call(`${app.url}/logout/`, 'POST', { body: refresh ? { refresh } : {}, headers: auth })
      if (check(logout, 200, 'logout/')) counts.logouts += 1
    }
  }),
)
const heapAfter = heapMb()

const tokensLeft = (await app.payload.count({ collection: 'auth-tokens' as never, where: { kind: { equals: 'token' } } })).totalDocs
const userCount = (await app.payload.count({ collection: 'users' })).totalDocs
const emailCount = (await app.payload.count({ collection: 'email-addresses' as never })).totalDocs
const names = await app.payload.find({ collection: 'users', limit: workers, sort: 'username' })
await app.close()

console.log(`\nsoak: ${workers} workers, ${seconds} s, ${db}`)
console.log(`requests ${counts.requests}, errors ${counts.errors}, logins ${counts.logins}, PATCHes ${counts.patches}, refreshes ${counts.refreshes}, logouts ${counts.logouts}`)
console.log(`rows: users ${userCount} (expected ${workers}), e-mail addresses ${emailCount} (expected ${workers}), opaque tokens left ${tokensLeft} (expected 0)`)
console.log(`heap: ${heapBefore.toFixed(1)} MB before, ${heapAfter.toFixed(1)} MB after (${(heapAfter - heapBefore).toFixed(1)} MB)`)
console.log(`last first_names: ${names.docs.map((u) => (u as { first_name?: string }).first_name).join(', ')}`)
failures.forEach((f) => console.log(`  failure: ${f}`))
const isConsistent = userCount === workers && emailCount === workers && tokensLeft === 0 && counts.errors === 0
console.log(isConsistent ? 'soak: consistent' : 'soak: INCONSISTENT')
process.exit(isConsistent ? 0 : 1)
