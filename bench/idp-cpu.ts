// IdP CPU per complete passkey sign-in (authorization request, interaction, passkey token, resume, code
// exchange with ID-token checks), side by side in one run, interleaved: a bare oidc-provider with the same
// configuration whose interaction finishes at once (the floor), our IdP in memory, our IdP in memory with
// the login page prepared (`prepareSignIn`, the demo's default: two more requests to Authsignal per page),
// and our IdP on Redis. Each IdP runs in a process of its own, whose CPU time is read before and after each
// batch; passkey tokens are made beforehand, and the local Authsignal server runs here, so neither counts.
// Also: Redis commands per sign-in (INFO commandstats).
//
//   npx tsx bench/idp-cpu.ts        (ROUNDS=11, SIGNINS=20 per batch)
//   BY_ROUTE=1 npx tsx bench/idp-cpu.ts   (also IdP CPU per request, by route; the measuring costs some CPU itself)
//   CPU_PROF=/tmp/prof npx tsx bench/idp-cpu.ts   (also writes V8 CPU profiles there, a folder per IdP: where the time goes)
// Attribution runs, never figures to quote (they change what our IdPs do):
//   VALIDATE_FROM_MEMORY=1      the SDK's /validate call answered in memory: how much of the gap that one
//                               exchange with Authsignal is
//   VALIDATE_OVER_NODE_HTTP=1   the same /validate request over a plain node:http request instead of the SDK
//                               (axios and its interceptors): what the SDK's request pipeline costs
//   OIDC_WITHOUT_FASTIFY=1      oidc-provider's own requests skip Fastify and the IdP's guards: what Fastify
//                               costs on them
import { fork, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { Redis } from 'ioredis'
import { generateDevSecrets } from '../servers/shared/dev-secrets.js'
import { freeLocalPort, startLocalRedis } from '../servers/shared/redis-server.js'
import { startEmulator } from '../test/fixtures/emulator.js'
import { HttpSession } from '../test/fixtures/http-session.js'
import { enrollPasskey, passkeySignIn } from '../test/fixtures/oidc-flows.js'
import { discover, finishAuthorization, startAuthorization } from '../test/fixtures/oidc-rp.js'

const ROUNDS = Number(process.env.ROUNDS ?? 11)
const SIGNINS = Number(process.env.SIGNINS ?? 20)
const median = (xs: number[]): number => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)] ?? Number.NaN }

type Variant = 'floor' | 'ours (memory)' | 'ours (prepared)' | 'ours (Redis)'
const client = { clientId: 'bench-rp', clientSecret: 'bench-rp-secret-0123456789abcdef', redirectUris: ['http://localhost:9/callback'], postLogoutRedirectUris: ['http://localhost:9/'] }

