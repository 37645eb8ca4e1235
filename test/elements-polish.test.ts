// The elements' finish in real Chromium: where focus goes after an enrollment and after a failed sign-in,
// how status and errors are announced (role="status" / role="alert" regions present from the first render),
// what a page shows before the elements are defined or without JavaScript, and that nothing overflows a
// 320 or 375 px wide screen, in the languages with the longest words.
import t, { type Test } from 'tap'
import type { Page } from 'playwright-core'
import { addVirtualAuthenticator, launchBrowser, newContext, watchPage, type PageWatch } from './fixtures/browser.js'
import { enrollWithSdk, recordElementEvents, statusText, waitFor } from './fixtures/elements-browser.js'
import { startElementsPage, type ElementsPage } from './fixtures/elements-page.js'

const browser = await launchBrowser(t)

function assertClean (t: Test, watch: PageWatch): void {
  t.same(watch.errors, [], 'no uncaught errors or console errors')
  t.same(watch.cspViolations, [], 'no CSP violations')
}

/** Where focus is: the element holding it and, inside its shadow root, what has it. */
async function focused (page: Page): Promise<{ host: string, inner: string, role: string | null, text: string }> {
  return await page.evaluate(() => {
    const host = document.activeElement
    const inner = host?.shadowRoot?.activeElement ?? null
    return { host: host?.localName ?? '', inner: inner?.localName ?? '', role: inner?.getAttribute('role') ?? null, text: inner?.textContent?.trim() ?? '' }
  })
}

t.test('every element has its two live regions from the first render, empty: role="status" and role="alert"', async t => {
  const site = await startElementsPage(t)
  const page = await (await newContext(t, browser)).newPage()
  const watch = watchPage(page)
  await page.goto(site.url('/theming'))
  await page.evaluate(async () => { await customElements.whenDefined('passkey-enroll') })
  for (const tag of ['passkey-input', 'passkey-signin-button', 'passkey-enroll']) {
    await page.waitForFunction(tag => document.querySelector(tag)?.shadowRoot?.querySelectorAll('[part~="status"]').length === 2, tag)
    const regions = await page.evaluate(tag => [...document.querySelector(tag)?.shadowRoot?.querySelectorAll('[part~="status"]') ?? []]
      .map(p => ({ role: p.getAttribute('role'), text: (p.textContent ?? '').trim(), height: p.getBoundingClientRect().height })), tag)
    t.same(regions.map(r => r.role), ['alert', 'status'], `<${tag}>: an alert region and a status region`)
    t.same(regions.map(r => r.text), ['', ''], `<${tag}>: both empty until there is something to say`)
    t.same(regions.map(r => r.height), [0, 0], `<${tag}>: empty regions take no room`)
  }
  assertClean(t, watch)
})

t.test('a refused passkey: the button says why in its alert region, and the focus is back on the button', async t => {
  const site = await startElementsPage(t)
  const page = await (await newContext(t, browser)).newPage()
  const watch = watchPage(page, [/status of 400/])
  await addVirtualAuthenticator(page)
  await enrollWithSdk(page, site, 'carol')
  const events = await recordElementEvents(page)
  // The passkey is still on the device, but Authsignal no longer knows it.
  const [authenticator] = await site.emulator.serverClient().getAuthenticators({ userId: 'carol' })
  await site.emulator.serverClient().deleteAuthenticator({ userId: 'carol', userAuthenticatorId: authenticator!.userAuthenticatorId })
  await page.goto(site.url('/login?input=off'))
  await page.locator('passkey-signin-button button').click()
  await waitFor('the refusal', () => events.some(e => e.type === 'passkey-error'))
  await page.waitForFunction(() => document.querySelector('passkey-signin-button')?.shadowRoot?.querySelector('button')?.disabled === false)
  const message = "That passkey wasn't accepted. Try again, or sign in with your password."
  t.match(events, [{ type: 'passkey-error', detail: { code: 'not-allowed', message } }])
  t.equal((await page.locator('passkey-signin-button [role="alert"]').textContent())?.trim(), message, 'the error is in the alert region')
  t.equal((await page.locator('passkey-signin-button [role="status"]').textContent())?.trim(), '', 'the status region is empty')
  t.match(await focused(page), { host: 'passkey-signin-button', inner: 'button' }, 'the focus is on the button, ready to try again')
  t.equal(await page.evaluate(() => document.querySelector('passkey-signin-button')?.matches(':state(error)')), true, ':state(error)')
  assertClean(t, watch)
})

t.test('after a passkey is added, the focus moves to the words that say so', async t => {
  const site = await startElementsPage(t, { enrollUserId: 'dave' })
  const page = await (await newContext(t, browser)).newPage()
  const watch = watchPage(page)
  const authenticator = await addVirtualAuthenticator(page)
  const events = await recordElementEvents(page)
  await page.goto(site.url('/passkeys'))
  await waitFor('the prefetched token', () => site.tokenRequests.length === 1)
  // Keyboard only: Tab to the button, Enter.
  await page.keyboard.press('Tab')
  await page.keyboard.press('Enter')
  await waitFor('passkey-enrolled', () => events.some(e => e.type === 'passkey-enrolled'))
  await page.waitForFunction(() => document.querySelector('passkey-enroll')?.shadowRoot?.activeElement?.getAttribute('role') === 'status')
  t.same(await focused(page), { host: 'passkey-enroll', inner: 'p', role: 'status', text: 'Passkey added.' }, 'the focus is on "Passkey added."')
  t.equal(await page.locator('passkey-enroll [role="status"]').getAttribute('tabindex'), '-1', 'focusable by script only, not a tab stop')
  t.equal(await page.evaluate(() => document.querySelector('passkey-enroll')?.matches(':state(added)')), true)
  // A cancelled second attempt puts the focus back on the button.
  await authenticator.setUserVerified(false)
  await waitFor('a fresh token', () => site.tokenRequests.length === 2)
  await page.locator('passkey-enroll button').click()
  await waitFor('the cancel', () => events.some(e => e.type === 'passkey-error'))
  await page.waitForFunction(() => document.querySelector('passkey-enroll')?.shadowRoot?.activeElement?.localName === 'button')
  t.match(await focused(page), { host: 'passkey-enroll', inner: 'button' })
  t.equal(await statusText(page, 'passkey-enroll'), 'No passkey was added.')
  assertClean(t, watch)
})

