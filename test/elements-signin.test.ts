// <passkey-input> and <passkey-signin-button> in real Chromium, against the emulator, under a strict CSP.
//
// Chromium's virtual authenticator (CDP, no UI) answers a WebAuthn request at once: with the passkey when
// it has one and user presence is simulated, else NotAllowedError. The tests rely on that:
//  - "the user cancels": `setUserVerified(false)` — the emulator requires user verification, so the
//    authenticator refuses at once with NotAllowedError, exactly what a dismissed prompt gives the page;
//  - "autofill is waiting for the user": presence simulation off — a request then stays pending (and
//    stays so even after presence is turned back on), like a conditional request nobody has answered yet.
import t, { type Test } from 'tap'
import type { Page } from 'playwright-core'
import { addVirtualAuthenticator, launchBrowser, newContext, watchPage, type PageWatch, type VirtualAuthenticator } from './fixtures/browser.js'
import { enrollWithSdk, recordAuthsignalRequests, recordCeremonies, recordElementEvents, statusText, waitFor, type RecordedEvent } from './fixtures/elements-browser.js'
import { INTERACTION_UID, startElementsPage, type ElementsPage, type ElementsPageOptions } from './fixtures/elements-page.js'

const browser = await launchBrowser(t)
const USER = 'alice'

interface Setup {
  site: ElementsPage
  page: Page
  watch: PageWatch
  authenticator: VirtualAuthenticator
  events: RecordedEvent[]
  requests: Array<{ path: string, at: number }>
}

async function setup (t: Test, options: ElementsPageOptions & { preventSignin?: boolean, enroll?: boolean, ignoreConsole?: RegExp[] } = {}): Promise<Setup> {
  const site = await startElementsPage(t, options)
  const context = await newContext(t, browser)
  const page = await context.newPage()
  const watch = watchPage(page, options.ignoreConsole)
  const authenticator = await addVirtualAuthenticator(page)
  if (options.enroll !== false) await enrollWithSdk(page, site, USER)
  const events = await recordElementEvents(page, { preventSignin: options.preventSignin })
  const requests = recordAuthsignalRequests(page, site)
  return { site, page, watch, authenticator, events, requests }
}

/** The token the passkey route received, validated the way the IdP does it. */
async function assertSignedIn (t: Test, site: ElementsPage, action: string): Promise<string> {
  t.equal(site.received.length, 1, 'the passkey route received one form')
  const [form] = site.received
  t.equal(form.route, 'passkey')
  t.equal(form.uid, INTERACTION_UID)
  t.same(Object.keys(form.body), ['token'], 'the form carries only the token (the username field posts with the password form)')
  const result = await site.emulator.serverClient().validateChallenge({ token: form.body.token, action })
  t.equal(result.isValid, true)
  t.equal(result.state, 'CHALLENGE_SUCCEEDED')
  t.equal(result.userId, USER)
  t.equal(result.action, action)
  t.equal(result.verificationMethod, 'PASSKEY')
  return form.body.token
}

function assertClean (t: Test, watch: PageWatch): void {
  t.same(watch.errors, [], 'no uncaught errors or console errors')
  t.same(watch.cspViolations, [], 'no CSP violations')
}

const passkeyRoute = (site: ElementsPage): string => site.url(`/interaction/${INTERACTION_UID}/passkey`)

t.test('autofill signs in: the passkey form posts a token that validates to the user and the action', async t => {
  const { site, page, watch, events } = await setup(t)
  await page.goto(site.url('/login'))
  await page.waitForURL(passkeyRoute(site))
  const token = await assertSignedIn(t, site, 'signInWithPasskey')
  const signins = events.filter(e => e.type === 'passkey-signin')
  t.equal(signins.length, 1)
  t.match(signins[0], { target: 'passkey-input', bubbles: true, composed: true, cancelable: true, detail: { token } })
  t.same(events.filter(e => e.type === 'passkey-error'), [])
  assertClean(t, watch)
})

t.test('the button signs in with a modal prompt, under the action it is given, and submits its form', async t => {
  const { site, page, watch, events, requests } = await setup(t)
  await page.goto(site.url('/login?input=off&action=buttonSignIn'))
  await page.locator('passkey-signin-button').getByRole('button', { name: 'Sign in with a passkey' }).click()
  await page.waitForURL(passkeyRoute(site))
  const token = await assertSignedIn(t, site, 'buttonSignIn')
  t.match(events.filter(e => e.type === 'passkey-signin'), [{ target: 'passkey-signin-button', cancelable: true, bubbles: true, composed: true, detail: { token } }])
  t.same(requests.map(r => r.path), ['/client/challenge', '/client/user-authenticators/passkey/authentication-options', '/client/verify/passkey'])
  assertClean(t, watch)
})

