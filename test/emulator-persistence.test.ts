// The emulator's state file and its start-up: a restart with the same file loses nothing (an enrolled
// passkey still signs in, actions still validate), writes are atomic, a corrupt file stops the start with
// a clear message, and configuration from the environment names the variable that is wrong.
import { spawn } from 'node:child_process'
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { build } from '../servers/authsignal-emulator/dist/app.js'
import { ConfigError, emulatorConfigFromEnv } from '../servers/authsignal-emulator/dist/config.js'
import { EmulatorStore } from '../servers/authsignal-emulator/dist/store.js'
import { freePort, startEmulator, TEST_SECRET, TEST_TENANT } from './fixtures/emulator.js'
import { registerPasskey, signInWithPasskey, SoftwareAuthenticator } from './fixtures/software-authenticator.js'

const ROOT = join(import.meta.dirname, '..')

async function tempDir (t: { teardown: (fn: () => unknown) => void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'emulator-data-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  return dir
}

t.test('a restart with the same data file keeps users, passkeys and actions: the passkey still signs in', async t => {
  const dataFile = join(await tempDir(t), 'nested', 'state.json')
  const authenticator = new SoftwareAuthenticator('http://localhost:5001')

  const first = await startEmulator(t, { dataFile })
  const { token, idempotencyKey } = await first.serverClient().track({ userId: 'alice', action: 'add-passkey', attributes: { username: 'alice', scope: 'add:authenticators' } })
  t.equal((await registerPasskey(first, authenticator, token!)).status, 200)
  const signedIn = await signInWithPasskey(first, authenticator, { action: 'signInWithPasskey' })
  t.equal(signedIn.status, 200)
  await first.stop()
  t.equal(((await stat(dataFile)).mode & 0o777), 0o600, 'the state file is private')

  const second = await startEmulator(t, { dataFile })
  const client = second.serverClient()
  t.equal((await client.getUser({ userId: 'alice' })).username, 'alice')
  t.equal((await client.getAuthenticators({ userId: 'alice' })).length, 1)
  // Tokens issued before the restart still validate against the recorded actions.
  t.equal((await client.validateChallenge({ token: signedIn.body.accessToken })).state, 'CHALLENGE_SUCCEEDED')
  t.equal((await client.getAction({ userId: 'alice', action: 'add-passkey', idempotencyKey: idempotencyKey! }))?.state, 'CHALLENGE_SUCCEEDED')
  // The passkey signs in again, and its counter carried over (a replayed lower counter is refused).
  const again = await signInWithPasskey(second, authenticator, { action: 'signInWithPasskey' })
  t.equal(again.status, 200)
  t.equal((await client.validateChallenge({ token: again.body.accessToken })).userId, 'alice')
  t.equal((await signInWithPasskey(second, authenticator, {}, { counter: 1 })).status, 400)

  t.same((await readdir(join(dataFile, '..'))).filter(name => name.endsWith('.tmp')), [], 'no temporary file is left behind')
})

t.test('concurrent changes are all saved (writes are serialised and coalesced)', async t => {
  const dataFile = join(await tempDir(t), 'state.json')
  const emulator = await startEmulator(t, { dataFile })
  const client = emulator.serverClient()
  await Promise.all(Array.from({ length: 25 }, async (_, i) => await client.track({ userId: `user${i}`, action: 'signIn' })))
  const saved = JSON.parse(await readFile(dataFile, 'utf8'))
  t.equal(saved.users.length, 25)
  t.equal(saved.actions.length, 25)
  const reloaded = new EmulatorStore(dataFile)
  t.equal(reloaded.users.size, 25)
})

t.test('a corrupt or foreign data file stops the start with a message naming the file', async t => {
  const dir = await tempDir(t)
  const corrupt = join(dir, 'corrupt.json')
  await writeFile(corrupt, '{"version": 1, "users": [')
  await t.rejects(build({ secret: TEST_SECRET, tenantId: TEST_TENANT, dataFile: corrupt }), new RegExp(`${corrupt.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not valid JSON`))
  const future = join(dir, 'future.json')
  await writeFile(future, '{"version": 2}')
  await t.rejects(build({ secret: TEST_SECRET, tenantId: TEST_TENANT, dataFile: future }), new RegExp(`${future.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} has unknown version 2`))
  t.equal(await readFile(corrupt, 'utf8'), '{"version": 1, "users": [', 'the file is left as it was')
})

t.test('configuration from the environment: defaults, and errors that name the variable', async t => {
  const defaults = emulatorConfigFromEnv({})
  t.equal(defaults.port, 5003)
  t.equal(defaults.rpId, 'localhost')
  t.same(defaults.expectedOrigins, ['http://localhost:5001', 'http://localhost:5002'])
  t.equal(defaults.publicUrl, undefined, 'http://<host>:<port> once listening')
  t.equal(defaults.dataFile, ':memory:', 'nothing is written unless a data file is named')
  t.equal(emulatorConfigFromEnv({ EMULATOR_PUBLIC_URL: 'https://as.example/' }).publicUrl, 'https://as.example')

  const bad: Array<[NodeJS.ProcessEnv, string]> = [
    [{ EMULATOR_PORT: 'abc' }, 'EMULATOR_PORT'],
    [{ EMULATOR_PORT: '70000' }, 'EMULATOR_PORT'],
    [{ AUTHSIGNAL_SECRET: 'short' }, 'AUTHSIGNAL_SECRET'],
    [{ AUTHSIGNAL_TENANT_ID: 'has space' }, 'AUTHSIGNAL_TENANT_ID'],
    [{ EMULATOR_EXPECTED_ORIGINS: 'not a url' }, 'EMULATOR_EXPECTED_ORIGINS'],
    [{ EMULATOR_EXPECTED_ORIGINS: 'http://localhost:5001/path' }, 'EMULATOR_EXPECTED_ORIGINS'],
    [{ EMULATOR_USER_VERIFICATION: 'sometimes' }, 'EMULATOR_USER_VERIFICATION'],
    [{ EMULATOR_TOKEN_TTL: '1' }, 'EMULATOR_TOKEN_TTL'],
    [{ NODE_ENV: 'production' }, 'AUTHSIGNAL_SECRET']
  ]
  for (const [env, variable] of bad) {
    let error: unknown
    try { emulatorConfigFromEnv(env) } catch (e) { error = e }
    t.ok(error instanceof ConfigError, `${JSON.stringify(env)} is a configuration error`)
    t.match((error as Error).message, new RegExp(`^${variable} `), `${JSON.stringify(env)} names ${variable}`)
  }
})

/** Runs the emulator's entry point; answers its exit code and output. */
async function runEntry (env: NodeJS.ProcessEnv, whenReady?: (output: string) => Promise<void>): Promise<{ code: number | null, output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'servers/authsignal-emulator/dist/bin.js'], {
    cwd: ROOT, env: { ...process.env, EMULATOR_LOG: 'off', ...env }, stdio: ['ignore', 'pipe', 'pipe']
  })
  let output = ''
  let ready = false
  return await new Promise((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString()
      if (!ready && whenReady != null && output.includes('/v1')) {
        ready = true
        whenReady(output).then(() => child.kill('SIGTERM'), reject)
      }
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    child.on('exit', code => { resolve({ code, output }) })
  })
}

