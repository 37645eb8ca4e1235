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
import t, { type Test } from 'tap'
import { totp } from '../servers/authsignal-emulator/dist/totp.js'
import { launchBrowser, screenshot } from './fixtures/browser.js'
import { statusText, waitFor } from './fixtures/elements-browser.js'
import { secretsInLogs } from './fixtures/idp.js'
import { assertClean, givePasskey, journey as startJourney, openLoginPage, passkeySignIns, signedInAs, type Journey, type JourneyOptions } from './fixtures/login-journey.js'

const browser = await launchBrowser(t)
// Every IdP log line of the file, and every secret the journeys handled, for the final check.
const logLines: string[] = []
const secrets = new Set<string>()
const journey = async (t: Test, options: JourneyOptions = {}): Promise<Journey> => await startJourney(t, browser, { ...options, logLines, secrets })

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