t.test("preventDefault() on the button's passkey-signin stops the submission", async t => {
  const { site, page, watch, events } = await setup(t, { preventSignin: true })
  await page.goto(site.url('/login?input=off'))
  await page.locator('passkey-signin-button button').click()
  await waitFor('passkey-signin', () => events.some(e => e.type === 'passkey-signin'))
  await page.waitForFunction(() => document.querySelector('passkey-signin-button')?.shadowRoot?.querySelector('button')?.getAttribute('aria-busy') === 'false')
  t.equal(new URL(page.url()).pathname, '/login', 'still on the login page')
  t.same(site.received, [], 'nothing was posted')
  t.equal(await statusText(page, 'passkey-signin-button'), '', 'no message')
  // The page that took over holds a token it can use itself.
  const { token } = events[0].detail as { token: string }
  const result = await site.emulator.serverClient().validateChallenge({ token, action: 'signInWithPasskey' })
  t.equal(result.state, 'CHALLENGE_SUCCEEDED')
  assertClean(t, watch)
})

t.test("preventDefault() on the input's passkey-signin stops the submission and autofill stays down", async t => {
  const { site, page, watch, events, requests } = await setup(t, { preventSignin: true })
  await page.goto(site.url('/login?button=off'))
  await waitFor('passkey-signin', () => events.some(e => e.type === 'passkey-signin'))
  t.equal(new URL(page.url()).pathname, '/login')
  t.same(site.received, [])
  t.match(events, [{ type: 'passkey-signin', target: 'passkey-input' }])
  // The virtual authenticator would answer a re-armed autofill at once: one verification means it was not.
  await page.waitForTimeout(1000)
  t.equal(requests.filter(r => r.path === '/client/verify/passkey').length, 1, 'autofill was not armed again')
  // …until the page asks for it.
  await page.evaluate(async () => { await (document.querySelector('passkey-input') as unknown as { rearm: () => Promise<void> }).rearm() })
  await waitFor('a second passkey-signin', () => events.filter(e => e.type === 'passkey-signin').length === 2)
  assertClean(t, watch)
})

t.test('a cancelled prompt is quiet, and autofill works afterwards', async t => {
  const { site, page, watch, events, authenticator } = await setup(t)
  await authenticator.setUserVerified(false)
  await page.goto(site.url('/login'))
  // Autofill is refused too (the virtual authenticator refuses every request): still no message.
  await waitFor('an autofill cancel', () => events.some(e => e.type === 'passkey-error' && e.target === 'passkey-input'))
  t.equal(await statusText(page, 'passkey-input'), '', 'autofill cancels show no message')

  await page.locator('passkey-signin-button button').click()
  await waitFor('the button cancel', () => events.some(e => e.type === 'passkey-error' && e.target === 'passkey-signin-button'))
  await authenticator.setUserVerified(true)
  const cancel = events.find(e => e.type === 'passkey-error' && e.target === 'passkey-signin-button')
  t.match(cancel, { bubbles: true, composed: true, cancelable: false, detail: { code: 'cancelled', message: 'Passkey sign-in cancelled.' } })
  t.ok(events.filter(e => e.type === 'passkey-error').every(e => e.detail.code === 'cancelled'), 'every failure was a cancel')

  // Autofill is armed again after the cancel, and signs in once the user lets it.
  await page.waitForURL(passkeyRoute(site))
  await assertSignedIn(t, site, 'signInWithPasskey')
  t.equal(events.filter(e => e.type === 'passkey-signin').at(-1)?.target, 'passkey-input', 'autofill signed in')
  assertClean(t, watch)
})

