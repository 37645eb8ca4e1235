// The demo as several instances: `startCluster` (what `npm run start:cluster` runs) with a real
// redis-server, two IdP processes and two app processes behind round-robin proxies. In Chromium, the whole
// journey alternates between instances; then every instance is restarted between two requests and nobody
// is signed out, the IdP still knows the session, and a sign-in in progress finishes.
import t from 'tap'
import { generateDevSecrets } from '../servers/shared/dev-secrets.js'
import { startCluster, type Cluster } from '../servers/cluster.js'
import { totp } from '../servers/authsignal-emulator/dist/totp.js'
import { addVirtualAuthenticator, launchBrowser, screenshot, watchPage } from './fixtures/browser.js'
import { freePort } from './fixtures/emulator.js'
import { recordSecrets } from './fixtures/log-capture.js'

// Four processes start (and restart) here: more time than one test file usually needs.
t.setTimeout(480_000)
const secrets = await generateDevSecrets()
recordSecrets(secrets.clientSecret, secrets.appSessionKey, ...secrets.idpCookieKeys)
const cluster: Cluster = await startCluster({
  ports: { idp: await freePort(), app: await freePort(), emulator: await freePort() },
  secrets,
  emulatorDataFile: ':memory:',
  log: 'warn'
})
t.teardown(() => cluster.stop())
const browser = await launchBrowser(t)

const OPTIONS_PATH = '/v1/client/user-authenticators/passkey/authentication-options'

t.test('in Chromium through the cluster: password + authenticator app, add a passkey, button, autofill, sign-out — on both instances', async t => {
  const { idpUrl, appUrl, emulator } = cluster
  const faults = emulator.app.emulator.faults
  const context = await browser.newContext()
  t.teardown(() => context.close())
  const page = await context.newPage()
  const watch = watchPage(page)
  await addVirtualAuthenticator(page)
  const onApp = async (path: string): Promise<void> => { await page.waitForURL(url => url.origin === appUrl && url.pathname === path, { timeout: 20_000 }) }
  const onLoginPage = async (): Promise<void> => {
    await page.waitForURL(url => url.origin === idpUrl && /^\/interaction\/[\w-]+$/.test(url.pathname))
    await page.evaluate(async () => { await customElements.whenDefined('passkey-signin-button') })
  }
  const signedInAs = async (): Promise<string | null> => await page.locator('#signed-in-as').getAttribute('data-sub')
  const signOut = async (): Promise<void> => {
    await page.click('#sign-out')
    await page.waitForURL(url => url.origin === idpUrl && url.pathname.startsWith('/oidc/session/end'))
    await page.click('#logout-yes')
    await onApp('/')
    t.equal(await page.locator('#sign-in').count(), 1, 'signed out')
  }
  const before = { idp: [...cluster.proxies.idp.hits.values()], app: [...cluster.proxies.app.hits.values()] }

  // Password + authenticator app on the hosted page.
  await page.goto(`${appUrl}/`)
  await page.click('#sign-in')
  await onLoginPage()
  await page.fill('#username', 'alice')
  await page.fill('#password', 'alice')
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  await page.waitForURL(url => url.origin === emulator.url && url.pathname === '/challenge')
  await page.click('#choose-app')
  await page.waitForFunction(() => (document.getElementById('totp-secret')?.textContent ?? '').length > 0)
  const secret = (await page.textContent('#totp-secret')) ?? ''
  await page.fill('#enroll-code', totp(secret))
  await page.click('[data-screen="totp-enroll"] button[type="submit"]')
  await onApp('/')
  t.equal(await signedInAs(), 'alice', 'signed in through the cluster')

  // Add a passkey.
  await page.click('a[href="/passkeys"]')
  await onApp('/passkeys')
  await page.evaluate(async () => { await customElements.whenDefined('passkey-enroll') })
  await page.getByRole('button', { name: 'Add a passkey' }).click()
  await page.waitForURL(url => url.origin === appUrl && url.search === '?status=added')
  t.equal(await page.locator('#passkey-list li').count(), 1, 'the passkey is listed')

  // Button sign-in: the options are held back so the click goes to the button — the IdP's, fetched as it
  // renders the page (it gives up at its deadline), then the page's own.
  await signOut()
  faults.set([{ path: OPTIONS_PATH, method: 'POST', latencyMs: 2500, times: 2 }])
  await page.click('#sign-in')
  await onLoginPage()
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click()
  await onApp('/')
  t.equal(await signedInAs(), 'alice', 'signed in with the passkey button')

  // Autofill sign-in.
  await signOut()
  await page.click('#sign-in')
  await onApp('/')
  t.equal(await signedInAs(), 'alice', 'signed in through autofill')
  await screenshot(page, 'cluster-autofill')
  await signOut()

  for (const kind of ['idp', 'app'] as const) {
    const served = [...cluster.proxies[kind].hits.values()].map((hits, i) => hits - (before[kind][i] ?? 0))
    t.ok(served.every(hits => hits > 3), `every ${kind} instance served the journey (${served.join(' / ')} requests)`)
  }
  t.same(watch.errors, [], 'no uncaught errors')
  t.same(watch.cspViolations, [], 'no CSP violations')
})

