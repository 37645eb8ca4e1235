// <passkey-enroll> in real Chromium, against the emulator, under a strict CSP. The enrollment-token route
// of the fixture site mints real tokens (`track`, scope add:authenticators) for `site.enrollUserId`.
// "The user cancels" is `setUserVerified(false)` on the virtual authenticator (see elements-signin.test.ts).
import t, { type Test } from 'tap'
import type { Page } from 'playwright-core'
import { addVirtualAuthenticator, launchBrowser, newContext, watchPage, type PageWatch, type VirtualAuthenticator } from './fixtures/browser.js'
import { enrollWithSdk, recordAuthsignalRequests, recordCeremonies, recordElementEvents, statusText, waitFor, type RecordedEvent } from './fixtures/elements-browser.js'
import { INTERACTION_UID, startElementsPage, type ElementsPage, type ElementsPageOptions } from './fixtures/elements-page.js'

const browser = await launchBrowser(t)

interface Setup {
  site: ElementsPage
  page: Page
  watch: PageWatch
  authenticator: VirtualAuthenticator
  events: RecordedEvent[]
  /** Token-route calls, Authsignal calls and clicks, in the order the page made them. */
  timeline: string[]
}

async function setup (t: Test, options: ElementsPageOptions & { preventEnrolled?: boolean, ignoreConsole?: RegExp[] } = {}): Promise<Setup> {
  const site = await startElementsPage(t, { enrollUserId: 'bob', ...options })
  const context = await newContext(t, browser)
  const page = await context.newPage()
  const watch = watchPage(page, options.ignoreConsole)
  const authenticator = await addVirtualAuthenticator(page)
  const events = await recordElementEvents(page, { preventEnrolled: options.preventEnrolled })
  const timeline: string[] = []
  page.on('request', request => {
    const url = new URL(request.url())
    if (request.method() === 'POST' && url.pathname === '/passkeys/enrollment-token') timeline.push('token')
  })
  recordAuthsignalRequests(page, site, path => { timeline.push(path) })
  return { site, page, watch, authenticator, events, timeline }
}

function assertClean (t: Test, watch: PageWatch): void {
  t.same(watch.errors, [], 'no uncaught errors or console errors')
  t.same(watch.cspViolations, [], 'no CSP violations')
}

const button = (page: Page) => page.locator('passkey-enroll button')
const b64url = (b64: string): string => Buffer.from(b64, 'base64').toString('base64url')

async function waitIdle (page: Page): Promise<void> {
  await page.waitForFunction(() => document.querySelector('passkey-enroll')?.shadowRoot?.querySelector('button')?.getAttribute('aria-busy') === 'false')
}

t.test('the token is fetched ahead of the click; the passkey is added, said in words and reported', async t => {
  const { site, page, watch, events, timeline, authenticator } = await setup(t)
  await page.goto(site.url('/passkeys'))
  await waitFor('the prefetched token', () => site.tokenRequests.length === 1)
  await waitFor('its registration options', () => timeline.includes('/client/user-authenticators/passkey/registration-options'))
  timeline.push('click')
  await button(page).click()
  await waitFor('passkey-enrolled', () => events.some(e => e.type === 'passkey-enrolled'))
  t.equal(await statusText(page, 'passkey-enroll'), 'Passkey added.')
  t.same(timeline.slice(0, 4), ['token', '/client/user-authenticators/passkey/registration-options', 'click', '/client/user-authenticators/passkey'],
    'the token and its registration options came before the click; after it, only the new passkey went to Authsignal (no request before the prompt)')

  const [credential] = await authenticator.credentials()
  const [stored, ...others] = await site.emulator.serverClient().getAuthenticators({ userId: 'bob' })
  t.same(others, [], 'one authenticator')
  t.equal(stored.verificationMethod, 'PASSKEY')
  t.equal(Buffer.from(credential.userHandle ?? '', 'base64').toString(), 'bob', 'the passkey belongs to the signed-in user')
  const enrolled = events.find(e => e.type === 'passkey-enrolled')
  t.match(enrolled, {
    target: 'passkey-enroll',
    bubbles: true,
    composed: true,
    cancelable: true,
    detail: { userAuthenticatorId: stored.userAuthenticatorId, credentialId: b64url(credential.credentialId) }
  })
  t.equal(await page.evaluate(() => document.querySelector('passkey-enroll')?.matches(':state(added)')), true)
  // One token per attempt: the next click has a fresh one waiting.
  await waitFor('the next token', () => site.tokenRequests.length === 2)
  t.equal(new URL(page.url()).pathname, '/passkeys', 'no success-url, no navigation')
  assertClean(t, watch)
})

