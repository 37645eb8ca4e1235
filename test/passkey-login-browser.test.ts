// The IdP's login page in real Chromium with a CDP virtual authenticator, one journey per path, each
// ending at a real RP (openid-client) that shows the ID token's subject:
//  - password + MFA through the emulator's hosted page, enrolling a passkey there;
//  - passkey autofill; the passkey button; a cancelled button ceremony, then autofill;
//  - WebAuthn unavailable: no button, and password + authenticator-app MFA still works.
// Every page is watched for uncaught errors, console errors and CSP violations.
//
// Passkeys for the autofill and button journeys are registered through the Client API with the software
// authenticator, then handed to Chromium's virtual authenticator (CDP WebAuthn.addCredential): the
// sign-ins themselves are real browser ceremonies run by the elements.
import type { Page } from 'playwright-core'
import t, { type Test } from 'tap'
import { totp } from '../servers/authsignal-emulator/dist/totp.js'
import { addVirtualAuthenticator, launchBrowser, newContext, screenshot, watchPage, type PageWatch, type VirtualAuthenticator } from './fixtures/browser.js'
import { recordElementEvents, statusText, waitFor, type RecordedEvent } from './fixtures/elements-browser.js'
import { freePort } from './fixtures/emulator.js'
import { secretsInLogs, startStack, type Stack } from './fixtures/idp.js'
import { enrollPasskey } from './fixtures/oidc-flows.js'
import { startTestRp, testRpClient, type RunningTestRp } from './fixtures/oidc-rp.js'

const browser = await launchBrowser(t)
// Every IdP log line of the file, and every secret the journeys handled, for the final check.
const logLines: string[] = []
const secrets = new Set<string>()

interface Journey extends Stack {
  rp: RunningTestRp
  page: Page
  watch: PageWatch
  authenticator: VirtualAuthenticator
  events: RecordedEvent[]
  /** Authsignal API paths the page called (under /v1), in order, preflights left out. */
  authsignalCalls: string[]
  /** Requests the browser sent to the IdP's interaction routes (method + path, no query). */
  idpPosts: string[]
}

async function journey (t: Test, options: { webauthn?: boolean } = {}): Promise<Journey> {
  const rpPort = await freePort()
  const client = testRpClient(rpPort)
  // The RP is an expected origin of the emulator too: the hosted page's CSP form-action must allow the
  // redirect chain that ends there (Chromium applies form-action to every redirect after a form POST).
  const stack = await startStack(t, { idp: { clients: [client], logLines }, extraOrigins: [`http://localhost:${rpPort}`] })
  secrets.add(stack.emulator.secret).add(client.clientSecret)
  const rp = await startTestRp(t, { idp: stack.idp, client, port: rpPort })
  const context = await newContext(t, browser)
  const page = await context.newPage()
  // Tokens the browser carried: form posts to the IdP and the MFA return's query.
  page.on('request', request => {
    const body = request.postData() ?? ''
    for (const match of `${request.url()} ${body}`.matchAll(/eyJ[\w-]+\.[\w-]+\.[\w-]+/g)) secrets.add(match[0])
  })
  t.teardown(async () => {
    // Cookie values, except interaction uids: those are path segments of interaction URLs by design.
    for (const cookie of await context.cookies()) if (!/^idp_interaction(_resume)?$/.test(cookie.name)) secrets.add(cookie.value)
  })
  if (options.webauthn === false) {
    await page.addInitScript(() => { delete (window as { PublicKeyCredential?: unknown }).PublicKeyCredential })
  }
  const watch = watchPage(page)
  const authenticator = await addVirtualAuthenticator(page)
  const events = await recordElementEvents(page)
  const authsignalCalls: string[] = []
  const idpPosts: string[] = []
  page.on('request', request => {
    const url = new URL(request.url())
    if (url.origin === stack.emulator.origin && url.pathname.startsWith('/v1/') && request.method() !== 'OPTIONS') authsignalCalls.push(url.pathname.slice(3))
    if (url.origin === stack.idp.origin && request.method() === 'POST') idpPosts.push(url.pathname)
  })
  return { ...stack, rp, page, watch, authenticator, events, authsignalCalls, idpPosts }
}

