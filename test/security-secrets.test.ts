// Issue 12, finding 4: with NODE_ENV=production the servers started on development secrets given explicitly
// (`AUTHSIGNAL_SECRET=dev-only-emulator-secret`). Now every † setting refuses, in production, the project's
// development and test values, the examples a developer would copy from the READMEs, documentation
// placeholders, the development secrets file's values and weak values (short, few distinct characters,
// repeated, a run; small or published signing keys), naming the setting and never repeating the value.
import { spawn } from 'node:child_process'
import { generateKeyPairSync, randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { JWK } from 'jose'
import t from 'tap'
import { build as buildClient } from '../servers/client/app.js'
import { ClientEnvError, clientConfigFromEnv } from '../servers/client/config.js'
import { build as buildIdp } from '../servers/idp/app.js'
import { IdpEnvError, idpConfigFromEnv } from '../servers/idp/config.js'
import { generateDevSecrets, readDevSecrets, type DevSecrets } from '../servers/shared/dev-secrets.js'
import { KNOWN_SECRETS, weakJwksReason, weakSecretReason } from '../servers/shared/env.js'
import { TEST_CLIENT } from './fixtures/idp.js'

const ROOT = join(import.meta.dirname, '..')
const strong = (): string => randomBytes(30).toString('base64url')

/** A production environment with a value of its own for every † setting. */
async function productionEnv (): Promise<NodeJS.ProcessEnv> {
  const { jwks } = await generateDevSecrets()
  return {
    NODE_ENV: 'production',
    AUTHSIGNAL_SECRET: strong(),
    AUTHSIGNAL_TENANT_ID: 'prod-tenant',
    AUTHSIGNAL_API_URL: 'https://api.authsignal.com/v1',
    IDP_ISSUER: 'https://idp.example.com',
    APP_ORIGIN: 'https://app.example.com',
    IDP_JWKS: JSON.stringify(jwks),
    IDP_COOKIE_KEYS: `${strong()},${strong()}`,
    DEMO_CLIENT_SECRET: strong(),
    APP_SESSION_KEY: randomBytes(32).toString('base64'),
    IDP_LOG: 'off',
    APP_LOG: 'off'
  }
}

const noDevSecrets = async (): Promise<DevSecrets> => { throw new Error('development secrets must not be generated in production') }

/** The error a configuration reader ends with (or undefined when it accepts). */
async function refusal (read: () => Promise<unknown>): Promise<Error | undefined> {
  try { await read() } catch (error) { return error as Error }
  return undefined
}

t.test('a strong production configuration is accepted by both servers', async t => {
  const env = await productionEnv()
  const idp = await idpConfigFromEnv(env, noDevSecrets, async () => undefined)
  t.equal(idp.options.authsignal.secret, env.AUTHSIGNAL_SECRET)
  const app = await clientConfigFromEnv(env, noDevSecrets, async () => undefined)
  t.equal(app.options.sessionKey, env.APP_SESSION_KEY)
})

t.test('each † setting refuses published and weak values in production, naming the setting and not repeating the value', async t => {
  const dev = await generateDevSecrets()
  const devFile = async (): Promise<DevSecrets> => dev
  const { default: oidcDevKeystore } = await import('oidc-provider/lib/consts/dev_keystore.js' as string) as { default: { keys: JWK[] } }
  const smallRsa = { ...generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'jwk' }), kid: 'small', alg: 'RS256', use: 'sig' }
  const good = await productionEnv()

  const cases: Array<[string, string, Array<'idp' | 'app'>]> = [
    // The finding: the development secrets given explicitly.
    ['AUTHSIGNAL_SECRET', 'dev-only-emulator-secret', ['idp', 'app']],
    ['AUTHSIGNAL_SECRET', 'test-only-emulator-secret', ['idp', 'app']],
    ['AUTHSIGNAL_SECRET', '…', ['idp', 'app']],
    ['AUTHSIGNAL_SECRET', '<your-secret>', ['idp', 'app']],
    ['AUTHSIGNAL_SECRET', 'YOUR_SECRET_KEY', ['idp', 'app']],
    ['AUTHSIGNAL_SECRET', 'prod-secret-value-123', ['idp', 'app']],
    ['AUTHSIGNAL_SECRET', 'a'.repeat(40), ['idp', 'app']],
    ['AUTHSIGNAL_SECRET', 'abcdefghijklmnopqrstuvwxyz0123456789', ['idp', 'app']],
    ['AUTHSIGNAL_SECRET', 'Q7x!pZ2#'.repeat(5), ['idp', 'app']],
    ['DEMO_CLIENT_SECRET', 'my-app-secret-change-me-0123456789', ['idp', 'app']],
    ['DEMO_CLIENT_SECRET', 'test-rp-secret-0123456789abcdef', ['idp', 'app']],
    ['DEMO_CLIENT_SECRET', dev.clientSecret, ['idp', 'app']],
    ['DEMO_CLIENT_SECRET', 'x'.repeat(32), ['idp', 'app']],
    ['DEMO_CLIENT_SECRET', randomBytes(15).toString('base64url'), ['idp', 'app']],
    ['IDP_COOKIE_KEYS', 'k'.repeat(32), ['idp']],
    ['IDP_COOKIE_KEYS', 'and also the old rotated away some time ago', ['idp']],
    ['IDP_COOKIE_KEYS', `${strong()},${dev.idpCookieKeys[0]}`, ['idp']],
    ['IDP_COOKIE_KEYS', '0123456789abcdefghijklmnopqrstuvwxyz', ['idp']],
    ['APP_SESSION_KEY', Buffer.alloc(32, 7).toString('base64'), ['app']],
    ['APP_SESSION_KEY', dev.appSessionKey, ['app']],
    ['APP_SESSION_KEY', Buffer.from('0123456789abcdef0123456789abcdef').toString('base64'), ['app']],
    ['IDP_JWKS', JSON.stringify(oidcDevKeystore), ['idp']],
    ['IDP_JWKS', JSON.stringify({ keys: [{ ...oidcDevKeystore.keys[0], kid: 'renamed' }] }), ['idp']],
    ['IDP_JWKS', JSON.stringify(dev.jwks), ['idp']],
    ['IDP_JWKS', JSON.stringify({ keys: [smallRsa] }), ['idp']]
  ]
  for (const [setting, value, servers] of cases) {
    const env = { ...good, [setting]: value }
    for (const server of servers) {
      const error = await refusal(async () => server === 'idp' ? await idpConfigFromEnv(env, noDevSecrets, devFile) : await clientConfigFromEnv(env, noDevSecrets, devFile))
      const label = `${server}: ${setting}=${value.length > 40 ? `${value.slice(0, 37)}…` : value}`
      t.ok(error instanceof (server === 'idp' ? IdpEnvError : ClientEnvError), `${label} is refused`)
      t.match(error?.message, new RegExp(`^${setting} `), `${label}: the message names ${setting}`)
      for (const part of value.split(',')) if (part.length >= 8) t.notMatch(error?.message, part, `${label}: the value is not repeated`)
    }
  }
})

