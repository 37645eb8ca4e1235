// The emulator against DNS rebinding (issue 12, finding 3) and against production use of public secrets
// (finding 4). A page on a domain that resolves to 127.0.0.1 reaches the server with its own name in
// `Host`: the server answers only the names it is configured for, with 421 and no effect otherwise. With
// NODE_ENV=production it refuses every published or weak secret, naming the setting.
import { spawn } from 'node:child_process'
import { request as httpRequest } from 'node:http'
import { join } from 'node:path'
import t from 'tap'
import { build } from '../servers/authsignal-emulator/dist/app.js'
import { ConfigError, emulatorConfigFromEnv, weakSecretReason } from '../servers/authsignal-emulator/dist/config.js'
import { start } from '../servers/authsignal-emulator/dist/index.js'
import { freePort, startEmulator, TEST_SECRET, TEST_TENANT } from './fixtures/emulator.js'

const ROOT = join(import.meta.dirname, '..')
const basic = (secret: string): string => `Basic ${Buffer.from(`${secret}:`).toString('base64')}`

/** An HTTP request to localhost:port carrying the given Host header (fetch may not set Host). */
async function withHost (port: number, host: string, method: string, path: string, init: { headers?: Record<string, string>, body?: string } = {}): Promise<{ status: number, headers: Record<string, string | string[] | undefined>, body: any }> {
  return await new Promise((resolve, reject) => {
    const req = httpRequest({ host: 'localhost', port, method, path, headers: { host, ...init.headers, ...(init.body != null ? { 'content-length': String(Buffer.byteLength(init.body)) } : {}) } }, res => {
      let text = ''
      res.on('data', (chunk: Buffer) => { text += chunk.toString() })
      res.on('end', () => {
        let body: unknown = text
        try { body = JSON.parse(text) } catch {}
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body })
      })
    })
    req.on('error', reject)
    req.end(init.body)
  })
}

t.test('a request for another host name is a 421 with a JSON error body and changes nothing', async t => {
  const emulator = await startEmulator(t)
  const port = Number(new URL(emulator.origin).port)
  const json = { 'content-type': 'application/json', authorization: basic(emulator.secret) }
  for (const host of ['rebind.attacker.example', `rebind.attacker.example:${port}`, `localhost.attacker.example:${port}`, `127.0.0.2.nip.io:${port}`, 'localhost:1', `[::2]:${port}`]) {
    const refused = await withHost(port, host, 'GET', '/__emulator/health')
    t.equal(refused.status, 421, `Host ${JSON.stringify(host)}`)
    t.match(refused.headers['content-type'], /^application\/json/)
    t.same(Object.keys(refused.body), ['error', 'errorCode', 'errorDescription'])
    t.equal(refused.body.errorCode, 'misdirected_request')
    t.match(refused.body.errorDescription, 'EMULATOR_ALLOWED_HOSTS')
  }
  // With the right secret, from the rebinding name: nothing is tracked, no fault is set, no CORS answer.
  const host = `rebind.attacker.example:${port}`
  t.equal((await withHost(port, host, 'POST', '/v1/users/alice/actions/signIn', { headers: json, body: '{}' })).status, 421)
  t.equal((await withHost(port, host, 'POST', '/__emulator/faults', { headers: json, body: '{"rules":[{"status":500}]}' })).status, 421)
  const preflight = await withHost(port, host, 'OPTIONS', '/v1/client/challenge', { headers: { origin: 'http://localhost:5001', 'access-control-request-method': 'POST' } })
  t.equal(preflight.status, 421)
  t.equal(preflight.headers['access-control-allow-origin'], undefined)
  t.equal((await withHost(port, host, 'GET', '/challenge?token=x')).status, 421, 'the hosted page too')
  t.equal(emulator.ctx.store.users.size, 0)
  t.equal(emulator.ctx.store.actions.size, 0)
  t.equal(emulator.ctx.faults.hits, 0)
  t.equal((await emulator.serverClient().getUser({ userId: 'alice' })).isEnrolled, false, 'no fault was set')

  // The names it is for: its public URL's, and the loopback names at its port.
  for (const ok of [`localhost:${port}`, `LOCALHOST:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`]) {
    t.equal((await withHost(port, ok, 'GET', '/__emulator/health')).status, 200, `Host ${ok}`)
  }
})

