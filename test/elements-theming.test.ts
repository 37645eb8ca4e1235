// The elements' default look in real Chromium, light and dark: WCAG AA contrast computed from the colours
// Chromium resolves (text 4.5:1; the button's boundary and the focus ring 3:1), dark only where the page
// offers it (`color-scheme`), every custom property honoured, and the two-themes screenshot of docs/theming.md.
import t, { type Test } from 'tap'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { BrowserContext, Page } from 'playwright-core'
import { addVirtualAuthenticator, launchBrowser, screenshot, watchPage, type PageWatch } from './fixtures/browser.js'
import { recordElementEvents, statusText, waitFor } from './fixtures/elements-browser.js'
import { startElementsPage, type ElementsPage } from './fixtures/elements-page.js'

const browser = await launchBrowser(t)

interface Manifest { modules: Array<{ declarations: Array<{ tagName?: string, cssProperties?: Array<{ name: string, default?: string }>, cssParts?: Array<{ name: string }> }> }> }
const manifest = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'components', 'custom-elements.json'), 'utf8')) as Manifest
const declared = (tag: string): { properties: string[], parts: string[] } => {
  const declaration = manifest.modules.flatMap(m => m.declarations).find(d => d.tagName === tag)
  return { properties: (declaration?.cssProperties ?? []).map(p => p.name).sort(), parts: (declaration?.cssParts ?? []).map(p => p.name).sort() }
}

type Scheme = 'light' | 'dark'

async function open (t: Test, site: ElementsPage, scheme: Scheme, path = '/theming'): Promise<{ page: Page, watch: PageWatch, context: BrowserContext }> {
  const context = await browser.newContext({ colorScheme: scheme })
  t.teardown(() => context.close())
  const page = await context.newPage()
  const watch = watchPage(page)
  await page.goto(site.url(path))
  await page.evaluate(async () => {
    await Promise.all(['passkey-input', 'passkey-signin-button', 'passkey-enroll'].map(async tag => await customElements.whenDefined(tag)))
    await Promise.all([...document.querySelectorAll('passkey-input, passkey-signin-button, passkey-enroll')].map(async e => await (e as unknown as { updateComplete: Promise<unknown> }).updateComplete))
  })
  return { page, watch, context }
}

type Rgb = [number, number, number]

/** `rgb(…)`/`rgba(…)` as Chromium serialises a computed colour; fully opaque colours only. */
function parse (color: string): Rgb {
  const match = /^rgba?\((\d+(?:\.\d+)?), (\d+(?:\.\d+)?), (\d+(?:\.\d+)?)(?:, ([\d.]+))?\)$/.exec(color)
  if (match == null) throw new Error(`not an rgb() colour: ${color}`)
  if (match[4] != null && Number(match[4]) !== 1) throw new Error(`not opaque: ${color}`)
  return [Number(match[1]), Number(match[2]), Number(match[3])]
}

/** WCAG 2.2 relative luminance and contrast ratio. */
function luminance ([r, g, b]: Rgb): number {
  const channel = (c: number): number => { const s = c / 255; return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4 }
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
}
function contrast (a: string, b: string): number {
  const [l1, l2] = [luminance(parse(a)), luminance(parse(b))].sort((x, y) => y - x) as [number, number]
  return (l1 + 0.05) / (l2 + 0.05)
}

/** Computed styles of a selector in an element's shadow root (or of the page's canvas and text). */
async function computed (page: Page, tag: string, selector: string, properties: string[]): Promise<Record<string, string>> {
  return await page.evaluate(({ tag, selector, properties }) => {
    const element = document.querySelector(tag)?.shadowRoot?.querySelector(selector)
    if (element == null) throw new Error(`no ${selector} in <${tag}>`)
    const style = getComputedStyle(element)
    return Object.fromEntries(properties.map(p => [p, style.getPropertyValue(p)]))
  }, { tag, selector, properties })
}

/** The page's own colours: the canvas behind everything and its text. */
async function pageColors (page: Page): Promise<{ canvas: string, text: string }> {
  return await page.evaluate(() => {
    const probe = document.createElement('div')
    probe.style.backgroundColor = 'Canvas'
    probe.style.color = 'CanvasText'
    document.body.append(probe)
    const style = getComputedStyle(probe)
    const colors = { canvas: style.backgroundColor, text: style.color }
    probe.remove()
    return colors
  })
}