const cleanups: Array<() => Promise<unknown>> = []
try {
  const ports: Record<Variant, number> = { floor: await freeLocalPort(), 'ours (memory)': await freeLocalPort(), 'ours (prepared)': await freeLocalPort(), 'ours (Redis)': await freeLocalPort() }
  const origins = Object.fromEntries(Object.entries(ports).map(([v, p]) => [v, `http://localhost:${p}`])) as Record<Variant, string>
  const emulator = await startEmulator({ teardown: fn => { cleanups.push(async () => { await fn() }) } }, { secret: 'bench-emulator-secret', tenantId: 'bench', expectedOrigins: Object.values(origins), logger: false })
  const redis = await startLocalRedis()
  cleanups.push(redis.stop)
  const secrets = await generateDevSecrets()
  const children = new Map<Variant, ChildProcess>()
  for (const variant of Object.keys(ports) as Variant[]) {
    const child = fork(join(import.meta.dirname, 'idp-instance.ts'), [], {
      execArgv: ['--import', 'tsx', ...(process.env.CPU_PROF != null ? ['--cpu-prof', '--cpu-prof-dir', join(process.env.CPU_PROF, variant.replace(/\W+/g, '-'))] : [])],
      stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
      env: {
        ...process.env,
        VARIANT: variant === 'floor' ? 'floor' : 'ours',
        ISSUER: origins[variant],
        CLIENT_SECRET: client.clientSecret,
        JWKS: JSON.stringify(secrets.jwks),
        COOKIE_KEYS: secrets.idpCookieKeys.join(','),
        AUTHSIGNAL_SECRET: 'bench-emulator-secret',
        AUTHSIGNAL_TENANT_ID: 'bench',
        AUTHSIGNAL_API_URL: emulator.apiUrl,
        REDIS_URL: variant === 'ours (Redis)' ? redis.url : '',
        PREPARE_SIGN_IN: variant === 'ours (prepared)' ? '1' : '',
        OIDC_WITHOUT_FASTIFY: process.env.OIDC_WITHOUT_FASTIFY ?? '',
        NODE_ENV: 'development',
        BY_ROUTE: process.env.BY_ROUTE ?? '',
        VALIDATE_FROM_MEMORY: process.env.VALIDATE_FROM_MEMORY ?? '',
        VALIDATE_OVER_NODE_HTTP: process.env.VALIDATE_OVER_NODE_HTTP ?? ''
      }
    })
    // Asked to exit (rather than killed) so that a CPU profile is written.
    cleanups.push(async () => { const exited = new Promise(resolve => child.once('exit', resolve)); child.send('exit'); await Promise.race([exited, new Promise(resolve => setTimeout(resolve, 5000))]); child.kill('SIGTERM') })
    await new Promise<void>((resolve, reject) => {
      child.stdout?.on('data', (chunk: Buffer) => { if (chunk.toString().includes('ready')) resolve() })
      child.once('exit', code => { reject(new Error(`${variant} exited (${String(code)})`)) })
    })
    children.set(variant, child)
  }
  const cpu = async (variant: Variant): Promise<number> => await new Promise(resolve => {
    const child = children.get(variant)
    child?.once('message', usage => { const u = usage as NodeJS.CpuUsage; resolve(u.user + u.system) })
    child?.send('cpu')
  })
  const requests = async (variant: Variant): Promise<Record<string, number[]>> => await new Promise(resolve => {
    const child = children.get(variant)
    child?.once('message', byRoute => { resolve(byRoute as Record<string, number[]>) })
    child?.send('requests')
  })
  const commands = new Redis(redis.url)
  cleanups.push(async () => { commands.disconnect() })
  const callsByCommand = async (): Promise<Map<string, number>> =>
    new Map([...(await commands.info('commandstats')).matchAll(/^cmdstat_(\w+):calls=(\d+)/gm)].filter(m => m[1] !== 'info').map(m => [String(m[1]), Number(m[2])]))
  const totalCalls = async (): Promise<number> => [...(await callsByCommand()).values()].reduce((sum, n) => sum + n, 0)

  const passkey = await enrollPasskey(emulator, 'alice', origins['ours (memory)'])
  const configs = new Map<Variant, Awaited<ReturnType<typeof discover>>>()
  for (const variant of Object.keys(ports) as Variant[]) configs.set(variant, await discover({ issuer: origins[variant] }, client as never))

  async function signIn (variant: Variant, token: string | undefined): Promise<void> {
    const session = new HttpSession()
    const config = configs.get(variant) as Awaited<ReturnType<typeof discover>>
    const pending = await startAuthorization(config, client.redirectUris[0] ?? '')
    let result = await session.follow(pending.url, { stopAt: url => url.pathname === '/callback' })
    if (result.stoppedAt == null) {
      // Our login page: the passkey form posts the token the elements would submit.
      const uid = /\/interaction\/([\w-]+)$/.exec(result.response.url)?.[1]
      if ((variant === 'ours (prepared)') !== result.response.body.includes('prepared-options=')) throw new Error(`${variant}: the login page ${variant === 'ours (prepared)' ? 'lacks' : 'carries'} prepared options`)
      const posted = await session.postForm(`${origins[variant]}/interaction/${uid ?? ''}/passkey`, { token: token ?? '' })
      result = await session.follow(posted, { stopAt: url => url.pathname === '/callback' })
    }
    if (result.stoppedAt == null) throw new Error(`${variant}: the sign-in ended at ${result.response.status} ${result.response.url}`)
    const { claims } = await finishAuthorization(config, result.stoppedAt, pending)
    if (claims.sub !== 'alice') throw new Error(`${variant}: signed in as ${claims.sub}`)
  }

  const rates: Record<Variant, number[]> = { floor: [], 'ours (memory)': [], 'ours (prepared)': [], 'ours (Redis)': [] }
  const redisPerSignIn: number[] = []
  const order = Object.keys(ports) as Variant[]
  // Warm-up: one batch each, not counted.
  for (const variant of order) {
    for (let i = 0; i < 5; i++) await signIn(variant, variant === 'floor' ? undefined : await passkeySignIn(emulator, passkey))
    await requests(variant)
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const variant of [...order.slice(round % order.length), ...order.slice(0, round % order.length)]) {
      const tokens = variant === 'floor' ? [] : await Promise.all(Array.from({ length: SIGNINS }, async () => await passkeySignIn(emulator, passkey)))
      const calls0 = await totalCalls()
      const cpu0 = await cpu(variant)
      for (let i = 0; i < SIGNINS; i++) await signIn(variant, tokens[i])
      const cpuSeconds = (await cpu(variant) - cpu0) / 1e6
      rates[variant].push(SIGNINS / cpuSeconds)
      if (variant === 'ours (Redis)') redisPerSignIn.push(((await totalCalls()) - calls0) / SIGNINS)
    }
  }
  // One more sign-in on Redis, command by command.
  const before = await callsByCommand()
  await signIn('ours (Redis)', await passkeySignIn(emulator, passkey))
  const after = await callsByCommand()
  const perCommand = [...after].map(([name, n]) => [name, n - (before.get(name) ?? 0)] as const).filter(([, n]) => n > 0)
  // The ratio is taken within each round (the batches run back to back), then its median: a machine whose
  // speed drifts between rounds moves them all alike.
  if (process.env.VALIDATE_FROM_MEMORY === '1') console.log('ATTRIBUTION RUN: our IdPs answered /validate in memory (not a real sign-in cost)')
  if (process.env.OIDC_WITHOUT_FASTIFY === '1') console.log('ATTRIBUTION RUN: oidc-provider\'s own requests skipped Fastify and the IdP\'s guards in our IdPs (not the product\'s path)')
  if (process.env.VALIDATE_OVER_NODE_HTTP === '1') console.log('ATTRIBUTION RUN: our IdPs sent /validate over node:http, not the SDK\'s axios (not the product\'s path)')
  console.log(`passkey sign-ins per IdP CPU-second (${ROUNDS} interleaved rounds of ${SIGNINS}; medians), and CPU per sign-in against the floor (median of the rounds' ratios):`)
  for (const [variant, xs] of Object.entries(rates)) {
    const ratios = xs.map((x, round) => (rates.floor[round] ?? Number.NaN) / x)
    console.log(`  ${variant.padEnd(14)} ${median(xs).toFixed(0).padStart(5)} /s   ×${median(ratios).toFixed(2)} the floor   (rounds: ${xs.map(x => x.toFixed(0)).join(', ')}; ratios: ${ratios.map(r => r.toFixed(2)).join(', ')})`)
  }
  if (process.env.BY_ROUTE != null) console.log('IdP CPU per request of a sign-in, by route (µs, medians over every measured sign-in):')
  const perRoute = new Map<Variant, Record<string, number[]>>()
  for (const variant of order) perRoute.set(variant, await requests(variant))
  const routes = process.env.BY_ROUTE == null ? [] : [...new Set(order.flatMap(variant => Object.keys(perRoute.get(variant) ?? {})))]
  if (routes.length > 0) console.log(`  ${'route'.padEnd(36)}${order.map(v => v.padStart(16)).join('')}`)
  const sums = new Map<Variant, number>()
  for (const route of routes) {
    const cells = order.map(variant => {
      const xs = perRoute.get(variant)?.[route]
      if (xs == null) return '—'.padStart(16)
      const perSignIn = median(xs) * xs.length / (ROUNDS * SIGNINS + (variant === 'ours (Redis)' ? 1 : 0))
      sums.set(variant, (sums.get(variant) ?? 0) + perSignIn)
      return `${median(xs).toFixed(0)} ×${(xs.length / (ROUNDS * SIGNINS)).toFixed(1)}`.padStart(16)
    })
    console.log(`  ${route.padEnd(36)}${cells.join('')}`)
  }
  if (routes.length > 0) console.log(`  ${'sum per sign-in (between requests excluded)'.padEnd(36)}${order.map(v => `${(sums.get(v) ?? 0).toFixed(0)}`.padStart(16)).join('')}`)
  console.log(`Redis commands per sign-in (ours, Redis): median ${median(redisPerSignIn).toFixed(1)} (rounds: ${redisPerSignIn.map(x => x.toFixed(1)).join(', ')}); one sign-in: ${perCommand.map(([name, n]) => `${name} ${n}`).join(', ')}`)
} finally {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {})
}
