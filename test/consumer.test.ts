// The packages as a user gets them. Every workspace package is packed (`npm pack`) and installed with npm
// alone into a new project outside the repository, as the READMEs' install lines say, with fastify at the
// lowest version of the plugins' peer range. Then, in plain `node` (no tsx):
// - the READMEs' code blocks (`idp.mjs`, `app.mjs`) run as pasted, against the packed local Authsignal
//   server's `bin`;
// - Chromium goes through the whole journey on them: password + authenticator app on the hosted page,
//   add a passkey, sign out, sign in with the button, sign out, sign in with autofill;
// - a TypeScript file using every export compiles with `tsc --strict` (nodenext and bundler);
// - CommonJS `require()` works (Node's require(esm)); `npm ls fastify` shows one copy.
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import t from 'tap'
import { totpCode } from 'authsignal-emulator'
import { addVirtualAuthenticator, launchBrowser, screenshot, watchPage } from './fixtures/browser.js'
import { freePort } from './fixtures/emulator.js'
import { recordSecrets } from './fixtures/log-capture.js'

const run = promisify(execFile)
// Packing, installing in a new folder, two compilations and a browser journey: more than one file's usual time.
t.setTimeout(900_000)
const ROOT = join(import.meta.dirname, '..')
const PACKAGES = {
  'passkey-elements': 'components',
  'fastify-passkey-core': 'plugins/shared',
  'fastify-passkey-login': 'plugins/passkey-login',
  'fastify-passkey-enroll': 'plugins/passkey-enroll',
  'authsignal-emulator': 'servers/authsignal-emulator'
} as const
const README_BLOCKS = ['plugins/passkey-login/README.md', 'plugins/passkey-enroll/README.md']
const started = Date.now()

const readJson = async (path: string): Promise<Record<string, any>> => JSON.parse(await readFile(path, 'utf8'))
const peerFastify = String((await readJson(join(ROOT, 'plugins/passkey-login/package.json'))).peerDependencies.fastify)
const LOWEST_FASTIFY = /^\^(\d+\.\d+\.\d+)$/.exec(peerFastify)?.[1]
if (LOWEST_FASTIFY == null) throw new Error(`consumer test: cannot read the lowest version of the peer range ${peerFastify}`)

/** `npm install …` lines of the READMEs' shell blocks, and their `file=` JavaScript blocks. */
async function readmeBlocks (): Promise<{ installs: string[][], files: Map<string, string> }> {
  const installs: string[][] = []
  const files = new Map<string, string>()
  for (const readme of README_BLOCKS) {
    const text = await readFile(join(ROOT, readme), 'utf8')
    for (const [, body] of text.matchAll(/```sh\n([\s\S]*?)\n```/g)) {
      for (const line of (body ?? '').split('\n')) if (line.startsWith('npm install ')) installs.push(line.slice('npm install '.length).split(/\s+/))
    }
    for (const [, name, body] of text.matchAll(/```js file=(\S+)\n([\s\S]*?)\n```/g)) files.set(String(name), `${String(body)}\n`)
  }
  return { installs, files }
}

const dir = await mkdtemp(join(tmpdir(), 'passkey-consumer-'))
t.teardown(async () => { await rm(dir, { recursive: true, force: true }) })
const npm = async (args: string[], cwd = dir): Promise<string> => (await run('npm', args, { cwd, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, npm_config_fund: 'false', npm_config_audit: 'false' } })).stdout

