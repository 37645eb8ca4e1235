// `npm start` itself, as a user runs it: the three servers come up on the ports given, the URLs and demo
// accounts are printed, every server answers, and Ctrl-C (SIGINT) or SIGTERM stops them all with exit
// code 0. With AUTHSIGNAL_SECRET set it starts no emulator and uses the Authsignal it is given.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { freePort, startEmulator } from './fixtures/emulator.js'
import { HttpSession } from './fixtures/http-session.js'

const ROOT = join(import.meta.dirname, '..')
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx')

interface Started {
  child: ChildProcess
  output: () => string
  exited: Promise<number | null>
}

/**
 * Runs what `npm start` runs (asserted below), without npm in between, whose own handling of Ctrl-C
 * would decide the exit code instead of ours. Killed in teardown if still running.
 */
function runStart (t: Test, env: NodeJS.ProcessEnv): Started {
  const child = spawn(TSX, ['servers/start.ts'], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  t.teardown(() => { if (child.exitCode == null && child.signalCode == null) child.kill('SIGKILL') })
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => { output += chunk.toString() })
  child.stderr?.on('data', (chunk: Buffer) => { output += chunk.toString() })
  const exited = new Promise<number | null>(resolve => child.on('exit', code => { resolve(code) }))
  return { child, output: () => output, exited }
}

/** Waits for the "running" banner; fails the test with the output when the script ends or hangs instead. */
async function untilUp (t: Test, started: Started): Promise<boolean> {
  const deadline = Date.now() + 60_000
  while (!started.output().includes('Press Ctrl-C to stop.')) {
    if (started.child.exitCode != null || Date.now() > deadline) {
      t.fail(`npm start did not come up:\n${started.output()}`)
      return false
    }
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  return true
}

async function refused (url: string): Promise<boolean> {
  return await fetch(url).then(() => false, () => true)
}

t.test('the start script: emulator, IdP and app up, URLs printed, a clean stop on SIGINT', async t => {
  const [idp, app, emulator] = [await freePort(), await freePort(), await freePort()]
  const dataDir = await mkdtemp(join(tmpdir(), 'start-test-'))
  t.teardown(() => rm(dataDir, { recursive: true, force: true }))
  const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
  t.equal(pkg.scripts.start, 'tsx servers/start.ts')
  t.equal(pkg.scripts.app, 'tsx servers/client/server.ts')
  const started = runStart(t, {
    IDP_PORT: String(idp),
    APP_PORT: String(app),
    EMULATOR_PORT: String(emulator),
    EMULATOR_DATA_FILE: join(dataDir, 'state.json'),
    // The out-of-the-box demo, whatever this machine's environment says (undefined = not passed on).
    AUTHSIGNAL_SECRET: undefined,
    AUTHSIGNAL_TENANT_ID: undefined,
    AUTHSIGNAL_API_URL: undefined
  })
  if (!await untilUp(t, started)) return
  const output = started.output()
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

  started.child.kill('SIGINT')
  t.equal(await started.exited, 0, 'exit code 0')
  t.match(started.output(), 'start: stopped')
  t.ok(await refused(`http://localhost:${app}/`), 'the app port is free')
  t.ok(await refused(`http://localhost:${idp}/`), 'the IdP port is free')
  t.ok(await refused(`http://localhost:${emulator}/__emulator/health`), 'the emulator port is free')
})

t.test('with AUTHSIGNAL_SECRET: no emulator, the IdP and the app use the Authsignal given; SIGTERM stops cleanly', async t => {
  const [idp, app, unused] = [await freePort(), await freePort(), await freePort()]
  // A server that is not the demo's own stands in for the real Authsignal.
  const authsignal = await startEmulator(t, { expectedOrigins: [`http://localhost:${idp}`, `http://localhost:${app}`] })
  const started = runStart(t, {
    IDP_PORT: String(idp),
    APP_PORT: String(app),
    EMULATOR_PORT: String(unused),
    AUTHSIGNAL_SECRET: authsignal.secret,
    AUTHSIGNAL_TENANT_ID: authsignal.tenantId,
    AUTHSIGNAL_API_URL: authsignal.apiUrl
  })
  if (!await untilUp(t, started)) return
  t.match(started.output(), `Authsignal  ${authsignal.apiUrl}   (Authsignal, tenant ${authsignal.tenantId})`)
  t.ok(await refused(`http://localhost:${unused}/__emulator/health`), 'no emulator started')

  // The browser SDK is pointed there too: the app's pages may connect to it.
  const home = await fetch(`http://localhost:${app}/`)
  t.match(home.headers.get('content-security-policy'), `connect-src 'self' ${authsignal.origin}`)
  // A password sign-in at the IdP tracks at that Authsignal, and sends the browser to its hosted page.
  const session = new HttpSession()
  const loginPage = await session.follow(`http://localhost:${app}/login`)
  const uid = /\/interaction\/([\w-]+)$/.exec(new URL(loginPage.response.url).pathname)?.[1]
  t.ok(uid, `the IdP's login page (${loginPage.response.url})`)
  const before = authsignal.ctx.requests.length
  const posted = await session.postForm(`http://localhost:${idp}/interaction/${uid ?? ''}/login`, { username: 'alice', password: 'alice' })
  t.equal(posted.status, 303)
  t.equal(new URL(posted.location ?? 'about:blank').origin, authsignal.origin, 'on to the hosted page of the Authsignal given')
  t.same(authsignal.ctx.requests.slice(before).map(r => `${r.method} ${r.path}`), ['POST /v1/users/alice/actions/signIn'])

  started.child.kill('SIGTERM')
  t.equal(await started.exited, 0, 'exit code 0')
  t.match(started.output(), 'start: SIGTERM, stopping')
  t.ok(await refused(`http://localhost:${app}/`), 'the app port is free')
  t.ok(await refused(`http://localhost:${idp}/`), 'the IdP port is free')
})

t.test('the start script refuses a bad setting, naming it', async t => {
  const authsignal = { AUTHSIGNAL_SECRET: 'a-real-secret', AUTHSIGNAL_TENANT_ID: 'tenant', AUTHSIGNAL_API_URL: 'https://api.authsignal.com/v1' }
  const cases: Array<[NodeJS.ProcessEnv, RegExp]> = [
    [{ IDP_PORT: 'not-a-port' }, /configuration error: IDP_PORT must be a port number/],
    [{ ...authsignal, AUTHSIGNAL_TENANT_ID: '' }, /configuration error: AUTHSIGNAL_TENANT_ID must be set with AUTHSIGNAL_SECRET/],
    [{ ...authsignal, AUTHSIGNAL_API_URL: '' }, /configuration error: AUTHSIGNAL_API_URL must be set with AUTHSIGNAL_SECRET/]
  ]
  for (const [env, message] of cases) {
    const started = runStart(t, env)
    t.not(await started.exited, 0, `${Object.keys(env).join(', ')}: refused`)
    t.match(started.output(), message)
    t.notMatch(started.output(), /Press Ctrl-C|\n\s+at /, 'nothing started, no stack trace')
  }
})
