// The elements' language in real Chromium: taken from the nearest `lang` (the element, its ancestors across
// shadow roots, `<html lang>`), English when none resolves, followed when `lang` changes; only the page's own
// language chunk is loaded; overrides per element (`messages`) and page-wide (`setPasskeyMessages`).
import t, { type Test } from 'tap'
import type { Page } from 'playwright-core'
import { addVirtualAuthenticator, launchBrowser, newContext, watchPage, type PageWatch } from './fixtures/browser.js'
import { recordElementEvents, statusText, waitFor, type RecordedEvent } from './fixtures/elements-browser.js'
import { ELEMENTS_PREFIX, startElementsPage, type ElementsPage } from './fixtures/elements-page.js'

const browser = await launchBrowser(t)

interface Setup { site: ElementsPage, page: Page, watch: PageWatch, events: RecordedEvent[], chunks: string[] }

async function setup (t: Test, ignoreConsole: RegExp[] = []): Promise<Setup> {
  const site = await startElementsPage(t)
  const page = await (await newContext(t, browser)).newPage()
  const watch = watchPage(page, ignoreConsole)
  const events = await recordElementEvents(page)
  // Language chunks the page requests, by language.
  const chunks: string[] = []
  page.on('request', request => {
    const match = /\/passkey-messages-(.+)-[\w-]{8}\.js$/.exec(new URL(request.url()).pathname)
    if (match != null) chunks.push(match[1]!)
  })
  return { site, page, watch, events, chunks }
}

function assertClean (t: Test, watch: PageWatch): void {
  t.same(watch.errors, [], 'no uncaught errors or console errors')
  t.same(watch.cspViolations, [], 'no CSP violations')
}

/** The button's label as the user sees it: its slotted words, or the element's own. */
const buttonLabel = async (page: Page, tag = 'passkey-signin-button'): Promise<string> =>
  await page.evaluate(tag => {
    const slot = document.querySelector(tag)?.shadowRoot?.querySelector('button slot') as HTMLSlotElement | null
    if (slot == null) return ''
    const slotted = slot.assignedNodes().map(node => node.textContent ?? '').join('').trim()
    return slotted !== '' ? slotted : (slot.textContent ?? '').trim()
  }, tag)

const waitForLabel = async (page: Page, label: string, tag = 'passkey-signin-button'): Promise<void> => {
  await page.waitForFunction(({ tag, label }) => {
    const slot = document.querySelector(tag)?.shadowRoot?.querySelector('button slot')
    return slot?.textContent?.trim() === label
  }, { tag, label })
}

/** Calls `setPasskeyMessages` of the page's own element module (the hashed entry it loaded). */
async function setPageMessages (page: Page, lang: string, messages: Record<string, string>): Promise<void> {
  await page.evaluate(async ({ lang, messages }) => {
    const src = document.querySelector<HTMLScriptElement>('script[src*="/passkey-signin-button-"]')?.src
    if (src == null) throw new Error('no element module on the page')
    const module = await import(src) as { setPasskeyMessages: (lang: string, messages: Record<string, string>) => void }
    module.setPasskeyMessages(lang, messages)
  }, { lang, messages })
}

t.test('<html lang="de">: German words, from the German chunk only, and German in passkey-error', async t => {
  const { site, page, watch, events, chunks } = await setup(t)
  const authenticator = await addVirtualAuthenticator(page)
  await authenticator.setUserVerified(false)
  await page.goto(site.url('/login?input=off&label=off&lang=de'))
  await waitForLabel(page, 'Mit Passkey anmelden')
  t.equal(await page.getByRole('button', { name: 'Mit Passkey anmelden' }).count(), 1, 'the button is named in German')
  t.equal(await page.locator('passkey-signin-button button slot').getAttribute('lang'), 'de', 'its words are marked German')
  t.same(chunks, ['de'], 'only the German chunk was loaded')
  await page.locator('passkey-signin-button button').click()
  await waitFor('the cancel', () => events.some(e => e.type === 'passkey-error'))
  t.match(events, [{ type: 'passkey-error', detail: { code: 'cancelled', message: 'Anmeldung mit Passkey abgebrochen.' } }])
  t.equal(await statusText(page, 'passkey-signin-button'), 'Anmeldung mit Passkey abgebrochen.')
  t.equal(await page.locator('passkey-signin-button [role="status"]').getAttribute('lang'), 'de')
  assertClean(t, watch)
})