const tarballs = new Map<string, string>()
t.test('every package packs with built files, types, a licence and no sources of tests', async t => {
  for (const [name, folder] of Object.entries(PACKAGES)) {
    const [packed] = JSON.parse(await npm(['pack', '-w', name, '--pack-destination', dir, '--json'], ROOT)) as Array<{ filename: string, files: Array<{ path: string }>, size: number, unpackedSize: number }>
    if (packed == null) throw new Error(`npm pack ${name} answered nothing`)
    tarballs.set(name, join(dir, packed.filename))
    const paths = packed.files.map(f => f.path)
    const manifest = await readJson(join(ROOT, folder, 'package.json'))
    t.ok(paths.includes('LICENSE') && paths.includes('README.md') && paths.includes('package.json'), `${name}: licence, README, package.json`)
    t.notOk(paths.some(p => /(^|\/)(test|src)\/|\.test\.|tsbuildinfo/.test(p) && !p.startsWith('dist/')), `${name}: no tests, no TypeScript sources outside dist`)
    t.ok(paths.some(p => p.endsWith('.d.ts')), `${name}: types`)
    for (const field of ['exports', 'files', 'license', 'engines', 'sideEffects', 'repository']) t.ok(manifest[field] != null, `${name}: ${field}`)
    t.match(manifest.engines.node, /22/, `${name}: engines name Node.js 22`)
    t.comment(`${name}: ${packed.size} bytes packed, ${packed.unpackedSize} unpacked, ${Object.keys(manifest.dependencies ?? {}).length} production dependencies`)
  }
  const elements = await readJson(join(ROOT, 'components/package.json'))
  t.same(elements.dependencies ?? {}, {}, 'the elements ship built: no dependencies')
  for (const plugin of ['plugins/shared', 'plugins/passkey-login', 'plugins/passkey-enroll']) {
    const manifest = await readJson(join(ROOT, plugin, 'package.json'))
    t.equal(manifest.dependencies.fastify, undefined, `${manifest.name}: fastify is a peer, not a dependency`)
    t.ok(manifest.peerDependencies.fastify != null)
    for (const browserOnly of ['lit', '@authsignal/browser', 'tsx', 'vite']) t.equal(manifest.dependencies[browserOnly], undefined, `${manifest.name}: no ${browserOnly}`)
  }
})

t.test('a new project installs the tarballs with npm alone, as the READMEs say, with one copy of fastify', async t => {
  const { installs } = await readmeBlocks()
  t.ok(installs.length >= 2, 'the READMEs say what to install')
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'my-passkey-project', private: true, type: 'module' }, null, 2))
  const wanted = new Set<string>()
  for (const line of installs) for (const spec of line) wanted.add(spec)
  // Our packages come from the tarballs (not yet on a registry); fastify at the lowest version we promise.
  const specs = [...wanted].filter(spec => !tarballs.has(spec) && spec !== 'fastify')
  await npm(['install', '--prefer-offline', ...tarballs.values(), `fastify@${LOWEST_FASTIFY}`, ...specs])
  // Every installed version of a package (npm ls).
  const copiesOf = async (name: string): Promise<Set<string>> => {
    const copies = new Set<string>()
    const walk = (node: any): void => {
      for (const [child, value] of Object.entries<any>(node?.dependencies ?? {})) {
        if (child === name) copies.add(String(value.version))
        walk(value)
      }
    }
    walk(JSON.parse(await npm(['ls', name, '--all', '--json'])))
    return copies
  }
  const versions = await copiesOf('fastify')
  t.same([...versions], [LOWEST_FASTIFY], `npm ls fastify: one copy (${[...versions].join(', ')})`)
  // The SDK and fastify-passkey-core share one axios, so the SDK's requests go over the core's transport.
  const axiosCopies = await copiesOf('axios')
  t.equal(axiosCopies.size, 1, `npm ls axios: one copy (${[...axiosCopies].join(', ')})`)
})

t.test('CommonJS consumers: require() of each Node package works (require(esm)), with no top-level await', async t => {
  for (const name of ['fastify-passkey-login', 'fastify-passkey-enroll', 'fastify-passkey-core', 'authsignal-emulator']) {
    const { stdout } = await run(process.execPath, ['-e', `const m = require(${JSON.stringify(name)}); console.log(Object.keys(m).length)`], { cwd: dir })
    t.ok(Number(stdout) > 3, `${name}: ${stdout.trim()} exports through require()`)
  }
})