t.test('a second enrollment on the same authenticator says this device already has one', async t => {
  const { site, page, watch, events } = await setup(t)
  await page.goto(site.url('/passkeys'))
  await button(page).click()
  await waitFor('the first enrollment', () => events.some(e => e.type === 'passkey-enrolled'))
  await waitFor('the next token', () => site.tokenRequests.length === 2)
  await waitIdle(page)
  await button(page).click()
  await waitFor('the refusal', () => events.some(e => e.type === 'passkey-error'))
  t.match(events.find(e => e.type === 'passkey-error'), {
    target: 'passkey-enroll',
    detail: { code: 'already-registered', message: 'This device already has a passkey for your account.' }
  })
  t.equal(await statusText(page, 'passkey-enroll'), 'This device already has a passkey for your account.')
  t.equal((await site.emulator.serverClient().getAuthenticators({ userId: 'bob' })).length, 1, 'still one passkey')
  assertClean(t, watch)
})

t.test('the token is refreshed before it expires, and a refreshed token enrolls', async t => {
  const { site, page, watch, events } = await setup(t, { tokenLifetimeMs: 3000 })
  await page.goto(site.url('/passkeys'))
  await waitFor('two refreshes', () => site.tokenRequests.length >= 3)
  const [first, second, third] = site.tokenRequests
  t.ok(second.at < first.at + site.tokenLifetimeMs, 'the second token came before the first expired')
  t.ok(third.at < second.at + site.tokenLifetimeMs, 'the third token came before the second expired')
  await button(page).click()
  await waitFor('passkey-enrolled', () => events.some(e => e.type === 'passkey-enrolled'))
  t.equal(await statusText(page, 'passkey-enroll'), 'Passkey added.')
  assertClean(t, watch)
})

t.test('reauthentication_required: the element says so in words and links to the sign-in', async t => {
  const { site, page, watch, events, timeline } = await setup(t, { ignoreConsole: [/status of 401/] })
  site.tokenMode = 'reauth'
  await page.goto(site.url('/passkeys'))
  await waitFor('the reauthentication error', () => events.some(e => e.type === 'passkey-error'))
  t.match(events, [{ type: 'passkey-error', target: 'passkey-enroll', detail: { code: 'reauthentication-required' } }])
  t.match(await statusText(page, 'passkey-enroll'), /^For your security, please sign in again before adding a passkey\. Sign in again$/)
  const link = page.locator('passkey-enroll a[part="link"]')
  t.equal(await link.getAttribute('href'), '/login?reauth=1')
  t.equal(await link.textContent(), 'Sign in again')
  // Clicking asks the app again; no passkey prompt without a token.
  await button(page).click()
  await waitFor('the second token request', () => site.tokenRequests.length === 2)
  await waitIdle(page)
  t.equal(events.filter(e => e.type === 'passkey-error').length, 2)
  t.same(timeline.filter(entry => entry.startsWith('/client')), [], 'Authsignal was never called')
  // Keyboard users reach the link.
  await link.focus()
  await page.keyboard.press('Enter')
  await page.waitForURL(site.url('/login?reauth=1'))
  assertClean(t, watch)
})

