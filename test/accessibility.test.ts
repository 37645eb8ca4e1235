// axe-core in Chromium on every page state of the journey — the app's home (signed out, signed in), the IdP's
// login page (fresh, after a wrong password), the local Authsignal server's hosted page (its authenticator-app
// screen), the app's passkeys page (empty, after adding a passkey, after removing it, the stale-sign-in note),
// the IdP's sign-out confirmation, signed-out, home and error pages, the app's error page — each in light and
// dark, at desktop width and at 375 px: zero violations of axe's WCAG 2.x A/AA rules and best practices. A
// violation in a part this project does not own (the plugin's pages, the elements, the hosted page) is not
// skipped or excluded: it fails here, named by its rule, target and page. Also: nothing is wider than the
// screen at 320 and 375 px, the message takes focus after a change or a failure, and a sweep of the pages in
// all eleven languages (dark, 320 px) for overflow and axe.
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type { BrowserContext, Page } from 'playwright-core'
import t from 'tap'
import { LANGUAGES } from 'fastify-passkey-core'
import { totp } from '../servers/authsignal-emulator/dist/totp.js'
import { addVirtualAuthenticator, launchBrowser, screenshot } from './fixtures/browser.js'
import { startDemoStack, type DemoStack } from './fixtures/client-app.js'
import { enrollPasskey } from './fixtures/oidc-flows.js'

const AXE_PATH = join(dirname(createRequire(import.meta.url).resolve('axe-core')), 'axe.min.js')
/** axe's WCAG 2.0/2.1/2.2 A and AA rules, and its best practices. */
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa', 'best-practice']
const THEMES = ['light', 'dark'] as const
const WIDTHS = [1280, 375] as const
const NARROW = [320, 375] as const

type Theme = typeof THEMES[number]
/** Who fixes a page (and so a violation on it, unless it is inside an element's shadow root). */
type Owner = 'demo app' | 'demo IdP views' | 'passkey-login plugin' | 'authsignal-emulator hosted page'

interface Violation {
  state: string
  owner: string
  theme: Theme
  width: number
  rule: string
  impact: string
  target: string
  summary: string
}

interface AxeNode { target: unknown[], failureSummary?: string }
interface AxeResult { id: string, impact?: string | null, nodes: AxeNode[] }

// Sixteen page states in four renderings each, and a sweep of nine pages in eleven languages.
t.setTimeout(600_000)
const browser = await launchBrowser(t)
const violations: Violation[] = []
const overflows: string[] = []
const scanned: Array<{ state: string, owner: Owner, theme: Theme, width: number }> = []
const STATES = new Set<string>()

async function settle (page: Page): Promise<void> {
  await page.evaluate(async () => {
    await new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(resolve)))
    // A theme switch starts CSS transitions (the hosted page's buttons fade their colours over 150 ms):
    // axe must measure the colours they end at, not a frame halfway (a contrast between the two themes').
    const running = document.getAnimations().filter(animation => animation.effect?.getComputedTiming().endTime !== Infinity)
    await Promise.all(running.map(async animation => await animation.finished.catch(() => undefined)))
  })
}

/** Rules axe could not decide (e.g. contrast over an image), by state: reported, for a person to look at. */
const incomplete: string[] = []
let rulesPassed = 0
const lowestContrast: Array<{ state: string, ratio: number, target: string }> = []

async function axeRun (page: Page, state: string): Promise<AxeResult[]> {
  if (!await page.evaluate(() => 'axe' in window)) await page.addScriptTag({ path: AXE_PATH })
  const result = await page.evaluate(async tags => {
    const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: unknown[], incomplete: Array<{ id: string, nodes: unknown[] }>, passes: unknown[] }> } }).axe
    const { violations, incomplete, passes } = await axe.run(document, { runOnly: { type: 'tag', values: tags } })
    // The lowest text contrast axe measured and passed, with where.
    const measured = (passes as Array<{ id: string, nodes: Array<{ target: unknown[], any: Array<{ data?: { contrastRatio?: number } }> }> }>)
      .filter(r => r.id === 'color-contrast').flatMap(r => r.nodes).map(n => ({ ratio: n.any[0]?.data?.contrastRatio ?? Infinity, target: JSON.stringify(n.target) }))
      .sort((a, b) => a.ratio - b.ratio)
    return { violations, incomplete: incomplete.map(r => `${r.id} (${r.nodes.length})`), passes: passes.length, lowest: measured[0] }
  }, AXE_TAGS) as { violations: AxeResult[], incomplete: string[], passes: number, lowest?: { ratio: number, target: string } }
  rulesPassed += result.passes
  if (result.lowest != null) lowestContrast.push({ state, ...result.lowest })
  for (const rule of result.incomplete) incomplete.push(`${state}: ${rule}`)
  return result.violations
}

