// The passkey sign-in's critical paths on the IdP's login page, in real Chromium, counted in requests (never
// timed): with `prepareSignIn` the IdP fetches the challenge and options as it renders the page, so
//  - no request from the browser before autofill is armed,
//  - none between the click on the button and its prompt (the button takes the options autofill held),
//  - and the whole sign-in from the browser is one Authsignal request: the verification.
// When the IdP could not prepare them (Authsignal slow or down at render), the page goes out at its deadline
// without them and the elements fetch their own; options that went stale while the page sat idle are replaced
// before the click; options used by an autofill attempt are never used again.
// Autofill is held (a person who has not picked yet) unless a test lets it answer; the modal prompt is answered
// by Chromium's virtual authenticator at once. bench/round-trips.ts measures the same paths in milliseconds.
import t, { type Test } from 'tap'
import { launchBrowser } from './fixtures/browser.js'
import { recordCeremonies, waitFor, type CeremonyMark } from './fixtures/elements-browser.js'
import { assertClean, givePasskey, journey, openLoginPage, signedInAs, type Journey, type JourneyOptions } from './fixtures/login-journey.js'

const browser = await launchBrowser(t)

const CHALLENGE = '/client/challenge'
const OPTIONS = '/client/user-authenticators/passkey/authentication-options'
const VERIFY = '/client/verify/passkey'

interface Paths extends Journey {
  marks: CeremonyMark[]
  /** Every request the Authsignal server received, in order: `browser POST /client/…` or `IdP POST /client/…`. */
  received: string[]
  /** Browser requests to Authsignal (preflights left out), taken when the conditional request started. */
  beforeArmed: () => Promise<string[]>
}

async function paths (t: Test, options: JourneyOptions & { holdAutofill?: boolean } = {}): Promise<Paths> {
  // A deadline no loaded CI machine misses (the demo's is 300 ms); the tests of a missed one set their own.
  const j = await journey(t, browser, { passkeyLogin: { prepareSignIn: { deadlineMs: 5000 } }, ...options })
  const received: string[] = []
  j.emulator.app.server.on('request', request => {
    const path = (request.url ?? '').split('?')[0]?.replace(/^\/v1/, '') ?? ''
    if (path.startsWith('/client/')) received.push(`${request.headers.origin != null ? 'browser' : 'IdP'} ${request.method ?? ''} ${path}`)
  })
  const marks = await recordCeremonies(j.page, { holdAutofill: options.holdAutofill ?? true })
  let armedCalls: string[] | undefined
  // The page's calls when autofill was armed: read as the conditional mark arrives (the page is then still
  // waiting for a person; nothing else runs until the test clicks).
  const beforeArmed = async (): Promise<string[]> => {
    await waitFor('autofill armed', () => marks.some(m => m.type === 'get' && m.mediation === 'conditional'))
    armedCalls ??= [...j.authsignalCalls]
    return armedCalls
  }
  return { ...j, marks, received, beforeArmed }
}

async function loginPageHtml (j: Journey): Promise<string> {
  return await j.page.evaluate(() => document.documentElement.outerHTML)
}

const browserCalls = (p: Paths): string[] => p.received.filter(r => r.startsWith('browser ') && !r.startsWith('browser OPTIONS'))
const idpCalls = (p: Paths): string[] => p.received.filter(r => r.startsWith('IdP '))