t.test('a failing token route is reported on click, in words, and the next click works', async t => {
  const { site, page, watch, events } = await setup(t, { ignoreConsole: [/status of 503/] })
  site.tokenMode = 'error'
  await page.goto(site.url('/passkeys'))
  await waitFor('the prefetch', () => site.tokenRequests.length === 1)
  await page.waitForTimeout(200)
  t.equal(await statusText(page, 'passkey-enroll'), '', 'a failed prefetch is not announced')
  t.same(events, [])
  await button(page).click()
  await waitFor('the error', () => events.some(e => e.type === 'passkey-error'))
  t.match(events, [{ type: 'passkey-error', detail: { code: 'network', message: "Couldn't reach the server. Check your connection and try again." } }])
  t.equal(await statusText(page, 'passkey-enroll'), "Couldn't reach the server. Check your connection and try again.")
  site.tokenMode = 'ok'
  await waitIdle(page)
  await button(page).click()
  await waitFor('passkey-enrolled', () => events.some(e => e.type === 'passkey-enrolled'))
  t.equal(await statusText(page, 'passkey-enroll'), 'Passkey added.')
  assertClean(t, watch)
})

t.test('a cancelled prompt is quiet: calm words, code cancelled, focus back on the button', async t => {
  const { site, page, watch, events, authenticator } = await setup(t)
  await authenticator.setUserVerified(false)
  await page.goto(site.url('/passkeys'))
  await waitFor('the prefetched token', () => site.tokenRequests.length === 1)
  await button(page).click()
  await waitFor('the cancel', () => events.some(e => e.type === 'passkey-error'))
  await waitIdle(page)
  t.match(events, [{ type: 'passkey-error', detail: { code: 'cancelled', message: 'No passkey was added.' } }])
  t.equal(await statusText(page, 'passkey-enroll'), 'No passkey was added.')
  t.equal(await page.evaluate(() => document.activeElement?.localName), 'passkey-enroll')
  t.same(await site.emulator.serverClient().getAuthenticators({ userId: 'bob' }), [])
  assertClean(t, watch)
})

t.test('keyboard only: Tab to the button, Enter; aria-busy and :state(pending) while the prompt runs', async t => {
  const { site, page, watch, events } = await setup(t)
  site.emulator.ctx.faults.set([{ path: '/v1/client/user-authenticators/passkey/registration-options', method: 'POST', latencyMs: 1500, times: 1 }])
  await page.goto(site.url('/passkeys'))
  await waitFor('the prefetched token', () => site.tokenRequests.length === 1)
  await page.keyboard.press('Tab')
  t.equal(await page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.localName), 'button', 'Tab reaches the button')
  await page.keyboard.press('Enter')
  await page.waitForFunction(() => document.querySelector('passkey-enroll')?.shadowRoot?.querySelector('button')?.getAttribute('aria-busy') === 'true')
  t.equal(await page.evaluate(() => document.querySelector('passkey-enroll')?.matches(':state(pending)')), true)
  // "Getting ready…" comes first when the prefetched token has not answered yet; then the prompt's words.
  await page.waitForFunction(() => document.querySelector('passkey-enroll')?.shadowRoot?.querySelector('[role="status"]')?.textContent?.trim() === "Follow your browser's prompt to create a passkey…")
  t.equal(await statusText(page, 'passkey-enroll'), "Follow your browser's prompt to create a passkey…")
  await waitFor('passkey-enrolled', () => events.some(e => e.type === 'passkey-enrolled'))
  await waitIdle(page)
  t.equal(await statusText(page, 'passkey-enroll'), 'Passkey added.')
  assertClean(t, watch)
})

