// IdP CPU per request to Authsignal, by client, side by side in one run: the official SDK's validateChallenge
// over axios's own HTTP adapter (what @authsignal/node does by itself), the same over our transport
// (fastify-passkey-core's authsignalTransport, what createAuthsignalClient sets), and the login page's prepared
// options request over fetch (what prepare-sign-in.ts used) and over sendHttp (what it uses). The answering
// server runs in another process; rounds are interleaved; medians of µs of CPU per call (user + system).
//
//   npx tsx bench/authsignal-transport.ts        (ROUNDS=7, CALLS=300 per round and client)
import { Authsignal } from '@authsignal/node'
import { fork } from 'node:child_process'
import { createServer } from 'node:http'
import { authsignalTransport, createAuthsignalClient, sendHttp } from 'fastify-passkey-core'

if (process.env.BENCH_SERVER === '1') {
  const validated = JSON.stringify({ isValid: true, state: 'CHALLENGE_SUCCEEDED', actionCode: 'signInWithPasskey', verificationMethod: 'PASSKEY', userId: 'alice', stateUpdatedAt: new Date().toISOString(), idempotencyKey: 'k'.repeat(36), user: { userId: 'alice' } })
  const challenge = JSON.stringify({ challengeId: 'c'.repeat(36) })
  const listening = createServer((request, response) => {
    request.resume()
    request.on('end', () => {
      const body = request.url?.endsWith('/validate') === true ? validated : challenge
      response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) }).end(body)
    })
  }).listen(0, '127.0.0.1', () => { process.send?.((listening.address() as { port: number }).port) })
  process.on('disconnect', () => { process.exit(0) })
} else {

const ROUNDS = Number(process.env.ROUNDS ?? 7)
const CALLS = Number(process.env.CALLS ?? 300)
const median = (xs: number[]): number => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)] ?? Number.NaN }

// An Authsignal-shaped server in a process of its own: /validate answers a successful passkey challenge,
// /client/challenge a challenge id.
const server = fork(new URL(import.meta.url).pathname, [], { env: { ...process.env, BENCH_SERVER: '1' }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
const port = await new Promise<number>(resolve => server.once('message', message => { resolve(message as number) }))
const apiUrl = `http://127.0.0.1:${port}/v1`
const token = `${'e'.repeat(36)}.${'p'.repeat(300)}.${'s'.repeat(43)}`

const sdkOverAxios = new Authsignal({ apiSecretKey: 'bench-secret', apiUrl, retries: 0 })
const ours = createAuthsignalClient({ secret: 'bench-secret', apiUrl })
if ((ours as unknown as { getRequestConfig: () => { adapter?: unknown } }).getRequestConfig().adapter !== authsignalTransport) throw new Error('createAuthsignalClient did not set the transport')
const tenantHeaders = { 'content-type': 'application/json', authorization: `Basic ${Buffer.from('bench-tenant').toString('base64')}` }
const clients: Record<string, () => Promise<unknown>> = {
  'SDK validateChallenge, axios HTTP adapter': async () => await sdkOverAxios.validateChallenge({ token, action: 'signInWithPasskey' }),
  'SDK validateChallenge, our transport': async () => await ours.validateChallenge({ token, action: 'signInWithPasskey' }),
  'prepared options request, fetch': async () => await (await fetch(`${apiUrl}/client/challenge`, { method: 'POST', headers: tenantHeaders, body: '{"action":"signInWithPasskey"}', redirect: 'error' })).json(),
  'prepared options request, sendHttp': async () => JSON.parse((await sendHttp({ url: new URL(`${apiUrl}/client/challenge`), method: 'POST', headers: tenantHeaders, body: '{"action":"signInWithPasskey"}', timeoutMs: 0, maxBytes: 16_384 })).body)
}
const cpu: Record<string, number[]> = {}
// Warm-up, not counted: each client's code compiled and its connection open.
for (const call of Object.values(clients)) for (let i = 0; i < CALLS; i++) await call()
for (let round = 0; round < ROUNDS; round++) {
  const names = Object.keys(clients)
  for (const name of [...names.slice(round % names.length), ...names.slice(0, round % names.length)]) {
    const call = clients[name] as () => Promise<unknown>
    const before = process.cpuUsage()
    for (let i = 0; i < CALLS; i++) await call()
    const used = process.cpuUsage(before)
    ;(cpu[name] ??= []).push((used.user + used.system) / CALLS)
  }
}
server.kill()
const base = median(cpu['SDK validateChallenge, axios HTTP adapter'] ?? [])
const fetchBase = median(cpu['prepared options request, fetch'] ?? [])
console.log(`client CPU per request to Authsignal (µs, median of ${ROUNDS} interleaved rounds of ${CALLS}):`)
for (const [name, xs] of Object.entries(cpu)) {
  const against = name.startsWith('SDK') ? base : fetchBase
  console.log(`  ${name.padEnd(44)} ${median(xs).toFixed(0).padStart(6)} µs   ×${(median(xs) / against).toFixed(2)}   (rounds: ${xs.map(x => x.toFixed(0)).join(', ')})`)
}
}