/** Registers a passkey for `userId` (real Client API ceremony) and puts its key into Chromium's authenticator. */
async function givePasskey (j: Journey, userId: string): Promise<void> {
  const { authenticator } = await enrollPasskey(j.emulator, userId, j.idp.origin)
  const [credential] = [...authenticator.credentials.values()]
  await j.authenticator.cdp.send('WebAuthn.addCredential', {
    authenticatorId: j.authenticator.authenticatorId,
    credential: {
      credentialId: credential.id.toString('base64'),
      isResidentCredential: true,
      rpId: credential.rpId,
      privateKey: credential.privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
      userHandle: credential.userHandle.toString('base64'),
      signCount: credential.counter
    }
  })
}

async function signedInAs (j: Journey): Promise<string> {
  await j.page.waitForURL(url => url.origin === j.rp.origin && url.pathname === '/callback', { timeout: 20_000 })
  return (await j.page.textContent('#signed-in-as')) ?? ''
}

function assertClean (t: Test, j: Journey): void {
  t.same(j.watch.errors, [], 'no uncaught errors or console errors')
  t.same(j.watch.cspViolations, [], 'no CSP violations')
}

async function openLoginPage (j: Journey): Promise<string> {
  await j.page.goto(j.rp.loginUrl)
  await j.page.waitForURL(url => url.origin === j.idp.origin && /^\/interaction\/[\w-]+$/.test(url.pathname))
  await j.page.evaluate(async () => {
    await customElements.whenDefined('passkey-input')
    await customElements.whenDefined('passkey-signin-button')
  })
  return new URL(j.page.url()).pathname.split('/')[2]
}

const passkeySignIns = (j: Journey, userId: string): number =>
  [...j.emulator.ctx.store.actions.values()].filter(a => a.userId === userId && a.actionCode === 'signInWithPasskey' && a.state === 'CHALLENGE_SUCCEEDED').length

t.test('password + MFA through the hosted page, enrolling a passkey there', async t => {
  const j = await journey(t)
  // An authenticator without credentials: autofill finds nothing to offer and stays out of the way.
  const uid = await openLoginPage(j)
  await screenshot(j.page, 'idp-login')
  t.equal(await j.page.locator('passkey-signin-button').isVisible(), true, 'the passkey button is offered')
  await j.page.fill('#username', 'alice')
  await j.page.fill('#password', 'alice')
  await j.page.getByRole('button', { name: 'Sign in', exact: true }).click()

  await j.page.waitForURL(url => url.origin === j.emulator.origin && url.pathname === '/challenge')
  await j.page.click('#choose-passkey')
  await j.page.click('[data-run="passkey-enroll"]')

  t.equal(await signedInAs(j), 'alice')
  t.match(j.rp.signIns, [{ sub: 'alice', amr: ['pwd', 'mfa', 'hwk'] }])
  t.equal((await j.authenticator.credentials()).length, 1, 'the passkey lives in the authenticator')
  t.same(j.emulator.ctx.store.enrolledMethods('alice'), ['PASSKEY'])
  t.same(j.idpPosts, [`/interaction/${uid}/login`], 'one password post, no passkey post')
  assertClean(t, j)
})

t.test('autofill: the username field offers the passkey and signs in without a password', async t => {
  const j = await journey(t)
  await givePasskey(j, 'bob')
  const uid = await openLoginPage(j)
  t.equal(await signedInAs(j), 'bob')
  t.match(j.rp.signIns, [{ sub: 'bob', amr: ['hwk'] }])
  t.match(j.events.filter(e => e.type === 'passkey-signin'), [{ target: 'passkey-input' }], 'the input signed in')
  t.same(j.idpPosts, [`/interaction/${uid}/passkey`], 'the passkey form posted once, no password')
  t.equal(passkeySignIns(j, 'bob'), 1)
  assertClean(t, j)
})

