// authsignal-doctor, offline: the emulator (and the demo IdP) stand in for a tenant, configured right and then
// wrong in each way the doctor checks — secret, region, API URL, tenant id, the plugins' actions, passkey
// RP ID against the IdP and app origins, expected origins, the hosted page origin against the IdP's CSP.
// Each wrong configuration must come out as a ✗ line that says what is wrong and how to fix it.
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import t from 'tap'
import { formatDoctorReport, runDoctor, type DoctorOptions, type DoctorReport } from '../servers/authsignal-emulator/dist/doctor.js'
import { freePort, startEmulator, TEST_SECRET, TEST_TENANT, type RunningEmulator } from './fixtures/emulator.js'
import { enrollPasskey } from './fixtures/oidc-flows.js'
import { startStack } from './fixtures/idp.js'

const ROOT = join(import.meta.dirname, '..')
interface Teardown { teardown (fn: () => unknown): void }

/** An emulator, an IdP, and an app origin the emulator expects (the doctor never calls the app). */
async function setUp (t: Teardown, options: { emulator?: Parameters<typeof startEmulator>[1], idp?: NonNullable<Parameters<typeof startStack>[1]>['idp'], appExpected?: boolean } = {}): Promise<{ emulator: RunningEmulator, idpOrigin: string, appOrigin: string, doctor: DoctorOptions }> {
  const appOrigin = `http://localhost:${await freePort()}`
  const { emulator, idp } = await startStack(t, { emulator: options.emulator, idp: options.idp, extraOrigins: options.appExpected === false ? [] : [appOrigin] })
  return {
    emulator,
    idpOrigin: idp.origin,
    appOrigin,
    // Offline: no real region is ever tried.
    doctor: { apiUrl: emulator.apiUrl, secret: emulator.secret, tenantId: emulator.tenantId, idpOrigin: idp.origin, appOrigin, regions: [], timeoutMs: 5000 }
  }
}

const check = (report: DoctorReport, name: string): DoctorReport['checks'][number] | undefined => report.checks.find(c => c.name === name)
const failed = (report: DoctorReport): string[] => report.checks.filter(c => c.status === 'fail').map(c => c.name)

t.test('configured right: every check passes, in words, and the tenant is left as it was', async t => {
  const { emulator, doctor, idpOrigin, appOrigin } = await setUp(t)
  const report = await runDoctor(doctor)
  t.same(failed(report), [])
  t.equal(report.ok, true)
  t.same(report.checks.map(c => c.name), [
    'API URL', 'Credentials', 'Action signIn', 'Passkeys enabled', 'Action add-passkey', 'Tenant id', 'Action signInWithPasskey',
    'Passkey settings', 'Passkey RP ID', 'Expected origins', 'Hosted page origin', 'Passkeys on the hosted page', 'IdP CSP'
  ])
  t.same(report.checks.filter(c => c.status === 'skip'), [], 'nothing skipped')
  t.match(check(report, 'Passkey RP ID')?.message, 'localhost: passkeys work on the IdP and the app')
  t.match(check(report, 'Expected origins')?.message, `${idpOrigin} and ${appOrigin}`)
  t.match(check(report, 'IdP CSP')?.message, `lets the password form go to ${emulator.origin}`)
  t.match(report.sideEffects.join(' '), 'tracked "signIn" and "add-passkey" for the user "authsignal-doctor-check", then deleted that user again')
  t.notOk(emulator.ctx.store.users.has('authsignal-doctor-check'), 'the doctor\'s user is gone')
  t.equal([...emulator.ctx.store.actions.values()].length, 0, 'and its actions with it')

  const text = formatDoctorReport(report, doctor)
  t.match(text, /^authsignal-doctor: http:\/\/localhost:\d+\/v1, tenant test-tenant\n/)
  t.match(text, '\n✓ Credentials: the Server API at ')
  t.match(text, 'All checks passed.')
  t.notMatch(text, TEST_SECRET, 'the secret is never printed')
  t.notMatch(text, /eyJ[\w-]+\./, 'nor a token')
})

t.test('the secret: refused (with the fix), or belonging to another region (with that region\'s URL)', async t => {
  const { doctor } = await setUp(t)
  const refused = await runDoctor({ ...doctor, secret: 'not-the-tenant-secret-0123456789' })
  t.same(failed(refused), ['Credentials'])
  t.match(check(refused, 'Credentials'), { message: /refuses the secret \(401 unauthorized\)/, fix: /Settings → API keys/ })
  t.match(check(refused, 'Tenant, actions and passkeys'), { status: 'skip' })

  // The same secret works against "another region" (a second emulator with that secret).
  const other = await startEmulator(t, { secret: 'eu-region-secret-0123456789abcdef' })
  const misplaced = await runDoctor({ ...doctor, secret: 'eu-region-secret-0123456789abcdef', regions: [{ name: 'EU (test)', url: other.apiUrl }] })
  t.same(failed(misplaced), ['Region'])
  t.match(check(misplaced, 'Region'), { message: 'accepted by the EU (test) region', fix: `Set AUTHSIGNAL_API_URL=${other.apiUrl}` })
})