t.test('before the elements are defined, and without JavaScript, nothing misleading shows and the password form works', async t => {
  const site = await startElementsPage(t)
  const context = await browser.newContext({ javaScriptEnabled: false })
  t.teardown(() => context.close())
  const page = await context.newPage()

  // Without the stylesheet, the button's server-rendered label is dead text.
  await page.goto(site.url('/login'))
  t.equal(await page.locator('passkey-signin-button').isVisible(), true, 'without passkey-elements.css the label shows (and does nothing)')

  // With it (or with the element left empty), the button shows nothing until it works.
  await page.goto(site.url('/login?css=on'))
  t.equal(await page.locator('passkey-signin-button').isVisible(), false, 'passkey-elements.css hides the undefined button')
  t.equal(await page.getByText('Sign in with a passkey').isVisible(), false)
  await page.goto(site.url('/login?label=off'))
  t.equal(await page.locator('passkey-signin-button').boundingBox().then(box => box == null || box.width === 0), true, 'an empty element shows nothing')

  // The password form is whole: its field in <passkey-input> is visible, labelled and posts.
  await page.goto(site.url('/login?css=on'))
  t.equal(await page.getByLabel('Username').isVisible(), true, 'the username field in <passkey-input> shows')
  await page.getByLabel('Username').fill('erin')
  await page.getByLabel('Password').fill('correct horse')
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  await page.waitForURL(site.url('/interaction/test-uid/login'))
  t.match(site.received, [{ route: 'login', body: { username: 'erin', password: 'correct horse' } }], 'the password form posted without JavaScript')

  // With JavaScript the same page shows the button once it is defined.
  const scripted = await (await newContext(t, browser)).newPage()
  await scripted.goto(site.url('/login?css=on'))
  await scripted.evaluate(async () => { await customElements.whenDefined('passkey-signin-button') })
  await scripted.locator('passkey-signin-button button').waitFor({ state: 'visible' })
  t.pass('the defined button is visible')
})

for (const width of [320, 375]) {
  t.test(`${width} px wide: no element overflows, in the languages with the longest words, with their longest words showing`, async t => {
    const site = await startElementsPage(t)
    site.tokenMode = 'reauth'
    const context = await browser.newContext({ viewport: { width, height: 800 } })
    t.teardown(() => context.close())
    const page = await context.newPage()
    // The token route answers 401 (a fresh sign-in is needed), which Chromium logs.
    const watch = watchPage(page, [/status of 401/])
    for (const lang of ['de', 'nl', 'pl', 'fr', 'pt-BR', 'ja']) {
      await page.goto(site.url(`/theming?lang=${lang}&label=off`))
      await page.evaluate(async () => { await customElements.whenDefined('passkey-enroll') })
      // The enroll element says, with its link, that a fresh sign-in is needed; the button says why it failed.
      await page.locator('passkey-enroll a[part="link"]').waitFor()
      await page.evaluate(() => {
        const button = document.querySelector('passkey-signin-button') as HTMLElement & { authsignal: unknown }
        button.authsignal = { signIn: async () => ({ ok: false, code: 'network', reason: 'test' }), signUp: async () => ({ ok: false, code: 'unknown', reason: 'test' }), abort () {} }
      })
      await page.locator('passkey-signin-button button').click()
      await page.waitForFunction(() => (document.querySelector('passkey-signin-button')?.shadowRoot?.querySelector('[role="alert"]')?.textContent ?? '') !== '')
      const overflows = await page.evaluate(() => {
        const found: string[] = []
        const check = (label: string, element: Element | null | undefined): void => {
          if (element == null) { found.push(`${label}: missing`); return }
          const box = element.getBoundingClientRect()
          if (element.scrollWidth > element.clientWidth) found.push(`${label}: scrollWidth ${element.scrollWidth} > clientWidth ${element.clientWidth}`)
          if (box.right > window.innerWidth || box.left < 0) found.push(`${label}: ${box.left}–${box.right} outside 0–${window.innerWidth}`)
        }
        for (const tag of ['passkey-input', 'passkey-signin-button', 'passkey-enroll']) {
          const host = document.querySelector(tag)
          check(tag, host)
          for (const [index, part] of [...host?.shadowRoot?.querySelectorAll('[part]') ?? []].entries()) check(`${tag} ${part.localName}[part=${part.getAttribute('part')}] #${index}`, part)
        }
        if (document.documentElement.scrollWidth > window.innerWidth) found.push(`the page scrolls sideways: ${document.documentElement.scrollWidth} > ${window.innerWidth}`)
        return found
      })
      t.same(overflows, [], `${lang}: nothing overflows at ${width} px`)
      t.not(await statusText(page, 'passkey-signin-button'), '', `${lang}: the button's words show`)
      t.not(await statusText(page, 'passkey-enroll'), '', `${lang}: the enroll element's words show`)
    }
    assertClean(t, watch)
  })
}