t.test('allowedHosts adds a proxy\'s name; start() on loopback behind a public URL answers both', async t => {
  const proxied = await startEmulator(t, { allowedHosts: ['auth.dev.example', 'other.example:8443'] })
  const port = Number(new URL(proxied.origin).port)
  t.equal((await withHost(port, 'auth.dev.example', 'GET', '/__emulator/health')).status, 200, 'a name without a port matches any port')
  t.equal((await withHost(port, 'auth.dev.example:443', 'GET', '/__emulator/health')).status, 200)
  t.equal((await withHost(port, 'other.example:8443', 'GET', '/__emulator/health')).status, 200)
  t.equal((await withHost(port, 'other.example:8444', 'GET', '/__emulator/health')).status, 421, 'a name with a port matches that port only')
  t.equal((await withHost(port, 'sub.auth.dev.example', 'GET', '/__emulator/health')).status, 421, 'no subdomains')

  const listenPort = await freePort()
  const running = await start({ secret: TEST_SECRET, tenantId: TEST_TENANT, port: listenPort, host: '127.0.0.1', publicUrl: 'https://authsignal.dev.example' })
  t.teardown(() => running.close())
  t.equal(running.url, 'https://authsignal.dev.example')
  const direct = async (host: string): Promise<number> => await new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: listenPort, path: '/__emulator/health', headers: { host } }, res => { res.resume(); resolve(res.statusCode ?? 0) })
    req.on('error', reject)
    req.end()
  })
  t.equal(await direct('authsignal.dev.example'), 200, 'the public URL\'s host')
  t.equal(await direct(`127.0.0.1:${listenPort}`), 200, 'loopback at the listening port')
  t.equal(await direct(`localhost:${listenPort}`), 200)
  t.equal(await direct('evil.example'), 421)

  await t.rejects(build({ secret: TEST_SECRET, tenantId: TEST_TENANT, allowedHosts: ['http://proxy.example/'] }), /allowedHosts entry "http:\/\/proxy.example\/"/)
})

t.test('EMULATOR_ALLOWED_HOSTS: read, and a bad entry named', async t => {
  t.same(emulatorConfigFromEnv({ EMULATOR_ALLOWED_HOSTS: 'auth.dev.example, proxy.example:8443' }).allowedHosts, ['auth.dev.example', 'proxy.example:8443'])
  t.same(emulatorConfigFromEnv({}).allowedHosts, [])
  t.throws(() => emulatorConfigFromEnv({ EMULATOR_ALLOWED_HOSTS: 'https://auth.dev.example' }), { name: 'ConfigError', message: /^EMULATOR_ALLOWED_HOSTS has an entry/ })
})

const STRONG = 'q8Z3vN0rT5yW2xK7mB4cF9hJ1sD6gL0p'

t.test('NODE_ENV=production refuses published and weak secrets, naming AUTHSIGNAL_SECRET', async t => {
  const refused = [
    'dev-only-emulator-secret', 'test-only-emulator-secret', 'your-secret', 'secret', 'YOUR_SECRET_KEY', '<your-secret>',
    'short-but-random-7Gq', 'a'.repeat(40), 'abababababababababababababababab'
  ]
  for (const value of refused) {
    let error: unknown
    try { emulatorConfigFromEnv({ NODE_ENV: 'production', AUTHSIGNAL_SECRET: value }) } catch (e) { error = e }
    t.ok(error instanceof ConfigError, `${JSON.stringify(value)} is refused`)
    t.match((error as Error).message, /^AUTHSIGNAL_SECRET /, 'the message names the setting')
    t.notMatch((error as Error).message, value, 'and does not repeat the secret')
  }
  t.equal(emulatorConfigFromEnv({ NODE_ENV: 'production', AUTHSIGNAL_SECRET: STRONG }).secret, STRONG)
  // Outside production the development defaults stay usable.
  t.equal(emulatorConfigFromEnv({ AUTHSIGNAL_SECRET: 'dev-only-emulator-secret' }).secret, 'dev-only-emulator-secret')
  t.equal(weakSecretReason(STRONG), null)
  t.match(weakSecretReason('dev-only-emulator-secret'), 'published')
})

t.test('build() under NODE_ENV=production refuses a weak secret option too', async t => {
  const saved = process.env.NODE_ENV
  process.env.NODE_ENV = 'production'
  t.teardown(() => { process.env.NODE_ENV = saved })
  await t.rejects(build({ secret: 'dev-only-emulator-secret', tenantId: TEST_TENANT }), /^emulator: secret is a published/)
  await t.rejects(build({ secret: 'x'.repeat(12) + 'Yz', tenantId: TEST_TENANT }), /secret is shorter than 32 characters/)
  const app = await build({ secret: STRONG, tenantId: TEST_TENANT })
  await app.close()
})

t.test('the entry point with NODE_ENV=production and the development secret exits 1 naming the setting', async t => {
  const child = spawn(process.execPath, ['servers/authsignal-emulator/dist/bin.js', '--port', String(await freePort())], {
    cwd: ROOT, env: { ...process.env, NODE_ENV: 'production', AUTHSIGNAL_SECRET: 'dev-only-emulator-secret', EMULATOR_LOG: 'off' }, stdio: ['ignore', 'pipe', 'pipe']
  })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString() })
  child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString() })
  const code = await new Promise(resolve => child.on('exit', resolve))
  t.equal(code, 1)
  t.match(output, /configuration error: AUTHSIGNAL_SECRET is a published development or example value/)
  t.notMatch(output, '/v1', 'it never started')
})