t.test('the button: a modal passkey sign-in submits the passkey form', async t => {
  const j = await journey(t)
  await givePasskey(j, 'alice')
  // Autofill's challenge is slow to come, so the click is what signs in: the page's ceremony coordinator
  // stops the autofill before the button's prompt.
  j.emulator.ctx.faults.set([{ path: '/v1/client/user-authenticators/passkey/authentication-options', method: 'POST', latencyMs: 3000, times: 1 }])
  const uid = await openLoginPage(j)
  await waitFor('the autofill challenge', () => j.authsignalCalls.includes('/client/challenge'))
  await j.page.getByRole('button', { name: 'Sign in with a passkey' }).click()
  t.equal(await signedInAs(j), 'alice')
  t.match(j.events.filter(e => e.type === 'passkey-signin'), [{ target: 'passkey-signin-button' }], 'the button signed in')
  t.equal(j.events.filter(e => e.type === 'passkey-signin').length, 1)
  t.same(j.idpPosts, [`/interaction/${uid}/passkey`])
  t.match(j.rp.signIns, [{ sub: 'alice', amr: ['hwk'] }])
  assertClean(t, j)
})

t.test('a cancelled button ceremony is quiet, and autofill signs in afterwards', async t => {
  const j = await journey(t)
  await givePasskey(j, 'alice')
  // The emulator requires user verification: refusing it is what a dismissed prompt gives the page.
  await j.authenticator.setUserVerified(false)
  const uid = await openLoginPage(j)
  await j.page.getByRole('button', { name: 'Sign in with a passkey' }).click()
  await waitFor('the cancel', () => j.events.some(e => e.type === 'passkey-error' && e.target === 'passkey-signin-button'))
  t.ok(j.events.filter(e => e.type === 'passkey-error').every(e => e.detail.code === 'cancelled'), 'every failure is a cancel')
  t.equal(new URL(j.page.url()).pathname, `/interaction/${uid}`, 'still on the login page')
  t.same(j.idpPosts, [], 'nothing was posted to the IdP')
  t.equal(await j.page.locator('#login-error').count(), 0, 'no error message on the page')
  t.equal(await statusText(j.page, 'passkey-input'), '', 'the input says nothing')
  await screenshot(j.page, 'idp-login-cancelled')

  await j.authenticator.setUserVerified(true)
  t.equal(await signedInAs(j), 'alice', 'autofill, re-armed after the cancel, signs in')
  t.equal(j.events.filter(e => e.type === 'passkey-signin').at(-1)?.target, 'passkey-input')
  t.same(j.idpPosts, [`/interaction/${uid}/passkey`])
  assertClean(t, j)
})

t.test('without WebAuthn: no passkey button, and password + authenticator app works', async t => {
  const j = await journey(t, { webauthn: false })
  const uid = await openLoginPage(j)
  await j.page.locator('passkey-signin-button').waitFor({ state: 'hidden', timeout: 5000 })
  t.equal(await j.page.locator('passkey-signin-button').getAttribute('hidden'), '', 'the button is hidden')
  t.equal(await j.page.locator('#username').isVisible(), true)
  await screenshot(j.page, 'idp-login-no-webauthn')
  await j.page.fill('#username', 'bob')
  await j.page.fill('#password', 'bob')
  await j.page.getByRole('button', { name: 'Sign in', exact: true }).click()

  // The hosted page offers only the authenticator app here.
  await j.page.waitForURL(url => url.origin === j.emulator.origin && url.pathname === '/challenge')
  await j.page.click('#choose-app')
  await j.page.waitForFunction(() => (document.getElementById('totp-secret')?.textContent ?? '').length > 0)
  const secret = (await j.page.textContent('#totp-secret')) ?? ''
  await j.page.fill('#enroll-code', totp(secret))
  await j.page.click('[data-screen="totp-enroll"] button[type="submit"]')

  t.equal(await signedInAs(j), 'bob')
  t.match(j.rp.signIns, [{ sub: 'bob', amr: ['pwd', 'mfa', 'otp'] }])
  t.same(j.idpPosts, [`/interaction/${uid}/login`])
  t.notOk(j.authsignalCalls.includes('/client/challenge'), 'the login page never started a passkey sign-in')
  assertClean(t, j)
})

t.test('the IdP logs of these journeys hold no token, secret or cookie value', async t => {
  t.ok(logLines.length > 20, `captured ${logLines.length} log lines`)
  t.ok(secrets.size > 10, `checked ${secrets.size} secrets`)
  t.ok(logLines.some(line => line.includes('/mfa?token=[redacted]')), 'the hosted page return was logged, masked')
  t.same(secretsInLogs(logLines, secrets), [])
})