t.test('the API URL: without /v1, unreachable, or not HTTPS', async t => {
  const { emulator, doctor } = await setUp(t)
  const noVersion = await runDoctor({ ...doctor, apiUrl: emulator.origin })
  t.match(check(noVersion, 'API URL'), { status: 'fail', message: 'does not end in /v1', fix: `Set AUTHSIGNAL_API_URL to ${emulator.origin}/v1` })
  const closed = await runDoctor({ ...doctor, apiUrl: `http://localhost:${await freePort()}/v1` })
  t.match(check(closed, 'Reachability'), { status: 'fail', fix: /start it first/ })
  const plain = await runDoctor({ ...doctor, apiUrl: 'http://api.authsignal.invalid/v1', timeoutMs: 2000 })
  t.match(check(plain, 'API URL'), { status: 'fail', message: 'not HTTPS' })
  const nothing = await runDoctor({ regions: [] })
  t.match(check(nothing, 'Configuration'), { status: 'fail', message: 'AUTHSIGNAL_SECRET (--secret), AUTHSIGNAL_TENANT_ID (--tenant-id), AUTHSIGNAL_API_URL (--api-url) are not set.' })
})

t.test('the tenant id: refused by the Client API, with the tenant the secret belongs to as the fix', async t => {
  const { doctor } = await setUp(t)
  const report = await runDoctor({ ...doctor, tenantId: 'someone-elses-tenant' })
  t.same(failed(report), ['Tenant id'])
  t.match(check(report, 'Tenant id'), { message: 'refuses tenant "someone-elses-tenant"', fix: `Set AUTHSIGNAL_TENANT_ID=${TEST_TENANT}` })
})

t.test('the actions the plugins use: blocked by default, or renamed', async t => {
  const { doctor } = await setUp(t, { emulator: { actionOutcomes: { signIn: 'BLOCK', 'add-passkey': 'REVIEW' } } })
  const report = await runDoctor(doctor)
  t.same(failed(report), ['Action signIn', 'Action add-passkey'])
  t.match(check(report, 'Action signIn'), { message: 'gets BLOCK', fix: 'Actions → signIn, set the default outcome' })
  t.match(check(report, 'Action add-passkey'), { message: 'answers REVIEW_REQUIRED' })
  // Other action codes: the flags the plugins' options correspond to.
  const renamed = await runDoctor({ ...doctor, actions: { passwordMfa: 'login', enrollment: 'enroll-passkey', passkeySignIn: 'passkey-login' } })
  t.same(failed(renamed), [])
  t.ok(check(renamed, 'Action login') != null && check(renamed, 'Action passkey-login') != null)
  t.match(check(await runDoctor({ ...doctor, actions: { passkeySignIn: 'not a code' } }), 'Action code (passkeySignIn)'), { status: 'fail' })
})

t.test('the passkey RP ID against the IdP and app origins, and the hosted page', async t => {
  const { doctor } = await setUp(t, { emulator: { rpId: 'example.com' } })
  const report = await runDoctor(doctor)
  t.same(failed(report), ['Passkey RP ID', 'Passkeys on the hosted page'])
  t.match(check(report, 'Passkey RP ID'), { message: /RP ID is example\.com; passkeys for it cannot be used on the IdP \(http:\/\/localhost:\d+\) or the app/, fix: 'Set the RP ID to localhost' })
  t.match(check(report, 'Passkeys on the hosted page'), { message: 'cannot create or use your passkeys', fix: 'custom domain under example.com' })
  // Origins under no common domain: the fix says so.
  const apart = await runDoctor({ ...doctor, idpOrigin: 'https://login.one.example', appOrigin: 'https://app.two.example' })
  t.match(check(apart, 'Passkey RP ID'), { status: 'fail', fix: 'under one registrable domain' })
})

t.test('passkey settings: user verification and resident keys only preferred', async t => {
  const { doctor } = await setUp(t, { emulator: { userVerification: 'preferred', residentKey: 'preferred' } })
  const report = await runDoctor(doctor)
  t.same(failed(report), ['Passkey settings'])
  t.match(check(report, 'Passkey settings'), {
    message: /user verification is preferred at registration and preferred at sign-in.*one factor, not two; resident keys are preferred/,
    fix: 'Require user verification and discoverable credentials'
  })
  const uvOnly = await runDoctor((await setUp(t, { emulator: { userVerification: 'preferred' } })).doctor)
  t.notMatch(check(uvOnly, 'Passkey settings')?.message, 'resident keys')
})