t.test('prepared by the IdP: no request before autofill is armed, none between the click and the prompt; the sign-in is one verification', async t => {
  const p = await paths(t)
  await givePasskey(p, 'alice')
  p.received.length = 0
  await openLoginPage(p)
  t.same(await p.beforeArmed(), [], 'autofill was armed with no request from the browser')
  t.same(idpCalls(p), [`IdP POST ${CHALLENGE}`, `IdP POST ${OPTIONS}`], 'the IdP fetched the challenge, then its options, as it rendered the page')
  const html = await loginPageHtml(p)
  t.equal((html.match(/prepared-options="/g) ?? []).length, 2, 'both elements carry the options')
  t.notMatch(html, /prepared-options="[^"]*</, 'escaped into the attribute')

  await p.page.waitForTimeout(300)
  t.same(browserCalls(p), [], 'the page sat with autofill armed and asked nothing')
  await p.page.getByRole('button', { name: 'Sign in with a passkey' }).click()
  t.equal(await signedInAs(p), 'alice')
  const modal = p.marks.filter(m => m.type === 'get' && m.mediation === 'modal')
  t.equal(modal.length, 1, 'one modal prompt')
  // Everything the browser asked Authsignal, from the page's start to the signed-in app: the verification.
  t.same(browserCalls(p), [`browser POST ${VERIFY}`], 'no challenge or options request anywhere: zero between the click and the prompt')
  t.same(p.authsignalCalls, [VERIFY])
  t.match(p.rp.signIns, [{ sub: 'alice', amr: ['hwk'] }])
  assertClean(t, p)
})

t.test('prepared options serve autofill itself: a person picking the passkey signs in with no request but the verification', async t => {
  const p = await paths(t, { holdAutofill: false })
  await givePasskey(p, 'bob')
  await openLoginPage(p)
  t.equal(await signedInAs(p), 'bob')
  t.same(browserCalls(p), [`browser POST ${VERIFY}`])
  t.match(p.events.filter(e => e.type === 'passkey-signin'), [{ target: 'passkey-input' }])
  assertClean(t, p)
})

for (const [what, fault] of [
  ['slow', { latencyMs: 6000, times: 1 }],
  ['down', { status: 503, times: 1 }]
] as const) {
  t.test(`Authsignal ${what} at render: the page goes out at its deadline without options, the elements fetch their own, and the button signs in`, async t => {
    const logLines: string[] = []
    const p = await paths(t, { passkeyLogin: { prepareSignIn: { deadlineMs: 1500 } }, logLines })
    await givePasskey(p, 'alice')
    // The IdP's challenge request is the one that meets the fault (the first one made).
    p.emulator.ctx.faults.set([{ path: `/v1${CHALLENGE}`, method: 'POST', ...fault }])
    await openLoginPage(p)
    t.notMatch(await loginPageHtml(p), /prepared-options=/, 'no options in the page')
    t.ok(logLines.some(line => line.includes('"event":"prepare-sign-in-failed"')), 'the IdP says why, once')
    t.same(await p.beforeArmed(), [CHALLENGE, OPTIONS], 'the elements fetched the challenge and its options (the SDK\'s two requests), once for both elements')
    await p.page.getByRole('button', { name: 'Sign in with a passkey' }).click()
    t.equal(await signedInAs(p), 'alice')
    t.same(p.authsignalCalls, [CHALLENGE, OPTIONS, VERIFY], 'the click used the options autofill held: none between the click and the prompt')
    assertClean(t, p)
  })
}

t.test('options that went stale while the page sat idle are replaced before the click, and the click still needs no request', async t => {
  const p = await paths(t)
  await givePasskey(p, 'alice')
  // The page's clock, so an idle minute takes no time: the options' life (50 s) runs out in the page.
  await p.page.clock.install()
  await openLoginPage(p)
  t.same(await p.beforeArmed(), [])
  await p.page.clock.fastForward('01:00')
  await waitFor('fresh options', () => p.authsignalCalls.filter(c => c === OPTIONS).length >= 1)
  await waitFor('autofill armed again with them', () => p.marks.filter(m => m.type === 'get' && m.mediation === 'conditional').length >= 2)
  const beforeClick = [...p.authsignalCalls]
  t.same(beforeClick, [CHALLENGE, OPTIONS], 'one new challenge and its options, fetched while idle')
  await p.page.getByRole('button', { name: 'Sign in with a passkey' }).click()
  t.equal(await signedInAs(p), 'alice')
  t.same(p.authsignalCalls, [...beforeClick, VERIFY], 'the click took the fresh options')
  assertClean(t, p)
})

t.test('options used by an autofill attempt are never used again: each verification has options of its own', async t => {
  // Autofill answers at once with a passkey Authsignal no longer knows: the verification uses the prepared
  // options and fails. Autofill is armed again with fresh options (as often as it meets that passkey, until
  // the authenticator holds the known one), and signs in.
  const p = await paths(t, { holdAutofill: false })
  await givePasskey(p, 'alice')
  const [stale] = await p.emulator.serverClient().getAuthenticators({ userId: 'alice' })
  await p.emulator.serverClient().deleteAuthenticator({ userId: 'alice', userAuthenticatorId: stale!.userAuthenticatorId })
  const [credential] = await p.authenticator.credentials()
  await openLoginPage(p)
  await waitFor('the refused verification', () => p.authsignalCalls.includes(VERIFY))
  await p.authenticator.cdp.send('WebAuthn.removeCredential', { authenticatorId: p.authenticator.authenticatorId, credentialId: credential!.credentialId })
  await givePasskey(p, 'alice')
  t.equal(await signedInAs(p), 'alice')
  const [first, ...rest] = p.authsignalCalls
  t.equal(first, VERIFY, 'the prepared options went to the first verification')
  t.ok(rest.length >= 3 && rest.length % 3 === 0, `then ${rest.length / 3} more attempts`)
  for (let i = 0; i < rest.length; i += 3) t.same(rest.slice(i, i + 3), [CHALLENGE, OPTIONS, VERIFY], `attempt ${i / 3 + 2}: new options, then their verification`)
  t.match(p.events.filter(e => e.type === 'passkey-signin'), [{ target: 'passkey-input' }])
  t.equal(p.rp.signIns.length, 1)
})