t.test('a TypeScript file using every export compiles with tsc --strict (nodenext and bundler)', async t => {
  const source = await readFile(join(ROOT, 'test/fixtures/consumer/consumer.ts'), 'utf8')
  for (const name of ['fastify-passkey-core', 'fastify-passkey-login', 'fastify-passkey-enroll', 'authsignal-emulator']) {
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', `console.log(JSON.stringify(Object.keys(await import(${JSON.stringify(name)}))))`], { cwd: dir })
    const missing = (JSON.parse(stdout) as string[]).filter(key => key !== 'default' && !new RegExp(`\\b${key}\\b`).test(source))
    t.same(missing, [], `${name}: every export is used`)
  }
  await writeFile(join(dir, 'consumer.ts'), source)
  const tsc = join(ROOT, 'node_modules/typescript/bin/tsc')
  for (const [module, resolution] of [['nodenext', 'nodenext'], ['esnext', 'bundler']]) {
    const args = ['--strict', '--noEmit', '--skipLibCheck', 'false', '--target', 'es2022', '--module', module, '--moduleResolution', resolution,
      '--lib', 'es2023,dom,dom.iterable', '--types', 'node', '--typeRoots', join(ROOT, 'node_modules/@types'), 'consumer.ts']
    const result = await run(process.execPath, [tsc, ...args], { cwd: dir }).then(() => ({ code: 0, out: '' }), (e: { code: number, stdout: string }) => ({ code: e.code, out: e.stdout }))
    t.equal(result.code, 0, `tsc --strict, module ${module}, moduleResolution ${resolution}${result.out === '' ? '' : `:\n${result.out.slice(0, 3000)}`}`)
  }
})