for (const scheme of ['light', 'dark'] as const) {
  t.test(`${scheme}: the default colours pass WCAG AA against the page and each other`, async t => {
    const site = await startElementsPage(t)
    const { page, watch, context } = await open(t, site, scheme)
    const { canvas, text } = await pageColors(page)
    t.equal(luminance(parse(canvas)) > 0.5, scheme === 'light', `the page is ${scheme} (${canvas})`)

    for (const tag of ['passkey-signin-button', 'passkey-enroll']) {
      const button = await computed(page, tag, 'button', ['background-color', 'color', 'border-top-color', 'border-top-width', 'border-top-style'])
      t.equal(luminance(parse(button['background-color']!)) > 0.5, scheme === 'light', `${tag}: a ${scheme} button (${button['background-color']})`)
      t.ok(contrast(button.color!, button['background-color']!) >= 4.5, `${tag}: label ${button.color} on ${button['background-color']}: ${contrast(button.color!, button['background-color']!).toFixed(2)}:1 ≥ 4.5`)
      t.equal(button['border-top-style'], 'solid')
      t.equal(button['border-top-width'], '1px')
      t.ok(contrast(button['border-top-color']!, canvas) >= 3, `${tag}: boundary ${button['border-top-color']} on the page: ${contrast(button['border-top-color']!, canvas).toFixed(2)}:1 ≥ 3`)

      // Under the pointer.
      await page.locator(`${tag} button`).hover()
      const hover = await computed(page, tag, 'button', ['background-color', 'color'])
      t.not(hover['background-color'], button['background-color'], `${tag}: the pointer changes the background`)
      t.ok(contrast(hover.color!, hover['background-color']!) >= 4.5, `${tag}: hovered label ${contrast(hover.color!, hover['background-color']!).toFixed(2)}:1 ≥ 4.5`)
      await page.mouse.move(0, 0)

      for (const [selector, what] of [['[role="alert"]', 'error words'], ['[role="status"]', 'progress words']] as const) {
        const { color } = await computed(page, tag, selector, ['color'])
        t.ok(contrast(color!, canvas) >= 4.5, `${tag}: ${what} ${color} on the page: ${contrast(color!, canvas).toFixed(2)}:1 ≥ 4.5`)
      }
    }
    const inputError = await computed(page, 'passkey-input', '[role="alert"]', ['color'])
    t.ok(contrast(inputError.color!, canvas) >= 4.5, `passkey-input: error words ${contrast(inputError.color!, canvas).toFixed(2)}:1`)
    t.equal((await computed(page, 'passkey-input', '[role="status"]', ['color'])).color, text, 'progress words are the page\'s text colour')

    // Keyboard focus: a ring of 2px, 2px off the button, on the page's background.
    await page.locator('passkey-input input').focus()
    await page.keyboard.press('Tab')
    t.equal(await page.evaluate(() => document.activeElement?.localName), 'passkey-signin-button', 'Tab reaches the button')
    const ring = await computed(page, 'passkey-signin-button', 'button', ['outline-style', 'outline-width', 'outline-offset', 'outline-color', 'background-color'])
    t.match(ring, { 'outline-style': 'solid', 'outline-width': '2px', 'outline-offset': '2px' })
    t.ok(contrast(ring['outline-color']!, canvas) >= 3, `focus ring ${ring['outline-color']} on the page: ${contrast(ring['outline-color']!, canvas).toFixed(2)}:1 ≥ 3`)
    t.ok(contrast(ring['outline-color']!, ring['background-color']!) >= 3, `focus ring against the button: ${contrast(ring['outline-color']!, ring['background-color']!).toFixed(2)}:1 ≥ 3`)

    // A passkey added: the success words; then a stale sign-in: the error words and their link.
    await addVirtualAuthenticator(page)
    const events = await recordElementEvents(page)
    // Autofill would sign in with the passkey added below and leave the page: the page keeps the token.
    await page.evaluate(() => { document.addEventListener('passkey-signin', event => { event.preventDefault() }) })
    await waitFor('the prefetched token', () => site.tokenRequests.length >= 1)
    await page.locator('passkey-enroll button').click()
    await page.waitForFunction(() => document.querySelector('passkey-enroll')?.matches(':state(added)'))
    t.equal(await statusText(page, 'passkey-enroll'), 'Passkey added.')
    const success = await computed(page, 'passkey-enroll', '[role="status"]', ['color'])
    t.not(success.color, text, 'the success words have their own colour')
    t.ok(contrast(success.color!, canvas) >= 4.5, `success words ${success.color} on the page: ${contrast(success.color!, canvas).toFixed(2)}:1 ≥ 4.5`)

    site.tokenMode = 'reauth'
    const reauth = await context.newPage()
    await reauth.goto(site.url('/theming'))
    await reauth.locator('passkey-enroll a[part="link"]').waitFor()
    const link = await computed(reauth, 'passkey-enroll', 'a', ['color'])
    t.ok(contrast(link.color!, canvas) >= 4.5, `link ${link.color} on the page: ${contrast(link.color!, canvas).toFixed(2)}:1 ≥ 4.5`)
    const alert = await computed(reauth, 'passkey-enroll', '[role="alert"]', ['color'])
    t.ok(contrast(alert.color!, canvas) >= 4.5, `reauthentication words ${contrast(alert.color!, canvas).toFixed(2)}:1 ≥ 4.5`)
    t.same(events.filter(e => e.type === 'passkey-error'), [])
    t.same(watch.errors, [])
    t.same(watch.cspViolations, [])
  })
}