t.test('the entry point: a bad variable exits 1 naming it; a good start answers and stops cleanly on SIGTERM', async t => {
  const failed = await runEntry({ EMULATOR_PORT: 'abc' })
  t.equal(failed.code, 1)
  t.match(failed.output, /configuration error: EMULATOR_PORT must be an integer/)

  const dir = await tempDir(t)
  const corrupt = join(dir, 'corrupt.json')
  await writeFile(corrupt, 'not json')
  const refused = await runEntry({ EMULATOR_PORT: String(await freePort()), EMULATOR_DATA_FILE: corrupt })
  t.equal(refused.code, 1)
  t.match(refused.output, /cannot start: emulator data file .*corrupt\.json is not valid JSON/)
  t.notMatch(refused.output, /\n\s+at /, 'no stack trace')

  const port = await freePort()
  const dataFile = join(dir, 'state.json')
  let health: unknown
  const started = await runEntry({ EMULATOR_PORT: String(port), EMULATOR_DATA_FILE: dataFile }, async () => {
    health = await (await fetch(`http://localhost:${port}/__emulator/health`)).json()
  })
  t.equal(started.code, 0)
  t.match(started.output, `http://localhost:${port}/v1`)
  t.same(health, { ok: true, tenantId: 'dev-tenant' })
})