/** Document wider than the viewport (horizontal scrolling), or null. */
async function overflow (page: Page): Promise<string | null> {
  return await page.evaluate(() => {
    const width = document.documentElement.scrollWidth
    if (width <= window.innerWidth) return null
    const wide = [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
      .map(e => `${e.localName}${e.id !== '' ? `#${e.id}` : ''}${typeof e.className === 'string' && e.className !== '' ? `.${e.className.split(/\s+/).join('.')}` : ''}`)
    return `scrollWidth ${width} > ${window.innerWidth}: ${wide.slice(0, 5).join(', ')}`
  })
}

/**
 * axe measures contrast against the backgrounds it finds, and takes a page without one for white. In dark
 * mode the browser paints such a page's canvas dark, so axe would judge its words against the wrong colour:
 * a page must paint its own background (e.g. `background: Canvas`) for its dark contrast to be verified.
 */
async function unmeasuredCanvas (page: Page): Promise<AxeResult[]> {
  const transparent = await page.evaluate(() => [document.documentElement, document.body].every(e => e == null || getComputedStyle(e).backgroundColor === 'rgba(0, 0, 0, 0)'))
  return transparent ? [{ id: 'own check: dark canvas without a background (contrast unmeasurable)', impact: 'serious', nodes: [{ target: ['html'], failureSummary: 'Neither html nor body sets a background colour; axe assumes white.' }] }] : []
}

function record (state: string, owner: Owner, theme: Theme, width: number, results: AxeResult[]): void {
  for (const result of results) {
    for (const node of result.nodes) {
      // A target of more than one selector is inside a shadow root: an element of passkey-elements.
      const inShadow = node.target.length > 1
      violations.push({
        state,
        owner: inShadow ? 'passkey-elements (shadow DOM)' : owner,
        theme,
        width,
        rule: result.id,
        impact: result.impact ?? '',
        target: JSON.stringify(node.target),
        summary: (node.failureSummary ?? '').replace(/\s+/g, ' ').slice(0, 300)
      })
    }
  }
}

/** Scans the page as it is, in both themes and both widths; checks 320 and 375 px for overflow. */
async function scan (page: Page, state: string, owner: Owner, shot?: string): Promise<void> {
  if (STATES.has(state)) throw new Error(`scanned twice: ${state}`)
  STATES.add(state)
  const viewport = page.viewportSize() ?? { width: 1280, height: 800 }
  for (const theme of THEMES) {
    await page.emulateMedia({ colorScheme: theme })
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 800 })
      await settle(page)
      if (await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches) !== (theme === 'dark')) throw new Error(`${state}: the ${theme} scheme did not apply`)
      record(state, owner, theme, width, await axeRun(page, `${state} (${theme}, ${width})`))
      if (theme === 'dark') record(state, owner, theme, width, await unmeasuredCanvas(page))
      scanned.push({ state, owner, theme, width })
    }
  }
  await page.emulateMedia({ colorScheme: 'light' })
  for (const width of NARROW) {
    await page.setViewportSize({ width, height: 800 })
    await settle(page)
    const wide = await overflow(page)
    if (wide != null) overflows.push(`${state} at ${width} px: ${wide}`)
  }
  if (shot != null) {
    await page.emulateMedia({ colorScheme: 'dark' })
    await page.setViewportSize({ width: 375, height: 800 })
    await settle(page)
    await screenshot(page, `a11y-375-dark-${shot}`)
    await page.emulateMedia({ colorScheme: 'light' })
  }
  await page.setViewportSize(viewport)
}