t.test('an English page loads no language chunk; a server-rendered label is left alone', async t => {
  const { site, page, watch, chunks } = await setup(t)
  await page.goto(site.url('/login?input=off&label=off'))
  await waitForLabel(page, 'Sign in with a passkey')
  await page.goto(site.url('/login?input=off&lang=de'))
  await page.evaluate(async () => { await customElements.whenDefined('passkey-signin-button') })
  await waitForLabel(page, 'Mit Passkey anmelden')
  t.equal(await buttonLabel(page), 'Sign in with a passkey', 'the slotted label the server rendered wins')
  t.same(chunks, ['de'], 'the English page loaded no chunk')
  assertClean(t, watch)
})

t.test('regions fall back to their language; Traditional Chinese and unknown languages get English', async t => {
  const { site, page, watch, chunks } = await setup(t)
  const cases: Array<[string, string]> = [
    ['pt-PT', 'Entrar com uma chave de acesso'], ['fr-CA', 'Se connecter avec une clé d’accès'], ['zh-CN', '使用通行密钥登录'],
    ['ja-JP', 'パスキーでサインイン'], ['ko', '패스키로 로그인'], ['es-419', 'Iniciar sesión con una llave de acceso'],
    ['it-CH', 'Accedi con una passkey'], ['nl-BE', 'Inloggen met een toegangssleutel'], ['pl', 'Zaloguj się kluczem dostępu'],
    ['zh-TW', 'Sign in with a passkey'], ['sv', 'Sign in with a passkey'], ['none', 'Sign in with a passkey']
  ]
  for (const [lang, label] of cases) {
    await page.goto(site.url(`/login?input=off&label=off&lang=${lang}`))
    await waitForLabel(page, label)
    t.pass(`${lang}: ${label}`)
  }
  t.same([...chunks].sort(), ['es', 'fr', 'it', 'ja', 'ko', 'nl', 'pl', 'pt-BR', 'zh-Hans'], 'zh-TW, sv and no lang loaded nothing')
  assertClean(t, watch)
})

t.test('the nearest lang wins, across shadow roots, and a changed lang is followed', async t => {
  const { site, page, watch } = await setup(t)
  await page.goto(site.url('/login?input=off&label=off&lang=de'))
  await waitForLabel(page, 'Mit Passkey anmelden')
  await page.evaluate(() => { document.documentElement.lang = 'ja' })
  await waitForLabel(page, 'パスキーでサインイン')
  await page.evaluate(() => { document.querySelector('#passkey-form')?.setAttribute('lang', 'fr') })
  await waitForLabel(page, 'Se connecter avec une clé d’accès')
  await page.evaluate(() => { document.querySelector('passkey-signin-button')?.setAttribute('lang', 'nl') })
  await waitForLabel(page, 'Inloggen met een toegangssleutel')
  await page.evaluate(() => { document.querySelector('passkey-signin-button')?.removeAttribute('lang') })
  await waitForLabel(page, 'Se connecter avec une clé d’accès')

  // Inside another component's shadow root: its host's lang, then that shadow root's own.
  await page.evaluate(() => {
    const host = document.createElement('div')
    host.id = 'host'
    host.lang = 'it'
    const root = host.attachShadow({ mode: 'open' })
    const wrapper = document.createElement('section')
    wrapper.append(document.createElement('passkey-signin-button'))
    root.append(wrapper)
    document.body.append(host)
  })
  const nestedLabel = async (): Promise<string> => await page.evaluate(() =>
    document.querySelector('#host')?.shadowRoot?.querySelector('passkey-signin-button')?.shadowRoot?.querySelector('button slot')?.textContent?.trim() ?? '')
  await page.waitForFunction(() => document.querySelector('#host')?.shadowRoot?.querySelector('passkey-signin-button')?.shadowRoot?.querySelector('button slot')?.textContent?.trim() === 'Accedi con una passkey')
  t.equal(await nestedLabel(), 'Accedi con una passkey', "the shadow host's lang")
  await page.evaluate(() => { document.querySelector('#host')?.shadowRoot?.querySelector('section')?.setAttribute('lang', 'pl') })
  await page.waitForFunction(() => document.querySelector('#host')?.shadowRoot?.querySelector('passkey-signin-button')?.shadowRoot?.querySelector('button slot')?.textContent?.trim() === 'Zaloguj się kluczem dostępu')
  t.equal(await nestedLabel(), 'Zaloguj się kluczem dostępu', 'a lang inside the shadow root, changed after the element rendered')
  assertClean(t, watch)
})