t.test('production also refuses to fall back to the emulator\'s tenant and API, or to localhost origins (same class: unchecked defaults)', async t => {
  const good = await productionEnv()
  for (const variable of ['AUTHSIGNAL_TENANT_ID', 'AUTHSIGNAL_API_URL', 'IDP_ISSUER', 'APP_ORIGIN']) {
    const env: NodeJS.ProcessEnv = { ...good }
    delete env[variable]
    for (const [server, read, ErrorClass] of [['idp', idpConfigFromEnv, IdpEnvError], ['app', clientConfigFromEnv, ClientEnvError]] as const) {
      const error = await refusal(async () => await read(env, noDevSecrets, async () => undefined))
      t.ok(error instanceof ErrorClass, `${server} without ${variable}: refused`)
      t.match(error?.message, new RegExp(`^${variable} must be set when NODE_ENV=production`))
    }
  }
  const development: NodeJS.ProcessEnv = { ...good, NODE_ENV: 'development' }
  delete development.IDP_ISSUER
  t.equal((await idpConfigFromEnv(development, noDevSecrets, async () => undefined)).options.issuer, 'http://localhost:5001', 'outside production the defaults stay')
})

t.test('every published value of the lists is refused, and outside production the development defaults stay usable', async t => {
  for (const [setting, values] of Object.entries(KNOWN_SECRETS) as Array<[keyof typeof KNOWN_SECRETS, readonly string[]]>) {
    for (const value of values) t.match(weakSecretReason(setting, value), 'published', `${setting}: ${value}`)
  }
  t.equal(weakSecretReason('AUTHSIGNAL_SECRET', strong()), null)
  t.equal(weakSecretReason('APP_SESSION_KEY', randomBytes(32).toString('base64')), null)
  t.equal(await weakJwksReason((await generateDevSecrets()).jwks), null)

  const dev = await generateDevSecrets()
  const development = await idpConfigFromEnv({ AUTHSIGNAL_SECRET: 'dev-only-emulator-secret', DEMO_CLIENT_SECRET: 'my-app-secret-change-me-0123456789' }, async () => dev, async () => dev)
  t.equal(development.options.authsignal.secret, 'dev-only-emulator-secret', 'development: the emulator secret is fine')
  t.equal(development.options.clients[0].clientSecret, 'my-app-secret-change-me-0123456789')
  const app = await clientConfigFromEnv({}, async () => dev, async () => dev)
  t.equal(app.options.sessionKey, dev.appSessionKey, 'development: the generated file is used')
})

