// The whole product as a new user meets it, in one Chromium profile with a virtual authenticator:
// the demo app (its own port), the IdP (another port) and the local Authsignal server (a third), with
// cookies shared across ports as on any localhost — so a cookie collision would show. Screenshots of
// every step are kept under test-artifacts/journey-*.png.
import t from 'tap'
import { totp } from '../servers/authsignal-emulator/dist/totp.js'
import { addVirtualAuthenticator, launchBrowser, screenshot, watchPage } from './fixtures/browser.js'
import { startDemoStack } from './fixtures/client-app.js'
import { recordElementEvents, statusText, waitFor } from './fixtures/elements-browser.js'

const browser = await launchBrowser(t)

t.test('alice: password + authenticator app, adds a passkey, signs in with the button and with autofill, removes it', async t => {
  const stack = await startDemoStack(t)
  const { emulator, idp, client } = stack
  const context = await browser.newContext()
  t.teardown(() => context.close())
  const page = await context.newPage()
  // The refused passkey at the end makes Chromium log the failed request; nothing else may be logged.
  const watch = watchPage(page, [/Failed to load resource: the server responded with a status of 400/])
  const authenticator = await addVirtualAuthenticator(page)
  const events = await recordElementEvents(page)
  const authsignalCalls: string[] = []
  page.on('request', request => {
    const url = new URL(request.url())
    if (url.origin === emulator.origin && request.method() !== 'OPTIONS') authsignalCalls.push(url.pathname)
  })
  let step = 0
  const shot = async (name: string): Promise<void> => { await screenshot(page, `journey-${String(++step).padStart(2, '0')}-${name}`) }
  const onApp = async (path: string): Promise<void> => { await page.waitForURL(url => url.origin === client.origin && url.pathname === path, { timeout: 20_000 }) }
  const onLoginPage = async (): Promise<void> => {
    await page.waitForURL(url => url.origin === idp.origin && /^\/interaction\/[\w-]+$/.test(url.pathname))
    await page.evaluate(async () => { await customElements.whenDefined('passkey-signin-button') })
  }
  const signedInAs = async (): Promise<string | null> => await page.locator('#signed-in-as').getAttribute('data-sub')
  const signOut = async (): Promise<void> => {
    await page.click('#sign-out')
    await page.waitForURL(url => url.origin === idp.origin && url.pathname.startsWith('/oidc/session/end'))
    await page.click('#logout-yes')
    await onApp('/')
    t.equal(await page.locator('#sign-in').count(), 1, 'signed out: the home page offers "Sign in"')
  }
  // Chromium's virtual authenticator answers autofill at once; holding the first passkey challenge
  // back for a moment leaves the click to the button (the page's coordinator then stops the autofill).
  const OPTIONS_PATH = '/v1/client/user-authenticators/passkey/authentication-options'
  const holdAutofill = (): void => {
    emulator.ctx.faults.set([{ path: OPTIONS_PATH, method: 'POST', latencyMs: 2500, times: 1 }])
  }
  /** Clicks the passkey button once the autofill's (held) challenge request is on its way. */
  const clickPasskeyButton = async (): Promise<void> => {
    const held = authsignalCalls.filter(path => path === OPTIONS_PATH).length
    await waitFor('the autofill challenge request', () => emulator.ctx.faults.hits > 0 || authsignalCalls.filter(path => path === OPTIONS_PATH).length > held)
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click()
  }

  // 1. Password, then the hosted page: alice enrolls an authenticator app.
  await page.goto(`${client.origin}/`)
  await shot('home-signed-out')
  await page.click('#sign-in')
  await onLoginPage()
  await shot('idp-login')
  await page.fill('#username', 'alice')
  await page.fill('#password', 'alice')
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  await page.waitForURL(url => url.origin === emulator.origin && url.pathname === '/challenge')
  await page.click('#choose-app')
  await page.waitForFunction(() => (document.getElementById('totp-secret')?.textContent ?? '').length > 0)
  await shot('hosted-totp-enroll')
  const secret = (await page.textContent('#totp-secret')) ?? ''
  await page.fill('#enroll-code', totp(secret))
  await page.click('[data-screen="totp-enroll"] button[type="submit"]')
  await onApp('/')
  t.equal(await signedInAs(), 'alice', 'the app shows alice')
  await shot('home-alice')
  t.same(emulator.ctx.store.enrolledMethods('alice'), ['AUTHENTICATOR_APP'])

  // 2. The passkeys page: add one; it is listed.
  await page.click('a[href="/passkeys"]')
  await onApp('/passkeys')
  t.equal(await page.locator('#no-passkeys').count(), 1)
  await page.evaluate(async () => { await customElements.whenDefined('passkey-enroll') })
  await shot('passkeys-empty')
  await page.getByRole('button', { name: 'Add a passkey' }).click()
  await page.waitForURL(url => url.origin === client.origin && url.search === '?status=added')
  t.match(await page.textContent('#passkeys-status'), 'Passkey added')
  t.equal(await page.locator('#passkey-list li').count(), 1, 'the new passkey is listed')
  t.match(await page.textContent('#passkey-list .passkey-name'), /Chrome on Linux|Passkey/)
  t.match(await page.textContent('#passkey-list li'), /This device only[\s\S]*Added [\s\S]*never used/, 'device-bound, when added, not used yet')
  await shot('passkeys-added')
  t.equal((await authenticator.credentials()).length, 1, 'the passkey lives in the authenticator')
  t.match(events.filter(e => e.type === 'passkey-enrolled'), [{ target: 'passkey-enroll' }])

  // 3. Sign out (app and IdP), then in with the passkey button: no password.
  await signOut()
  await shot('signed-out')
  holdAutofill()
  await page.click('#sign-in')
  await onLoginPage()
  await clickPasskeyButton()
  await onApp('/')
  t.equal(await signedInAs(), 'alice', 'signed in with the passkey button')
  t.match(events.filter(e => e.type === 'passkey-signin').at(-1), { target: 'passkey-signin-button' })
  await shot('home-after-button')

  // 4. Sign out, then in through autofill: the username field offers the passkey.
  await signOut()
  // The login page arms autofill as it loads; Chromium's virtual authenticator picks the passkey at once
  // (a person would choose it from the username field's suggestions).
  await page.click('#sign-in')
  await page.waitForURL(url => url.origin === idp.origin && /^\/interaction\/[\w-]+$/.test(url.pathname))
  await onApp('/')
  t.equal(await signedInAs(), 'alice', 'signed in through autofill')
  t.match(events.filter(e => e.type === 'passkey-signin').at(-1), { target: 'passkey-input' })
  await shot('home-after-autofill')

  // 5. Remove the passkey (the autofill sign-in was moments ago: recent enough).
  await page.click('a[href="/passkeys"]')
  await onApp('/passkeys')
  t.match(await page.textContent('#passkey-list li'), /last used/, 'the passkey says it was used')
  await page.getByRole('button', { name: /Remove passkey/ }).click()
  await page.waitForURL(url => url.origin === client.origin && url.search === '?status=removed')
  t.match(await page.textContent('#passkeys-status'), 'Passkey removed')
  t.equal(await page.locator('#no-passkeys').count(), 1)
  await shot('passkeys-removed')
  t.same(await emulator.serverClient().getAuthenticators({ userId: 'alice' }).then(list => list.map(a => a.verificationMethod)), ['AUTHENTICATOR_APP'])

  // 6. A passkey sign-in now fails with a clear message; password + authenticator app still works.
  await signOut()
  holdAutofill()
  await page.click('#sign-in')
  await onLoginPage()
  const failuresBefore = events.filter(e => e.type === 'passkey-error').length
  await clickPasskeyButton()
  await waitFor('the refused passkey', () => events.filter(e => e.type === 'passkey-error' && e.target === 'passkey-signin-button').length > 0 && events.length > failuresBefore)
  const message = await statusText(page, 'passkey-signin-button')
  t.match(message, /passkey|not recogni[sz]ed|removed|could not/i, `a clear message: "${message}"`)
  t.match(page.url(), /\/interaction\//, 'still on the login page, not signed in')
  await shot('passkey-refused')
  await page.fill('#username', 'alice')
  await page.fill('#password', 'alice')
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  await page.waitForURL(url => url.origin === emulator.origin && url.pathname === '/challenge')
  await page.fill('#challenge-code', totp(secret, Date.now() + 30_000))
  await page.click('[data-screen="totp-challenge"] button[type="submit"]')
  await onApp('/')
  t.equal(await signedInAs(), 'alice', 'password + authenticator app still signs in')
  await shot('home-password-again')

  // One profile the whole time: each app kept its own cookies (plus the Authsignal SDK's device id).
  const names = [...new Set((await context.cookies()).map(c => c.name))].sort()
  t.ok(names.includes('app_session'))
  t.same(names.filter(n => n !== 'app_session' && !n.startsWith('idp_') && n !== '__as_aid'), [], `cookie names: ${names.join(', ')}`)
  t.ok(authsignalCalls.includes('/v1/client/verify/passkey'))
  t.same(watch.errors, [], 'no uncaught errors or console errors')
  t.same(watch.cspViolations, [], 'no CSP violations')
})