t.test('overrides: the element\'s messages, then the page\'s for its language, then the shipped words', async t => {
  const { site, page, watch, chunks } = await setup(t)
  await page.goto(site.url('/login?input=off&label=off&lang=de'))
  await waitForLabel(page, 'Mit Passkey anmelden')
  await setPageMessages(page, 'de', { signInLabel: 'Mit Ihrem Passkey fortfahren' })
  await waitForLabel(page, 'Mit Ihrem Passkey fortfahren')
  await page.evaluate(() => { (document.querySelector('passkey-signin-button') as HTMLElement & { messages: object }).messages = { signInLabel: 'Schneller anmelden' } })
  await waitForLabel(page, 'Schneller anmelden')
  await page.evaluate(() => { (document.querySelector('passkey-signin-button') as HTMLElement & { messages?: object }).messages = undefined })
  await waitForLabel(page, 'Mit Ihrem Passkey fortfahren')

  // A language the package does not ship, added by the page; English fills what it leaves out.
  await setPageMessages(page, 'sv', { signInLabel: 'Logga in med nyckel' })
  await page.evaluate(() => { document.documentElement.lang = 'sv-SE' })
  await waitForLabel(page, 'Logga in med nyckel')
  t.equal(await page.locator('passkey-signin-button button slot').getAttribute('lang'), 'sv-SE')
  // English overrides apply wherever English is spoken, the fallback included.
  await setPageMessages(page, 'en', { signInLabel: 'Use your passkey' })
  await page.evaluate(() => { document.documentElement.lang = 'zh-TW' })
  await waitForLabel(page, 'Use your passkey')
  t.equal(await page.locator('passkey-signin-button button slot').getAttribute('lang'), 'en', 'English words are marked English on a zh-TW page')
  t.same(chunks, ['de'])
  assertClean(t, watch)
})

t.test('<passkey-enroll> in Japanese, its label and its words', async t => {
  const { site, page, watch, events } = await setup(t)
  const authenticator = await addVirtualAuthenticator(page)
  await authenticator.setUserVerified(false)
  await page.goto(site.url('/passkeys?lang=ja&label=off'))
  await waitForLabel(page, 'パスキーを追加', 'passkey-enroll')
  await waitFor('the prefetched token', () => site.tokenRequests.length === 1)
  await page.locator('passkey-enroll button').click()
  await waitFor('the cancel', () => events.some(e => e.type === 'passkey-error'))
  t.match(events, [{ type: 'passkey-error', detail: { code: 'cancelled', message: 'パスキーは追加されませんでした。' } }])
  t.equal(await statusText(page, 'passkey-enroll'), 'パスキーは追加されませんでした。')
  assertClean(t, watch)
})

t.test('an unreachable language chunk leaves the elements in English, working', async t => {
  const { site, page, watch, events } = await setup(t, [/Failed to load resource|Failed to fetch dynamically imported module/])
  await page.route(`**${ELEMENTS_PREFIX}passkey-messages-*`, async route => { await route.abort('connectionrefused') })
  const authenticator = await addVirtualAuthenticator(page)
  await authenticator.setUserVerified(false)
  await page.goto(site.url('/login?input=off&label=off&lang=ko'))
  await waitForLabel(page, 'Sign in with a passkey')
  await page.locator('passkey-signin-button button').click()
  await waitFor('the cancel', () => events.some(e => e.type === 'passkey-error'))
  t.equal(await statusText(page, 'passkey-signin-button'), 'Passkey sign-in cancelled.')
  t.equal(await page.locator('passkey-signin-button button slot').getAttribute('lang'), 'en')
  assertClean(t, watch)
})