/** The id (or tag) of the focused element. */
async function focused (page: Page): Promise<string> {
  return await page.evaluate(() => document.activeElement?.id !== '' ? document.activeElement?.id ?? '' : document.activeElement?.localName ?? '')
}

async function newContext (t: { teardown (fn: () => unknown): void }): Promise<BrowserContext> {
  // The pages' CSP forbids injected scripts; axe is injected, so this profile bypasses CSP.
  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 800 } })
  t.teardown(() => context.close())
  return context
}

const onApp = async (page: Page, stack: DemoStack, path: string, search?: string): Promise<void> => {
  await page.waitForURL(url => url.origin === stack.client.origin && url.pathname === path && (search == null || url.search === search), { timeout: 20_000 })
}

const onLoginPage = async (page: Page, stack: DemoStack): Promise<void> => {
  await page.waitForURL(url => url.origin === stack.idp.origin && /^\/interaction\/[\w-]+$/.test(url.pathname))
  await page.evaluate(async () => { await customElements.whenDefined('passkey-signin-button') })
}

t.test('every page state of the journey, light and dark, desktop and 375 px: no axe violations, no overflow', async t => {
  const stack = await startDemoStack(t)
  const { client, idp } = stack
  const context = await newContext(t)
  const page = await context.newPage()
  await addVirtualAuthenticator(page)

  await page.goto(`${client.origin}/`)
  await scan(page, 'app home, signed out', 'demo app', 'app-home-signed-out')

  await page.click('#sign-in')
  await onLoginPage(page, stack)
  await scan(page, 'IdP login page, fresh', 'passkey-login plugin', 'idp-login')
  await page.fill('#username', 'alice')
  await page.fill('#password', 'wrong-password')
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  // The refusal is the login page again, answered at the form's URL.
  await page.waitForURL(url => url.origin === idp.origin && /^\/interaction\/[\w-]+\/login$/.test(url.pathname))
  await page.waitForSelector('#login-error')
  await page.evaluate(async () => { await customElements.whenDefined('passkey-signin-button') })
  t.equal(await focused(page), 'login-error', 'after a wrong password, focus is on the message')
  await scan(page, 'IdP login page, wrong password', 'passkey-login plugin', 'idp-login-error')

  await page.fill('#password', 'alice')
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  await page.waitForURL(url => url.origin === stack.emulator.origin && url.pathname === '/challenge')
  await page.click('#choose-app')
  await page.waitForFunction(() => (document.getElementById('totp-secret')?.textContent ?? '').length > 0)
  await scan(page, 'hosted page, authenticator app', 'authsignal-emulator hosted page', 'hosted-totp')
  const secret = (await page.textContent('#totp-secret')) ?? ''
  await page.fill('#enroll-code', totp(secret))
  await page.click('[data-screen="totp-enroll"] button[type="submit"]')
  await onApp(page, stack, '/')
  await scan(page, 'app home, signed in', 'demo app', 'app-home-signed-in')

  await page.click('a[href="/passkeys"]')
  await onApp(page, stack, '/passkeys')
  await page.evaluate(async () => { await customElements.whenDefined('passkey-enroll') })
  await scan(page, 'app passkeys, empty', 'demo app', 'passkeys-empty')

  await page.getByRole('button', { name: 'Add a passkey' }).click()
  await onApp(page, stack, '/passkeys', '?status=added')
  await page.evaluate(async () => { await customElements.whenDefined('passkey-enroll') })
  t.equal(await focused(page), 'passkeys-status', 'after adding, focus is on the words that say so')
  t.equal(await page.getAttribute('#passkeys-status', 'role'), 'status')
  await scan(page, 'app passkeys, passkey added', 'demo app', 'passkeys-added')

  await page.getByRole('button', { name: /Remove passkey/ }).click()
  await onApp(page, stack, '/passkeys', '?status=removed')
  t.equal(await focused(page), 'passkeys-status', 'after removing, focus is on the words that say so')
  await scan(page, 'app passkeys, passkey removed', 'demo app', 'passkeys-removed')

  await page.goto(`${client.origin}/passkeys?status=reauthentication_required`)
  t.equal(await focused(page), 'passkeys-status', 'after a refusal, focus is on the words that say so')
  t.equal(await page.getAttribute('#passkeys-status', 'role'), 'alert', 'a refusal is an alert')
  await scan(page, 'app passkeys, a refusal', 'demo app')

  await page.click('#sign-out')
  await page.waitForURL(url => url.origin === idp.origin && url.pathname.startsWith('/oidc/session/end'))
  await scan(page, 'IdP sign-out confirmation', 'demo IdP views', 'idp-logout')
  await page.click('#logout-yes')
  await onApp(page, stack, '/')

  // The IdP's own pages: signed out (no client), home, its error page; the plugin's error page.
  await page.goto(`${idp.origin}/oidc/session/end`)
  await page.waitForURL(url => url.origin === idp.origin && url.pathname === '/oidc/session/end/success')
  await scan(page, 'IdP signed out', 'demo IdP views', 'idp-logged-out')
  await page.goto(`${idp.origin}/`)
  await scan(page, 'IdP home', 'demo IdP views')
  const badRedirect = new URL(`${idp.origin}/oidc/auth`)
  for (const [name, value] of Object.entries({ client_id: 'demo-app', response_type: 'code', scope: 'openid', redirect_uri: 'http://evil.example/callback', code_challenge: 'a'.repeat(43), code_challenge_method: 'S256' })) badRedirect.searchParams.set(name, value)
  const idpError = await page.goto(badRedirect.href)
  t.equal(idpError?.status(), 400)
  t.equal(await focused(page), 'error-message', 'the IdP error page: focus on the message')
  await scan(page, 'IdP error page (oidc-provider)', 'demo IdP views', 'idp-error')
  await page.goto(`${idp.origin}/interaction/abcdefghijklmnopqrstu`)
  await scan(page, 'IdP error page (passkey-login, expired interaction)', 'passkey-login plugin')

  const appError = await page.goto(`${client.origin}/nowhere`)
  t.equal(appError?.status(), 404)
  t.equal(await focused(page), 'error-message', 'the app error page: focus on the message')
  await scan(page, 'app error page', 'demo app', 'app-error')
})