t.test('expected origins: the app origin missing from the tenant', async t => {
  const { doctor, appOrigin } = await setUp(t, { appExpected: false })
  const report = await runDoctor(doctor)
  t.same(failed(report), ['Expected origins'])
  t.match(check(report, 'Expected origins'), { message: `does not answer browser calls from ${appOrigin}`, fix: `Add ${appOrigin} to the tenant's expected origins` })
})

t.test('the hosted page origin against the IdP: its configuration and its CSP', async t => {
  // The IdP was told the hosted page is elsewhere: its CSP does not let the password form go there.
  const { emulator, doctor } = await setUp(t, { idp: { authsignal: { hostedPageOrigin: 'https://mfa.elsewhere.example' } } })
  const report = await runDoctor(doctor)
  t.same(failed(report), ['IdP CSP'])
  t.match(check(report, 'IdP CSP'), { message: `form-action does not allow ${emulator.origin}`, fix: `AUTHSIGNAL_HOSTED_ORIGIN=${emulator.origin}` })
  const configured = await runDoctor({ ...doctor, hostedOrigin: 'https://mfa.elsewhere.example' })
  t.match(check(configured, 'Hosted page origin'), { status: 'fail', message: `track sends users to ${emulator.origin}, but the IdP is set up for https://mfa.elsewhere.example`, fix: `Set AUTHSIGNAL_HOSTED_ORIGIN=${emulator.origin}` })
  // An IdP that is not running.
  const down = await runDoctor({ ...doctor, idpOrigin: `http://localhost:${await freePort()}`, appOrigin: undefined })
  t.match(check(down, 'IdP CSP'), { status: 'fail', message: 'could not be reached', fix: 'Start the IdP' })
  // No IdP given: the check is skipped, not failed.
  const none = await runDoctor({ ...doctor, idpOrigin: undefined })
  t.match(check(none, 'IdP CSP'), { status: 'skip' })
  t.equal(none.ok, true)
})

t.test('the doctor\'s user: an enrolled user is never used; an existing one is left in place', async t => {
  const { emulator, doctor, idpOrigin } = await setUp(t)
  await enrollPasskey(emulator, 'real-user', idpOrigin)
  const refused = await runDoctor({ ...doctor, userId: 'real-user' })
  t.match(check(refused, 'Doctor user'), { status: 'fail', fix: '--user-id' })
  t.equal([...emulator.ctx.store.actions.values()].filter(a => a.userId === 'real-user' && a.actionCode === 'signIn').length, 0, 'nothing tracked for them')
  await emulator.serverClient().updateUser({ userId: 'known', attributes: { email: 'known@example.com' } })
  const kept = await runDoctor({ ...doctor, userId: 'known' })
  t.equal(kept.ok, true)
  t.ok(emulator.ctx.store.users.has('known'), 'an existing user is not deleted')
  t.match(kept.sideEffects[0], 'left in place')
})

/** The command line, with the environment a deployment would have. */
async function runBin (env: NodeJS.ProcessEnv, args: string[] = []): Promise<{ code: number | null, output: string }> {
  const child = spawn(process.execPath, ['servers/authsignal-emulator/dist/doctor-bin.js', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString() })
  child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString() })
  const code = await new Promise<number | null>(resolve => child.on('exit', resolve))
  return { code, output }
}

t.test('the command: flags over the environment, a checklist, exit code 0 or 1', async t => {
  const { emulator, idpOrigin, appOrigin } = await setUp(t)
  const env = { AUTHSIGNAL_API_URL: emulator.apiUrl, AUTHSIGNAL_SECRET: emulator.secret, AUTHSIGNAL_TENANT_ID: emulator.tenantId, IDP_ISSUER: idpOrigin, APP_ORIGIN: appOrigin }
  const good = await runBin(env)
  t.equal(good.code, 0)
  t.match(good.output, '✓ Passkey RP ID: localhost')
  t.match(good.output, 'All checks passed.')
  t.notMatch(good.output, '✗')

  // A flag wins over its variable.
  const bad = await runBin(env, ['--tenant-id', 'wrong-tenant'])
  t.equal(bad.code, 1)
  t.match(bad.output, /\n✗ Tenant id: the Client API refuses tenant "wrong-tenant".* Fix: Set AUTHSIGNAL_TENANT_ID=test-tenant/)
  t.match(bad.output, '1 check failed.')
  t.notMatch(bad.output, TEST_SECRET)

  const usage = await runBin({}, ['--no-such-flag'])
  t.equal(usage.code, 1)
  t.match(usage.output, 'Usage: authsignal-doctor')
  const help = await runBin({}, ['--help'])
  t.equal(help.code, 0)
  t.match(help.output, '--idp-origin')
})
