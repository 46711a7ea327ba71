import autocannon from 'autocannon'

/** One thing to load: a URL, its method, headers and body. */
export type Target = {
  /** A fixed body, or one per request (the request's number in the run). */
  body?: ((i: number) => unknown) | unknown
  /** Overrides the run's connections (e.g. one client, as an attacker probing one address at a time). */
  connections?: number
  headers?: Record<string, string>
  method?: 'GET' | 'POST'
  name: string
  url: string
}

export type Result = { mean: number; name: string; non2xx: number; p50: number; p99: number; rps: number }

/** autocannon against `target` for `duration` seconds with `connections` connections (the target's own, if it names them). */
export const load = (target: Target, { connections, duration }: { connections: number; duration: number }) => {
  let sent = 0
  const perRequest = typeof target.body === 'function' ? (target.body as (i: number) => unknown) : undefined
  return autocannon({
    body: target.body === undefined || perRequest ? undefined : JSON.stringify(target.body),
    requests: perRequest ? [{ setupRequest: (request) => ({ ...request, body: JSON.stringify(perRequest(sent++)) }) }] : undefined,
    connections: target.connections ?? connections,
    duration,
    headers: target.body === undefined ? target.headers : { 'content-type': 'application/json', ...target.headers },
    method: target.method ?? 'GET',
    url: target.url,
  })
}

export const measure = async (target: Target, options: { connections: number; duration: number }): Promise<Result> => {
  const result = await load(target, options)
  return {
    mean: result.latency.mean,
    name: target.name,
    non2xx: result.non2xx,
    p50: result.latency.p50,
    p99: result.latency.p99,
    rps: result.requests.average,
  }
}

/**
 * Completions per second of `task` kept `concurrency` times in flight, counted only after
 * `warmSeconds`: a task that takes seconds (a login, a password derivation) would otherwise be
 * undercounted by the time it takes to fill the pipeline. Both the login/ figure and the bare
 * derivation it is compared with are measured this way.
 */
export const steadyRate = async (
  task: () => Promise<unknown>,
  { concurrency, seconds, warmSeconds }: { concurrency: number; seconds: number; warmSeconds: number },
): Promise<{ failures: number; rate: number }> => {
  const started = Date.now()
  const from = started + warmSeconds * 1000
  const until = from + seconds * 1000
  let counted = 0
  let failures = 0
  const worker = async () => {
    while (Date.now() < until) {
      const ok = await task().then(
        () => true,
        () => false,
      )
      const now = Date.now()
      if (now >= from && now < until) {
        counted += ok ? 1 : 0
        failures += ok ? 0 : 1
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  return { failures, rate: counted / seconds }
}