t.test('every instance restarted between two requests: still signed in, SSO at the IdP, and a sign-in in progress finishes', async t => {
  const { idpUrl, appUrl, emulator } = cluster
  const context = await browser.newContext()
  t.teardown(() => context.close())
  const page = await context.newPage()
  await addVirtualAuthenticator(page)
  const signedInAs = async (): Promise<string | null> =>
    (await page.locator('#signed-in-as').count()) === 0 ? null : await page.locator('#signed-in-as').getAttribute('data-sub')

  // bob signs in (password + authenticator app).
  await page.goto(`${appUrl}/login`)
  await page.waitForURL(url => url.origin === idpUrl && /^\/interaction\//.test(url.pathname))
  await page.fill('#username', 'bob')
  await page.fill('#password', 'bob')
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  await page.waitForURL(url => url.origin === emulator.url)
  await page.click('#choose-app')
  await page.waitForFunction(() => (document.getElementById('totp-secret')?.textContent ?? '').length > 0)
  const secret = (await page.textContent('#totp-secret')) ?? ''
  await page.fill('#enroll-code', totp(secret))
  await page.click('[data-screen="totp-enroll"] button[type="submit"]')
  await page.waitForURL(url => url.origin === appUrl && url.pathname === '/')
  t.equal(await signedInAs(), 'bob')

  await cluster.restartInstances()
  await page.goto(`${appUrl}/`)
  t.equal(await signedInAs(), 'bob', 'the app session survives the restart of every instance')

  // The IdP's session too: a new authorization signs in without a password (SSO).
  await context.clearCookies({ name: 'app_session' })
  await page.goto(`${appUrl}/`)
  t.equal(await signedInAs(), null, 'the app forgot bob (its cookie is gone)')
  await page.click('#sign-in')
  await page.waitForURL(url => url.origin === appUrl && url.pathname === '/', { timeout: 20_000 })
  t.equal(await signedInAs(), 'bob', 'signed in again by the IdP session alone, after the restart')

  // A sign-in in progress: the password is accepted, every instance restarts while the user is on the
  // hosted page, and the return (interaction, pending MFA, both in Redis) finishes the sign-in.
  const other = await browser.newContext()
  t.teardown(() => other.close())
  const second = await other.newPage()
  await second.goto(`${appUrl}/login`)
  await second.waitForURL(url => url.origin === idpUrl && /^\/interaction\//.test(url.pathname))
  await second.fill('#username', 'bob')
  await second.fill('#password', 'bob')
  await second.getByRole('button', { name: 'Sign in', exact: true }).click()
  await second.waitForURL(url => url.origin === emulator.url)
  await cluster.restartInstances()
  await second.fill('#challenge-code', totp(secret, Date.now() + 30_000))
  await second.click('[data-screen="totp-challenge"] button[type="submit"]')
  await second.waitForURL(url => url.origin === appUrl && url.pathname === '/', { timeout: 20_000 })
  t.equal(await second.locator('#signed-in-as').getAttribute('data-sub'), 'bob', 'the sign-in started before the restart finished')
})