t.test('a page that offers no dark mode keeps light elements, whatever the system prefers', async t => {
  const site = await startElementsPage(t)
  const { page } = await open(t, site, 'dark', '/theming?scheme=none')
  const button = await computed(page, 'passkey-signin-button', 'button', ['background-color', 'color'])
  t.ok(luminance(parse(button['background-color']!)) > 0.5, `a light button (${button['background-color']})`)
  t.ok(contrast(button.color!, button['background-color']!) >= 4.5)
})

t.test('every documented custom property is honoured', async t => {
  const site = await startElementsPage(t)
  const { page } = await open(t, site, 'light')
  await page.evaluate(() => {
    const style = document.documentElement.style
    const set: Record<string, string> = {
      '--passkey-font-family': 'monospace',
      '--passkey-font-size': '20px',
      '--passkey-font-weight': '300',
      '--passkey-line-height': '2',
      '--passkey-button-padding': '7px 9px',
      '--passkey-button-radius': '11px',
      '--passkey-button-background': 'rgb(1, 2, 3)',
      '--passkey-button-color': 'rgb(250, 251, 252)',
      '--passkey-button-border-width': '3px',
      '--passkey-button-border-color': 'rgb(4, 5, 6)',
      '--passkey-focus-ring-color': 'rgb(7, 8, 9)',
      '--passkey-focus-ring-width': '5px',
      '--passkey-focus-ring-offset': '6px',
      '--passkey-gap': '13px',
      '--passkey-status-color': 'rgb(10, 11, 12)',
      '--passkey-status-font-size': '14px',
      '--passkey-error-color': 'rgb(13, 14, 15)',
      '--passkey-link-color': 'rgb(16, 17, 18)'
    }
    for (const [name, value] of Object.entries(set)) style.setProperty(name, value)
  })
  const button = await computed(page, 'passkey-enroll', 'button', ['font-family', 'font-size', 'font-weight', 'line-height', 'padding-top', 'padding-left',
    'border-top-left-radius', 'background-color', 'color', 'border-top-width', 'border-top-color'])
  t.same(button, {
    'font-family': 'monospace', 'font-size': '20px', 'font-weight': '300', 'line-height': '40px', 'padding-top': '7px', 'padding-left': '9px',
    'border-top-left-radius': '11px', 'background-color': 'rgb(1, 2, 3)', color: 'rgb(250, 251, 252)', 'border-top-width': '3px', 'border-top-color': 'rgb(4, 5, 6)'
  })
  t.same(await computed(page, 'passkey-enroll', '[role="status"]', ['color', 'font-size']), { color: 'rgb(10, 11, 12)', 'font-size': '14px' })
  t.same(await computed(page, 'passkey-enroll', '[role="alert"]', ['color']), { color: 'rgb(13, 14, 15)' })
  await page.evaluate(() => { document.documentElement.style.setProperty('--passkey-button-hover-background', 'rgb(22, 23, 24)') })
  await page.locator('passkey-enroll button').hover()
  t.same(await computed(page, 'passkey-enroll', 'button', ['background-color']), { 'background-color': 'rgb(22, 23, 24)' }, 'under the pointer')
  await page.mouse.move(0, 0)
  await page.locator('passkey-input input').focus()
  await page.keyboard.press('Tab')
  t.same(await computed(page, 'passkey-signin-button', 'button', ['outline-color', 'outline-width', 'outline-offset']),
    { 'outline-color': 'rgb(7, 8, 9)', 'outline-width': '5px', 'outline-offset': '6px' })
  // The gap shows once there are words under the button (the prompt waits: there is no authenticator).
  await page.locator('passkey-signin-button button').click()
  await page.waitForFunction(() => (document.querySelector('passkey-signin-button')?.shadowRoot?.textContent ?? '').includes('passkey'))
  await page.evaluate(async () => { await (document.querySelector('passkey-signin-button') as unknown as { updateComplete: Promise<unknown> }).updateComplete })
  const regions = await page.evaluate(() => [...document.querySelector('passkey-signin-button')?.shadowRoot?.querySelectorAll('[part~="status"]') ?? []]
    .filter(p => (p.textContent ?? '').trim() !== '').map(p => getComputedStyle(p).marginTop))
  t.same(regions, ['13px'], 'the words sit --passkey-gap under the button')
  // The whole-border shorthand wins over width and colour.
  await page.evaluate(() => { document.documentElement.style.setProperty('--passkey-button-border', '4px dashed rgb(19, 20, 21)') })
  t.same(await computed(page, 'passkey-enroll', 'button', ['border-top-width', 'border-top-style', 'border-top-color']),
    { 'border-top-width': '4px', 'border-top-style': 'dashed', 'border-top-color': 'rgb(19, 20, 21)' })
})