t.test('the stale-sign-in note, and every page in all eleven languages (dark, 320 px): no overflow, no violations', async t => {
  const stack = await startDemoStack(t, { client: { maxAuthAgeSeconds: 2 } })
  const { client, idp, emulator } = stack
  const context = await newContext(t)
  const page = await context.newPage()

  // Sign in (password + authenticator app on the hosted page), then let the sign-in grow old.
  await page.goto(`${client.origin}/login?returnTo=/passkeys`)
  await onLoginPage(page, stack)
  await page.fill('#username', 'bob')
  await page.fill('#password', 'bob')
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  await page.waitForURL(url => url.origin === emulator.origin && url.pathname === '/challenge')
  await page.click('#choose-app')
  await page.waitForFunction(() => (document.getElementById('totp-secret')?.textContent ?? '').length > 0)
  await page.fill('#enroll-code', totp((await page.textContent('#totp-secret')) ?? ''))
  await page.click('[data-screen="totp-enroll"] button[type="submit"]')
  await onApp(page, stack, '/passkeys')
  await enrollPasskey(emulator, 'bob', client.origin)
  await new Promise(resolve => setTimeout(resolve, 2100))
  await page.goto(`${client.origin}/passkeys`)
  await page.evaluate(async () => { await customElements.whenDefined('passkey-enroll') })
  t.equal(await page.locator('#reauth-note').count(), 1, 'the note is shown')
  await scan(page, 'app passkeys, stale sign-in', 'demo app', 'passkeys-stale')

  // Every page in every language, in the longest lines they have: dark, at 320 px.
  const sweep: Array<{ name: string, owner: Owner, url: string }> = [
    { name: 'app home, signed in', owner: 'demo app', url: `${client.origin}/` },
    { name: 'app passkeys, listed, stale', owner: 'demo app', url: `${client.origin}/passkeys` },
    { name: 'app passkeys, a refusal', owner: 'demo app', url: `${client.origin}/passkeys?status=reauthentication_required` },
    { name: 'app error page', owner: 'demo app', url: `${client.origin}/nowhere` },
    { name: 'IdP home', owner: 'demo IdP views', url: `${idp.origin}/` },
    { name: 'IdP sign-out confirmation', owner: 'demo IdP views', url: `${idp.origin}/oidc/session/end` },
    { name: 'IdP error page', owner: 'demo IdP views', url: `${idp.origin}/oidc/auth?client_id=demo-app&response_type=code&scope=openid&redirect_uri=http%3A%2F%2Fevil.example%2F&code_challenge=${'a'.repeat(43)}&code_challenge_method=S256` },
    { name: 'IdP login page', owner: 'passkey-login plugin', url: `${client.origin}/login?reauth=1` }
  ]
  const anonymous = await newContext(t)
  const signedOut = await anonymous.newPage()
  let sweeps = 0
  let axeSweeps = 0
  for (const language of LANGUAGES) {
    for (const target of [page, signedOut]) {
      await target.setExtraHTTPHeaders({ 'accept-language': language })
      await target.emulateMedia({ colorScheme: 'dark' })
      await target.setViewportSize({ width: 320, height: 800 })
    }
    const pages: Array<{ name: string, owner: Owner, url: string, on: Page }> = [
      ...sweep.map(s => ({ ...s, on: page })),
      { name: 'app home, signed out', owner: 'demo app', url: `${client.origin}/`, on: signedOut }
    ]
    for (const { name, owner, url, on } of pages) {
      await on.goto(url)
      if (name === 'IdP login page') await onLoginPage(on, stack)
      t.equal(await on.getAttribute('html', 'lang'), language, `${language}, ${name}: <html lang>`)
      await settle(on)
      const wide = await overflow(on)
      if (wide != null) overflows.push(`${language}, ${name} at 320 px: ${wide}`)
      // axe in two languages of different scripts and lengths; the layout (overflow) in all of them.
      if (language === 'de' || language === 'ja') {
        record(`${language}: ${name}`, owner, 'dark', 320, [...await axeRun(on, `${language}: ${name}`), ...await unmeasuredCanvas(on)])
        axeSweeps++
      }
      sweeps++
    }
    if (language === 'de' || language === 'ja') {
      await page.goto(`${client.origin}/passkeys`)
      await screenshot(page, `a11y-320-dark-${language}-passkeys`)
    }
  }
  // Without JavaScript (the same sign-in, in a profile that runs no script): the forms still post, the
  // enrollment button is not a dead label, and a note says why it is missing.
  const noScript = await browser.newContext({ javaScriptEnabled: false })
  t.teardown(() => noScript.close())
  await noScript.addCookies(await context.cookies())
  const plain = await noScript.newPage()
  await plain.setExtraHTTPHeaders({ 'accept-language': 'en' })
  await plain.goto(`${client.origin}/passkeys`)
  t.equal(await plain.locator('passkey-enroll').isVisible(), false, 'no JavaScript: no dead "Add a passkey" label')
  t.equal(await plain.locator('#needs-javascript').isVisible(), true, 'no JavaScript: the note says adding needs it')
  await plain.getByRole('button', { name: /Remove passkey/ }).click()
  await plain.waitForURL(url => url.origin === client.origin && url.pathname === '/passkeys' && url.search === '?status=reauthentication_required')
  t.equal(await focused(plain), 'passkeys-status', 'no JavaScript: the removal form posted, and the refusal (a stale sign-in) has focus')
  await plain.click('#sign-out')
  await plain.waitForURL(url => url.origin === idp.origin && url.pathname.startsWith('/oidc/session/end'))
  await plain.click('#logout-yes')
  await plain.waitForURL(url => url.origin === client.origin && url.pathname === '/')
  t.equal(await plain.locator('#sign-in').count(), 1, 'no JavaScript: signed out through both forms')

  t.comment(`language sweep at 320 px, dark: ${sweeps} pages checked for overflow (${LANGUAGES.length} languages × ${sweep.length + 1}), ${axeSweeps} scanned by axe (de, ja)`)
})