t.test('the cancel message is calm, the button is usable again and has the focus back', async t => {
  const { site, page, watch, events, authenticator } = await setup(t)
  await authenticator.setUserVerified(false)
  await page.goto(site.url('/login?input=off'))
  await page.locator('passkey-signin-button button').click()
  await waitFor('the cancel', () => events.some(e => e.type === 'passkey-error'))
  await page.waitForFunction(() => document.querySelector('passkey-signin-button')?.shadowRoot?.querySelector('button')?.disabled === false)
  // A cancel is no error: the polite region says it, not the alert one.
  const status = page.locator('passkey-signin-button [role="status"]')
  t.equal(await status.getAttribute('part'), 'status')
  t.equal((await page.locator('passkey-signin-button [role="alert"]').textContent())?.trim(), '')
  t.equal((await status.textContent())?.trim(), 'Passkey sign-in cancelled.')
  t.equal(await page.evaluate(() => document.activeElement?.localName), 'passkey-signin-button', 'focus is back on the button')
  t.equal(await page.locator('passkey-signin-button button').getAttribute('aria-busy'), 'false')
  assertClean(t, watch)
})

t.test('without WebAuthn the button is hidden, autofill is not armed, and the password form still works', async t => {
  const { site, page, watch, requests } = await setup(t, { enroll: false })
  await page.addInitScript(() => { delete (window as { PublicKeyCredential?: unknown }).PublicKeyCredential })
  await page.goto(site.url('/login'))
  await page.evaluate(async () => {
    await customElements.whenDefined('passkey-signin-button')
    await customElements.whenDefined('passkey-input')
  })
  t.equal(await page.locator('passkey-signin-button').isHidden(), true, 'button hidden')
  t.equal(await page.locator('passkey-signin-button').getAttribute('hidden'), '')
  t.equal(await page.locator('#username').isVisible(), true, 'the username field is still there')
  await page.locator('#username').fill('alice')
  await page.locator('#password').fill('secret')
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  await page.waitForURL(site.url(`/interaction/${INTERACTION_UID}/login`))
  t.same(site.received, [{ route: 'login', uid: INTERACTION_UID, body: { username: 'alice', password: 'secret' } }])
  t.same(requests, [], 'no Authsignal request was made')
  assertClean(t, watch)
})

t.test('keyboard only: Tab to the button, Enter; aria-busy and :state(pending) while the sign-in runs', async t => {
  const { site, page, watch } = await setup(t)
  // Slow verification keeps the ceremony pending long enough to look at it.
  site.emulator.ctx.faults.set([{ path: '/v1/client/verify/passkey', method: 'POST', latencyMs: 1500, times: 1 }])
  await page.goto(site.url('/login?input=off'))
  await page.evaluate(async () => { await customElements.whenDefined('passkey-signin-button') })
  let focused = ''
  for (let i = 0; i < 10 && focused !== 'passkey-signin-button'; i++) {
    await page.keyboard.press('Tab')
    focused = await page.evaluate(() => document.activeElement?.localName ?? '')
  }
  t.equal(focused, 'passkey-signin-button', 'Tab reaches the button')
  t.equal(await page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.localName), 'button', 'focus is on the native button')
  await page.keyboard.press('Enter')
  await page.waitForFunction(() => document.querySelector('passkey-signin-button')?.shadowRoot?.querySelector('button')?.getAttribute('aria-busy') === 'true')
  t.equal(await page.evaluate(() => document.querySelector('passkey-signin-button')?.matches(':state(pending)')), true)
  t.match(await statusText(page, 'passkey-signin-button'), /^(Waiting for your passkey…|Signing you in…)$/)
  await page.waitForURL(passkeyRoute(site))
  await assertSignedIn(t, site, 'signInWithPasskey')
  assertClean(t, watch)
})

t.test("autofill waiting for the user is aborted before the button's prompt, quietly", async t => {
  const { site, page, watch, events, authenticator } = await setup(t)
  await authenticator.setPresence(false)
  const marks = await recordCeremonies(page)
  await page.goto(site.url('/login'))
  // The conditional request made (not only its options fetched): presence turned back on before it would
  // have it answered at once, and autofill would sign in before the click.
  await waitFor('the autofill request', () => marks.some(mark => mark.type === 'get' && mark.mediation === 'conditional'))
  await page.waitForTimeout(200)
  await authenticator.setPresence(true)
  await page.locator('passkey-signin-button button').click()
  await page.waitForURL(passkeyRoute(site))
  await assertSignedIn(t, site, 'signInWithPasskey')
  t.match(events, [{ type: 'passkey-signin', target: 'passkey-signin-button' }], 'the button signed in; the aborted autofill said nothing')
  t.equal(events.length, 1)
  assertClean(t, watch)
})