t.test('the READMEs\' IdP and app, in plain node, against the packed local Authsignal server: the journey in Chromium', async t => {
  const { files } = await readmeBlocks()
  t.same([...files.keys()].sort(), ['app.mjs', 'idp.mjs'])
  for (const [name, body] of files) await writeFile(join(dir, name), body)
  const [emulatorPort, idpPort, appPort] = [await freePort(), await freePort(), await freePort()]
  const IDP = `http://localhost:${idpPort}`
  const APP = `http://localhost:${appPort}`
  const API = `http://localhost:${emulatorPort}/v1`
  const env = { ...process.env, IDP_ORIGIN: IDP, APP_ORIGIN: APP, ISSUER: `${IDP}/oidc`, AUTHSIGNAL_API_URL: API }
  recordSecrets('dev-only-emulator-secret', 'my-app-secret-change-me-0123456789')

  const processes: ChildProcess[] = []
  t.teardown(async () => { await Promise.all(processes.map(async child => await new Promise(resolve => { child.once('exit', resolve); child.kill('SIGTERM') }))) })
  const output = new Map<string, string>()
  const launch = (name: string, args: string[]): void => {
    const child = spawn(process.execPath, args, { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] })
    output.set(name, '')
    const collect = (chunk: Buffer): void => { output.set(name, (output.get(name) ?? '') + chunk.toString()) }
    child.stdout?.on('data', collect)
    child.stderr?.on('data', collect)
    processes.push(child)
  }
  const up = async (name: string, url: string): Promise<void> => {
    for (let i = 0; i < 200; i++) {
      if (await fetch(url, { redirect: 'manual' }).then(() => true, () => false)) return
      await new Promise(resolve => setTimeout(resolve, 100))
    }
    throw new Error(`${name} did not come up:\n${output.get(name) ?? ''}`)
  }
  // What `npx authsignal-emulator …` runs: the packed package's bin.
  launch('emulator', [join(dir, 'node_modules/.bin/authsignal-emulator'), '--port', String(emulatorPort), '--origins', `${IDP},${APP}`, '--log', 'warn'])
  await up('emulator', `http://localhost:${emulatorPort}/__emulator/health`)
  launch('idp', ['idp.mjs'])
  await up('idp', `${IDP}/oidc/.well-known/openid-configuration`)
  launch('app', ['app.mjs'])
  await up('app', `${APP}/`)

  const browser = await launchBrowser(t)
  const context = await browser.newContext()
  t.teardown(() => context.close())
  const page = await context.newPage()
  const watch = watchPage(page, [/Failed to load resource/])
  await addVirtualAuthenticator(page)
  /** Waits for a page; on a timeout, says where the browser is instead and what that page says. */
  const waitOn = async (what: string, predicate: (url: URL) => boolean): Promise<void> => {
    try {
      await page.waitForURL(predicate, { timeout: 20_000 })
    } catch {
      const text = await page.locator('body').innerText().catch(() => '')
      throw new Error(`expected ${what}, at ${page.url()}: ${text.slice(0, 500)}\n${[...output].map(([n, o]) => `${n}: ${o.slice(-1500)}`).join('\n')}`)
    }
  }
  const onApp = async (path: string): Promise<void> => { await waitOn(`the app's ${path}`, url => url.origin === APP && url.pathname === path) }
  const onLoginPage = async (): Promise<void> => {
    await waitOn('the login page', url => url.origin === IDP && /^\/interaction\/[\w-]+$/.test(url.pathname))
    await page.evaluate(async () => { await customElements.whenDefined('passkey-signin-button') })
  }
  const signOut = async (): Promise<void> => {
    await page.click('#sign-out')
    await page.waitForURL(url => url.origin === IDP && url.pathname.startsWith('/oidc/session/end'))
    await page.getByRole('button', { name: /yes/i }).click()
    await onApp('/')
  }
  // Chromium's virtual authenticator answers autofill at once: hold the page's first passkey challenge
  // back (the packed server's fault route) so the click goes to the button.
  const holdAutofill = async (): Promise<void> => {
    const response = await fetch(`http://localhost:${emulatorPort}/__emulator/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from('dev-only-emulator-secret:').toString('base64')}` },
      body: JSON.stringify({ rules: [{ path: '/v1/client/user-authenticators/passkey/authentication-options', method: 'POST', latencyMs: 2500, times: 1 }] })
    })
    t.equal(response.status, 200)
  }

  // 1. Password, then the hosted page of the packed server: enroll an authenticator app.
  await page.goto(`${APP}/`)
  await page.click('#sign-in')
  await onLoginPage()
  await page.fill('#username', 'alice')
  await page.fill('#password', 'alice')
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  await page.waitForURL(url => url.port === String(emulatorPort) && url.pathname === '/challenge')
  await page.click('#choose-app')
  await page.waitForFunction(() => (document.getElementById('totp-secret')?.textContent ?? '').length > 0)
  const secret = (await page.textContent('#totp-secret')) ?? ''
  await page.fill('#enroll-code', totpCode(secret))
  await page.click('[data-screen="totp-enroll"] button[type="submit"]')
  await onApp('/passkeys')
  t.equal(await page.locator('#passkeys li').count(), 0, 'signed in, no passkey yet')

  // 2. Add a passkey with <passkey-enroll>.
  await page.evaluate(async () => { await customElements.whenDefined('passkey-enroll') })
  await page.getByRole('button', { name: 'Add a passkey' }).click()
  await page.waitForURL(url => url.origin === APP && url.search === '?status=added')
  t.equal(await page.locator('#passkeys li').count(), 1, 'the passkey is listed')
  await screenshot(page, 'consumer-passkey-added')

  // 3. Sign out everywhere, sign in with the button.
  await signOut()
  await holdAutofill()
  await page.click('#sign-in')
  await onLoginPage()
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click()
  await onApp('/passkeys')
  t.equal(await page.locator('#passkeys li').count(), 1, 'signed in with the passkey button')

  // 4. Sign out, sign in through autofill (the virtual authenticator picks the passkey at once).
  await signOut()
  await page.click('#sign-in')
  await onApp('/passkeys')
  t.equal(await page.locator('#passkeys li').count(), 1, 'signed in through autofill')
  await screenshot(page, 'consumer-autofill')

  t.same(watch.errors, [], 'no uncaught errors')
  t.same(watch.cspViolations, [], 'no CSP violations on any page')
  t.comment(`consumer test: ${((Date.now() - started) / 1000).toFixed(1)} s from packing to the end of the journey`)
})