t.test('the scan finds what it should: a page with known violations fails it', async t => {
  const context = await newContext(t)
  const page = await context.newPage()
  await page.setContent('<!doctype html><html><head><title>Control</title></head><body><main><h1>Control</h1><img src="data:,"><p style="color:#777;background:#888">Low contrast</p><button></button></main></body></html>')
  const found = (await axeRun(page, 'control')).map(v => v.id).sort()
  t.same(found, ['button-name', 'color-contrast', 'html-has-lang', 'image-alt'], 'missing lang, alt, button name, and low contrast are caught')
  const darkOnly = (background: string): string => `<!doctype html><html lang="en"><head><title>Control</title><style>:root{color-scheme:light dark}${background}@media (prefers-color-scheme:dark){p{color:#333}}</style></head><body><main><h1>Control</h1><p>Dark words on a dark canvas</p></main></body></html>`
  await page.setContent(darkOnly('body{background:Canvas;color:CanvasText}'))
  await page.emulateMedia({ colorScheme: 'light' })
  t.same((await axeRun(page, 'control')).map(v => v.id), [], 'light: fine')
  await page.emulateMedia({ colorScheme: 'dark' })
  t.same((await axeRun(page, 'control')).map(v => v.id), ['color-contrast'], 'dark: a contrast failure only dark mode has is caught')
  t.same(await unmeasuredCanvas(page), [], 'a page that paints its background is measured')
  // Without a background of its own, axe takes the dark canvas for white and misses it: the own check catches that.
  await page.setContent(darkOnly(''))
  t.same((await axeRun(page, 'control')).map(v => v.id), [], 'axe alone misses it')
  t.equal((await unmeasuredCanvas(page)).length, 1, 'the unmeasurable dark canvas is caught')
  incomplete.splice(0)
  lowestContrast.splice(0)
})