t.test('every rendered piece is a part', async t => {
  const site = await startElementsPage(t)
  const { page } = await open(t, site, 'light')
  const parts = await page.evaluate(() => Object.fromEntries(['passkey-input', 'passkey-signin-button', 'passkey-enroll'].map(tag => [tag,
    [...document.querySelector(tag)?.shadowRoot?.querySelectorAll('*') ?? []].filter(e => e.localName !== 'slot').map(e => `${e.localName}:${e.getAttribute('part') ?? ''}`)])))
  t.same(parts, {
    'passkey-input': ['p:status', 'p:status'],
    'passkey-signin-button': ['button:button', 'span:label', 'p:status', 'p:status'],
    'passkey-enroll': ['button:button', 'span:label', 'p:status', 'p:status']
  }, 'no element renders anything that is not a part')
  for (const [tag, rendered] of Object.entries(parts)) {
    const documented = declared(tag).parts
    const names = [...new Set(rendered.map(p => p.split(':')[1]!))]
    t.same(names.filter(n => !documented.includes(n)), [], `<${tag}>: every part it renders is in custom-elements.json`)
  }
  t.same(declared('passkey-enroll').parts, ['button', 'label', 'link', 'status'], 'the enroll link too (shown when a fresh sign-in is needed)')
})

t.test('custom-elements.json lists, with its default, every custom property each element\'s styles read', async t => {
  const site = await startElementsPage(t)
  const { page } = await open(t, site, 'light')
  const read = await page.evaluate(() => Object.fromEntries(['passkey-input', 'passkey-signin-button', 'passkey-enroll'].map(tag => {
    const sheets = document.querySelector(tag)?.shadowRoot?.adoptedStyleSheets ?? []
    const text = sheets.flatMap(sheet => [...sheet.cssRules].map(rule => rule.cssText)).join('\n')
    return [tag, [...new Set(text.match(/--passkey-[\w-]+/g) ?? [])].sort()]
  })))
  for (const [tag, properties] of Object.entries(read)) {
    t.ok(properties.length >= 6, `<${tag}> reads ${properties.length} custom properties`)
    t.same(declared(tag).properties, properties, `<${tag}>: the documented custom properties are exactly those its styles read`)
    const declaration = manifest.modules.flatMap(m => m.declarations).find(d => d.tagName === tag)
    t.ok(declaration?.cssProperties?.every(p => p.default != null && p.default !== ''), `<${tag}>: each with its default`)
  }
  t.ok(read['passkey-signin-button']!.includes('--passkey-focus-ring-color') && read['passkey-signin-button']!.includes('--passkey-button-radius'))
})

t.test('docs/theming.md: two brand themes side by side', async t => {
  const site = await startElementsPage(t)
  const context = await browser.newContext({ viewport: { width: 960, height: 360 }, deviceScaleFactor: 1 })
  t.teardown(() => context.close())
  const page = await context.newPage()
  const watch = watchPage(page)
  await page.goto(site.url('/brands'))
  await page.evaluate(async () => { await customElements.whenDefined('passkey-enroll') })
  // One state each: an error under the Ocean button, a passkey added under Ember's enroll.
  await page.evaluate(() => {
    const [ocean, ember] = [...document.querySelectorAll('passkey-signin-button')] as Array<HTMLElement & { authsignal: unknown }>
    ocean!.authsignal = { signIn: async () => ({ ok: false, code: 'not-allowed', reason: 'demo' }), signUp: async () => ({ ok: false, code: 'unknown', reason: 'demo' }), abort () {} }
    void ember
    const enroll = document.querySelectorAll('passkey-enroll')[1] as HTMLElement & { authsignal: unknown }
    enroll.authsignal = { signIn: async () => ({ ok: false, code: 'unknown', reason: 'demo' }), signUp: async () => ({ ok: true, value: {} }), abort () {} }
  })
  await waitFor('the prefetched tokens', () => site.tokenRequests.length >= 2)
  await page.locator('.ocean passkey-signin-button button').click()
  await page.locator('.ember passkey-enroll button').click()
  await page.waitForFunction(() => document.querySelectorAll('passkey-enroll')[1]?.matches(':state(added)'))
  await page.mouse.move(0, 0)
  await page.locator('.ocean passkey-input input').focus()
  await page.keyboard.press('Tab')
  const path = await screenshot(page, 'theming-two-themes')
  t.comment(`screenshot: ${path} (copy to docs/theming-two-themes.png when the look changes)`)
  t.match(await statusText(page, '.ocean passkey-signin-button'), /That passkey wasn't accepted/)
  t.same(watch.errors, [])
  t.same(watch.cspViolations, [])
})