t.test('the development secrets file is read in production (never created) and its values refused', async t => {
  const dir = mkdtempSync(join(tmpdir(), 'dev-secrets-'))
  t.teardown(() => { rmSync(dir, { recursive: true, force: true }) })
  t.equal(await readDevSecrets(dir), undefined, 'no file: nothing')
  const dev = await generateDevSecrets()
  writeFileSync(join(dir, 'dev-secrets.json'), JSON.stringify(dev))
  t.same(await readDevSecrets(dir), dev)
  writeFileSync(join(dir, 'dev-secrets.json'), '{"not":"secrets"}')
  t.equal(await readDevSecrets(dir), undefined, 'an unrelated file: nothing')
})

t.test('build() under NODE_ENV=production refuses published and weak secrets given as options', async t => {
  const saved = process.env.NODE_ENV
  process.env.NODE_ENV = 'production'
  t.teardown(() => { process.env.NODE_ENV = saved })
  const secrets = await generateDevSecrets()
  const idp = {
    issuer: 'http://localhost:5999', clients: [{ ...TEST_CLIENT, clientSecret: strong() }], jwks: secrets.jwks, cookieKeys: [strong()],
    authsignal: { secret: strong(), tenantId: 'prod-tenant', apiUrl: 'http://localhost:5998/v1' }, logger: false
  }
  await t.rejects(buildIdp({ ...idp, authsignal: { ...idp.authsignal, secret: 'dev-only-emulator-secret' } }), { name: 'IdpConfigError', message: /"authsignal\.secret" is a published/ })
  await t.rejects(buildIdp({ ...idp, clients: [TEST_CLIENT] }), { name: 'IdpConfigError', message: /"clients\[\]\.clientSecret" is a published/ })
  await t.rejects(buildIdp({ ...idp, cookieKeys: ['c'.repeat(32)] }), { name: 'IdpConfigError', message: /"cookieKeys" has too few distinct/ })
  const app = await buildIdp(idp)
  await app.close()
  const client = {
    origin: 'http://localhost:5002', issuer: 'http://localhost:5001', clientId: 'demo-app', clientSecret: strong(), sessionKey: randomBytes(32).toString('base64'),
    authsignal: { secret: strong(), tenantId: 't', apiUrl: 'http://localhost:5003/v1' }, logger: false
  }
  await t.rejects(buildClient({ ...client, sessionKey: Buffer.alloc(32).toString('base64') }), { name: 'ClientAppConfigError', message: /"sessionKey" has too few distinct bytes/ })
  await t.rejects(buildClient({ ...client, clientSecret: 'my-app-secret-change-me-0123456789' }), { name: 'ClientAppConfigError', message: /"clientSecret" is a published/ })
  const built = await buildClient(client)
  await built.close()
})

/** Runs an entry point; answers its exit code and output (it must not start). */
async function run (script: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null, output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString() })
  child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString() })
  const timer = setTimeout(() => child.kill('SIGKILL'), 120_000)
  const code = await new Promise<number | null>(resolve => child.on('exit', resolve))
  clearTimeout(timer)
  return { code, output }
}

t.test('the finding: NODE_ENV=production AUTHSIGNAL_SECRET=dev-only-emulator-secret starts no server', async t => {
  const env = { ...await productionEnv(), AUTHSIGNAL_SECRET: 'dev-only-emulator-secret', IDP_PORT: '0', APP_PORT: '0' }
  const entries = [['IdP', 'servers/idp/server.ts', 'idp'], ['app', 'servers/client/server.ts', 'app'], ['npm start', 'servers/start.ts', 'start']] as const
  const results = await Promise.all(entries.map(async ([, script]) => await run(script, env)))
  for (const [i, [name, , prefix]] of entries.entries()) {
    const { code, output } = results[i]
    t.equal(code, 1, `${name}: exit 1`)
    t.match(output, new RegExp(`${prefix}: configuration error: AUTHSIGNAL_SECRET is a published development or example value: with NODE_ENV=production`), `${name} names AUTHSIGNAL_SECRET`)
    t.notMatch(output, /running|issuer http|listening|\n\s+at /, `${name}: did not start, no stack trace`)
  }
})