t.test("autofill still fetching its challenge is stopped before the button's prompt", async t => {
  const { site, page, watch, events, requests } = await setup(t)
  // The autofill's options request is slow: the click lands while it has no WebAuthn request to abort yet.
  site.emulator.ctx.faults.set([{ path: '/v1/client/user-authenticators/passkey/authentication-options', method: 'POST', latencyMs: 1500, times: 1 }])
  await page.goto(site.url('/login'))
  await waitFor('the autofill challenge', () => requests.some(r => r.path === '/client/challenge'))
  await page.locator('passkey-signin-button button').click()
  await page.waitForURL(passkeyRoute(site))
  const token = await assertSignedIn(t, site, 'signInWithPasskey')
  t.match(events, [{ type: 'passkey-signin', target: 'passkey-signin-button', detail: { token } }])
  t.equal(events.length, 1, 'no error from the stopped autofill')
  assertClean(t, watch)
})

t.test('armed autofill fetches a fresh challenge before the old one goes stale', async t => {
  const { site, page, watch, requests, authenticator } = await setup(t, { emulator: { challengeTtlSeconds: 3 } })
  await authenticator.setPresence(false)
  await page.goto(site.url('/login?refresh=1'))
  await waitFor('a refreshed autofill', () => requests.filter(r => r.path === '/client/challenge').length >= 3)
  await authenticator.setPresence(true)
  await page.waitForURL(passkeyRoute(site))
  await assertSignedIn(t, site, 'signInWithPasskey')
  const challenges = requests.filter(r => r.path === '/client/challenge')
  t.ok(challenges.length >= 3, `autofill was re-armed (${challenges.length} challenges)`)
  assertClean(t, watch)
})

t.test('autofill that could not reach Authsignal is armed again, without a message', async t => {
  // A 503 without CORS headers (an unhealthy gateway): fetch() rejects, as it does when the network is
  // down. (A dropped connection would not do: Chromium silently retries a request whose reused socket
  // closed.) The browser's own console errors about it are expected; nothing else may be logged.
  const { site, page, watch, events, requests } = await setup(t, { ignoreConsole: [/blocked by CORS policy/, /net::ERR_FAILED/] })
  site.emulator.ctx.faults.set([{ path: '/v1/client/challenge', method: 'POST', status: 503, times: 1 }])
  await page.goto(site.url('/login?button=off'))
  await page.waitForURL(passkeyRoute(site))
  await assertSignedIn(t, site, 'signInWithPasskey')
  t.match(events, [
    { type: 'passkey-error', target: 'passkey-input', detail: { code: 'network' } },
    { type: 'passkey-signin', target: 'passkey-input' }
  ], 'the failed arming was reported as an event only, then autofill signed in')
  t.equal(requests.filter(r => r.path === '/client/challenge').length, 2)
  assertClean(t, watch)
})

t.test('a passkey refused after the user picked it is said in words', async t => {
  const { site, page, watch, events } = await setup(t, { ignoreConsole: [/status of 400/] })
  // The passkey is still on the device, but Authsignal no longer knows it.
  const [authenticator] = await site.emulator.serverClient().getAuthenticators({ userId: USER })
  await site.emulator.serverClient().deleteAuthenticator({ userId: USER, userAuthenticatorId: authenticator.userAuthenticatorId })
  await page.goto(site.url('/login?button=off'))
  await waitFor('the refusal', () => events.some(e => e.type === 'passkey-error'))
  const message = "That passkey wasn't accepted. Try again, or sign in with your password."
  t.match(events[0], { type: 'passkey-error', target: 'passkey-input', detail: { code: 'not-allowed', message } })
  await page.waitForFunction(() => document.querySelector('passkey-input')?.shadowRoot?.querySelector('[role="alert"]')?.textContent !== '')
  t.equal(await statusText(page, 'passkey-input'), message)
  t.equal((await page.locator('passkey-input [role="alert"]').textContent())?.trim(), message, 'an error is an alert')
  t.equal(await page.locator('passkey-input [role="alert"]').getAttribute('part'), 'status')
  t.equal(await page.evaluate(() => document.querySelector('passkey-input')?.matches(':state(error)')), true, ':state(error) matches')
  t.same(site.received, [])
  t.equal(new URL(page.url()).pathname, '/login')
  assertClean(t, watch)
})
