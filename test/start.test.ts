// `npm start` itself, as a user runs it: the three servers come up on the ports given, the URLs and demo
// accounts are printed, every server answers, and Ctrl-C (SIGINT) stops them all with exit code 0.
import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { freePort } from './fixtures/emulator.js'

const ROOT = join(import.meta.dirname, '..')
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx')

// What `npm start` runs (asserted below); spawned without npm in between, whose own handling of
// Ctrl-C would decide the exit code instead of ours.
const startCommand = (): [string, string[]] => [TSX, ['servers/start.ts']]

async function refused (url: string): Promise<boolean> {
  return await fetch(url).then(() => false, () => true)
}

t.test('the start script: emulator, IdP and app up, URLs printed, a clean stop on SIGINT', async t => {
  const [idp, app, emulator] = [await freePort(), await freePort(), await freePort()]
  const dataDir = await mkdtemp(join(tmpdir(), 'start-test-'))
  t.teardown(() => rm(dataDir, { recursive: true, force: true }))
  const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
  t.equal(pkg.scripts.start, 'tsx servers/start.ts')
  const [command, args] = startCommand()
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, IDP_PORT: String(idp), APP_PORT: String(app), EMULATOR_PORT: String(emulator), EMULATOR_DATA_FILE: join(dataDir, 'state.json') },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  t.teardown(() => { if (child.exitCode == null) child.kill('SIGKILL') })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString() })
  child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString() })
  const exited = new Promise<number | null>(resolve => child.on('exit', code => { resolve(code) }))

  const deadline = Date.now() + 60_000
  while (!output.includes('Press Ctrl-C to stop.')) {
    if (child.exitCode != null || Date.now() > deadline) t.fail(`npm start did not come up:\n${output}`)
    if (child.exitCode != null || Date.now() > deadline) return
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  t.match(output, `App         http://localhost:${app}`)
  t.match(output, `IdP         http://localhost:${idp}`)
  t.match(output, `Authsignal  http://localhost:${emulator}/v1`)
  t.match(output, 'alice / alice, bob / bob')

  t.equal((await fetch(`http://localhost:${app}/`)).status, 200)
  const discovery = await (await fetch(`http://localhost:${idp}/.well-known/openid-configuration`)).json() as { issuer: string }
  t.equal(discovery.issuer, `http://localhost:${idp}`)
  t.equal((await fetch(`http://localhost:${emulator}/__emulator/health`)).status, 200)
  // The app signs in through this IdP, and the IdP through this emulator.
  const login = await fetch(`http://localhost:${app}/login`, { redirect: 'manual' })
  t.match(login.headers.get('location'), `http://localhost:${idp}/oidc/auth?`)

  child.kill('SIGINT')
  t.equal(await exited, 0, 'exit code 0')
  t.match(output, 'start: stopped')
  t.ok(await refused(`http://localhost:${app}/`), 'the app port is free')
  t.ok(await refused(`http://localhost:${idp}/`), 'the IdP port is free')
  t.ok(await refused(`http://localhost:${emulator}/__emulator/health`), 'the emulator port is free')
})

t.test('the start script refuses a bad setting, naming it', async t => {
  const [command, args] = startCommand()
  const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, IDP_PORT: 'not-a-port' }, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString() })
  child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString() })
  const code = await new Promise<number | null>(resolve => child.on('exit', resolve))
  t.not(code, 0)
  t.match(output, /configuration error: IDP_PORT must be a port number/)
})