t.test('summary: every scan, zero violations and no overflow', async t => {
  const states = [...STATES]
  t.comment(`axe ${AXE_TAGS.join(', ')}: ${states.length} page states × ${THEMES.length} themes × ${WIDTHS.length} widths = ${scanned.length} scans, plus the language sweep`)
  t.ok(states.length >= 15, `${states.length} page states scanned`)
  t.equal(scanned.length, states.length * THEMES.length * WIDTHS.length)
  const byKey = new Map<string, Violation[]>()
  for (const v of violations) {
    const key = `${v.owner} | ${v.state} | ${v.rule} (${v.impact}) | ${v.target}`
    byKey.set(key, [...(byKey.get(key) ?? []), v])
  }
  t.comment(`violations: ${violations.length} node results, ${byKey.size} distinct (owner | page | rule | target), overflow: ${overflows.length}`)
  for (const [key, list] of byKey) {
    t.comment(`  ${key} — in ${list.map(v => `${v.theme} ${v.width}`).join(', ')}: ${list[0]?.summary ?? ''}`)
  }
  for (const line of overflows) t.comment(`  overflow: ${line}`)
  t.comment(`axe rules passed, summed over the scans: ${rulesPassed}; undecided (for a person to check): ${incomplete.length}`)
  t.comment('lowest text contrast axe measured, per page state and theme (AA: 4.5, large text 3):')
  for (const theme of THEMES) {
    for (const state of states) {
      const lowest = lowestContrast.filter(c => c.state.startsWith(`${state} (${theme},`)).sort((a, b) => a.ratio - b.ratio)[0]
      if (lowest != null) t.comment(`  ${theme}: ${state}: ${lowest.ratio.toFixed(2)} at ${lowest.target}`)
    }
  }
  for (const line of [...new Set(incomplete.map(l => l.replace(/ \((light|dark), \d+\)/, '')))]) t.comment(`  undecided: ${line}`)
  for (const state of states) {
    t.same(violations.filter(v => v.state === state).map(v => `${v.owner}: ${v.rule} ${v.target} (${v.theme}, ${v.width})`), [], `${state}: no violations`)
  }
  const sweepViolations = violations.filter(v => !STATES.has(v.state))
  t.same(sweepViolations.map(v => `${v.state}: ${v.owner}: ${v.rule} ${v.target}`), [], 'language sweep: no violations')
  t.same(overflows, [], 'nothing wider than the screen at 320 and 375 px')
})