t.test('success-url: the element goes there after adding, unless passkey-enrolled is prevented', async t => {
  t.test('followed', async t => {
    const { site, page, watch } = await setup(t)
    await page.goto(site.url('/passkeys?success=on'))
    await waitFor('the prefetched token', () => site.tokenRequests.length === 1)
    await button(page).click()
    await page.waitForURL(site.url('/passkeys/done'))
    t.equal(await page.locator('#done').textContent(), 'Passkey added')
    assertClean(t, watch)
  })
  t.test('prevented', async t => {
    const { site, page, watch, events } = await setup(t, { preventEnrolled: true })
    await page.goto(site.url('/passkeys?success=on'))
    await button(page).click()
    await waitFor('passkey-enrolled', () => events.some(e => e.type === 'passkey-enrolled'))
    await waitIdle(page)
    t.equal(new URL(page.url()).pathname, '/passkeys')
    t.equal(await statusText(page, 'passkey-enroll'), 'Passkey added.')
    assertClean(t, watch)
  })
})

t.test('a token-url on another origin is never called', async t => {
  const { site, page, watch, events } = await setup(t)
  await page.goto(site.url('/passkeys?token=cross-origin'))
  await button(page).click()
  await waitFor('the error', () => events.some(e => e.type === 'passkey-error'))
  t.match(events, [{ type: 'passkey-error', detail: { code: 'unknown', message: 'Adding a passkey is not set up on this page.' } }])
  t.equal(await statusText(page, 'passkey-enroll'), 'Adding a passkey is not set up on this page.')
  t.same(site.tokenRequests, [], 'no token was requested')
  assertClean(t, watch)
})

t.test('without WebAuthn the element says so, its button is disabled and no token is minted', async t => {
  const { site, page, watch } = await setup(t)
  await page.addInitScript(() => { delete (window as { PublicKeyCredential?: unknown }).PublicKeyCredential })
  await page.goto(site.url('/passkeys'))
  await page.evaluate(async () => { await customElements.whenDefined('passkey-enroll') })
  await page.waitForFunction(() => document.querySelector('passkey-enroll')?.shadowRoot?.querySelector('button')?.disabled === true)
  t.equal(await statusText(page, 'passkey-enroll'), "This browser can't create passkeys.")
  t.same(site.tokenRequests, [])
  assertClean(t, watch)
})

t.test('with autofill armed on the page, enrollment stops it first and re-arms it afterwards', async t => {
  const { site, page, watch, events, timeline, authenticator } = await setup(t)
  // Autofill needs a passkey to offer before it waits for the user (with none, the virtual authenticator refuses at once).
  await enrollWithSdk(page, site, 'alice')
  await authenticator.setPresence(false)
  const marks = await recordCeremonies(page)
  await page.goto(site.url('/combo'))
  // Armed means the conditional request is made, not only its options fetched: presence turned back on
  // before the request would have it answered at once, and the page would sign in instead of enrolling.
  await waitFor('the armed autofill', () => marks.some(mark => mark.type === 'get' && mark.mediation === 'conditional'))
  await waitFor('the prefetched token', () => site.tokenRequests.length === 1)
  await page.waitForTimeout(200)
  t.same(events, [], 'autofill is waiting for the user')
  await authenticator.setPresence(true)
  await button(page).click()
  await waitFor('passkey-enrolled', () => events.some(e => e.type === 'passkey-enrolled'))
  t.same(events.filter(e => e.type === 'passkey-error'), [], 'the stopped autofill said nothing')
  t.equal((await site.emulator.serverClient().getAuthenticators({ userId: 'bob' })).length, 1, 'bob has his passkey')
  // Re-armed after the enrollment: the virtual authenticator answers it at once with one of its passkeys.
  await page.waitForURL(site.url(`/interaction/${INTERACTION_UID}/passkey`))
  const registered = timeline.indexOf('/client/user-authenticators/passkey')
  t.ok(timeline.lastIndexOf('/client/challenge') > registered, 'autofill fetched a new challenge after the enrollment')
  const [form] = site.received
  const result = await site.emulator.serverClient().validateChallenge({ token: form.body.token, action: 'signInWithPasskey' })
  t.equal(result.state, 'CHALLENGE_SUCCEEDED')
  t.ok(['alice', 'bob'].includes(result.userId ?? ''), 'signed in with a passkey of this authenticator')
  assertClean(t, watch)
})
