// The emulator's hosted page speaks the visitor's language: Accept-Language picks one of the eleven the
// product ships (with the plugins' fallbacks), `<html lang>` says which, `Vary: Accept-Language` says the
// page depends on it, and every word is in it: the screens, the error pages, and the sentences hosted.js
// writes (handed to it in `data-messages`, not inline script). A language missing a key fails here.
import { VerificationMethod } from '@authsignal/node'
import { decodeJwt, SignJWT } from 'jose'
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import t from 'tap'
import {
  LANGUAGES, MESSAGES, SCRIPT_KEYS, TRANSLATIONS, durationText, errorContent, languageOf, messagesFor, negotiateLanguage,
  type Language, type MessageKey
} from '../servers/authsignal-emulator/dist/hosted/messages.js'
import { maskDestination } from '../servers/authsignal-emulator/dist/outbox.js'
import { matchTotp, totp } from '../servers/authsignal-emulator/dist/totp.js'
import { launchBrowser, watchPage, type PageWatch } from './fixtures/browser.js'
import { startEmulator, TEST_SECRET, TEST_TENANT, type RunningEmulator } from './fixtures/emulator.js'
import { startReturnSite, type ReturnSite } from './fixtures/hosted-return-site.js'

const HOSTED = join(import.meta.dirname, '..', 'servers', 'authsignal-emulator', 'hosted')
const KEYS = Object.keys(MESSAGES) as MessageKey[]
const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map(m => m[1] ?? '').sort()

t.test('every language has every key, none empty, none English lacks, each with English\'s placeholders', async t => {
  t.same([...LANGUAGES].sort(), ['de', 'en', 'es', 'fr', 'it', 'ja', 'ko', 'nl', 'pl', 'pt-BR', 'zh-Hans'])
  for (const language of LANGUAGES.filter((l): l is Exclude<Language, 'en'> => l !== 'en')) {
    const words = TRANSLATIONS[language]
    t.same(Object.keys(words).sort(), [...KEYS].sort(), `${language}: the same keys as English`)
    for (const key of KEYS) {
      const text = words[key]
      t.ok(typeof text === 'string' && text.trim().length > 0, `${language}.${key} is not empty`)
      t.same(placeholders(text ?? ''), placeholders(MESSAGES[key]), `${language}.${key} keeps the placeholders`)
    }
    // A sentence left in English by mistake (brand names and one-word terms aside).
    const english = KEYS.filter(key => MESSAGES[key].length > 12 && words[key] === MESSAGES[key])
    t.same(english, [], `${language}: no sentence left in English`)
  }
})

t.test('every key is used, and every key the page uses exists', async t => {
  const views = readdirSync(join(HOSTED, 'views')).map(name => readFileSync(join(HOSTED, 'views', name), 'utf8')).join('\n')
  const script = readFileSync(join(HOSTED, 'static', 'hosted.js'), 'utf8')
  const routes = readFileSync(join(HOSTED, 'index.ts'), 'utf8')
  const messages = readFileSync(join(HOSTED, 'messages.ts'), 'utf8')
  const quoted = (source: string): Set<string> => new Set([...source.matchAll(/'(\w+)'/g)].map(m => m[1] ?? ''))

  const inViews = [...views.matchAll(/\b(?:t|strong)\('(\w+)'/g), ...views.matchAll(/\b(?:title|lead): '(\w+)'/g)].map(m => m[1] ?? '')
  t.ok(inViews.length > 40, 'the templates take their words from the catalogue')
  t.same(inViews.filter(key => !(key in MESSAGES)), [], 'the templates name only keys that exist')

  const inScript = [...quoted(script)].filter(word => word in MESSAGES)
  t.same(inScript.sort(), [...SCRIPT_KEYS].sort(), 'hosted.js uses exactly the SCRIPT_KEYS the page hands it')
  t.notMatch(script, /(['`])[A-Z][a-z]+ [a-z]+[^'`]*\1/, 'hosted.js holds no sentence of its own')

  const used = new Set([...quoted(views), ...quoted(script), ...quoted(routes), ...[...messages.matchAll(/\bm\.(\w+)/g)].map(m => m[1] ?? '')])
  t.same(KEYS.filter(key => !used.has(key)), [], 'no key is left unused')
})

t.test('Accept-Language picks the language, with weights, regions and fallbacks', async t => {
  const table: Array<[string | undefined, Language]> = [
    [undefined, 'en'], ['', 'en'], ['sv', 'en'], ['xx-YY', 'en'], ['*', 'en'], ['*, de;q=0.5', 'de'],
    // Weights: highest first, ties in the header's order, q=0 means "not this one".
    ['de-DE,de;q=0.9,en;q=0.8', 'de'], ['en;q=0.1, ko;q=0.9', 'ko'], ['sv, ja;q=0.5', 'ja'], ['ko;q=0.9, en;q=0.9', 'ko'],
    ['en;q=0.9, ko;q=0.9', 'en'], ['it;q=0', 'en'], ['it;q=0, fr;q=0.1', 'fr'], ['it;q=0.000, nl;q=0.001', 'nl'],
    ['fr-FR;level=1;q=0.3, nl;q=0.2', 'fr'], [' fr ; q = 0.5 , de;q=0.4', 'fr'], ['pl-PL;q=1.0', 'pl'],
    // A malformed weight is no preference; a malformed range is skipped.
    ['de;q=2, fr;q=0.1', 'fr'], ['de;q=abc', 'en'], ['de;q=-1, es;q=0.2', 'es'], ['d€, it', 'it'],
    // Regions and scripts: the primary subtag, case-insensitive, `_` read as `-`.
    ['fr-CA', 'fr'], ['es-419', 'es'], ['NL', 'nl'], ['de_AT', 'de'], ['ja-JP-u-ca-japanese', 'ja'], ['en-GB', 'en'], ['ko-KR', 'ko'],
    // Portuguese: one catalogue, Brazilian.
    ['pt', 'pt-BR'], ['pt-PT', 'pt-BR'], ['pt-BR', 'pt-BR'], ['pt-br', 'pt-BR'], ['pt-AO;q=0.8, en;q=0.5', 'pt-BR'],
    // Chinese: Simplified for zh, mainland and Singapore; Traditional has no catalogue (English, or the next choice).
    ['zh', 'zh-Hans'], ['zh-CN,zh;q=0.9', 'zh-Hans'], ['zh-SG', 'zh-Hans'], ['zh-Hans', 'zh-Hans'], ['zh-Hans-HK', 'zh-Hans'],
    ['zh-TW', 'en'], ['zh-Hant', 'en'], ['zh-Hant-CN', 'en'], ['zh-HK', 'en'], ['zh-MO', 'en'],
    ['zh-TW, ja;q=0.5', 'ja'], ['zh-TW, zh;q=0.8', 'zh-Hans'],
    // A header longer than any browser sends is read only so far.
    [`${'x-aa,'.repeat(300)}de`, 'en']
  ]
  for (const [header, expected] of table) t.equal(negotiateLanguage(header), expected, JSON.stringify(header)?.slice(0, 60) ?? 'undefined')

  t.equal(languageOf('DE-ch'), 'de')
  t.equal(languageOf('zh-Hant-TW'), undefined)
  t.equal(languageOf('sv-SE'), undefined)
})

t.test('durations and refusals are said in the page\'s language', async t => {
  t.equal(durationText(600), '10 minutes')
  t.equal(durationText(60), '1 minute')
  t.equal(durationText(45), '45 seconds')
  t.equal(durationText(600, 'de'), '10 Minuten')
  t.equal(durationText(120, 'pl'), '2 minuty')
  t.equal(durationText(600, 'ko'), '10분')
  const expired = errorContent('expired-token', { ttlSeconds: 600 }, 'fr')
  t.equal(expired.title, TRANSLATIONS.fr.expiredTokenTitle)
  t.same(expired.paragraphs, ['Les liens de connexion sont valables 10 minutes.', TRANSLATIONS.fr.errorStartAgain])
  const closed = errorContent('action-closed', { ttlSeconds: 600, returnHost: 'app.example:5001' }, 'nl')
  t.same(closed.paragraphs, ['Ze is geblokkeerd of te vaak mislukt. Ga terug naar app.example:5001 en begin opnieuw.'])
  t.same(errorContent('not-found', { ttlSeconds: 600 }), { title: 'Page not found', paragraphs: ['There is nothing at this address.'] })
})

// --- The page in a browser --------------------------------------------------------------------------

const browser = await launchBrowser(t)

interface Teardown { teardown (fn: () => unknown): void }

interface Journey {
  site: ReturnSite
  emulator: RunningEmulator
  page: Page
  watch: PageWatch
  track (userId: string, attributes?: Record<string, unknown>): Promise<{ url: string, token: string }>
}

/** An emulator, a return site, and a browser profile that asks for `acceptLanguage`. */
async function journey (t: Teardown, acceptLanguage: string, locale: string): Promise<Journey> {
  const site = await startReturnSite(t)
  const emulator = await startEmulator(t, { expectedOrigins: [site.origin] })
  const client = emulator.serverClient()
  const context = await browser.newContext({ locale, extraHTTPHeaders: { 'accept-language': acceptLanguage } })
  t.teardown(() => context.close())
  const page = await context.newPage()
  return {
    site,
    emulator,
    page,
    watch: watchPage(page, [/Failed to load resource: the server responded with a status of 4\d\d/]),
    async track (userId, attributes = {}) {
      const response = await client.track({
        userId,
        action: 'signIn',
        attributes: { redirectUrl: `${site.origin}/callback`, username: `${userId}@example.test`, ...attributes }
      })
      if (response.url == null || response.token == null) throw new Error('track answered without url or token')
      return { url: response.url, token: response.token }
    }
  }
}

/** Everything a user could read or hear on the page: every screen's text (hidden ones too), titles, labels, the script's words. */
async function allWords (page: Page): Promise<string> {
  return await page.evaluate(() => {
    const attributes = [...document.querySelectorAll('[alt], [aria-label], [title], [placeholder]')]
      .flatMap(element => ['alt', 'aria-label', 'title', 'placeholder'].map(name => element.getAttribute(name) ?? ''))
    const messages = document.getElementById('hosted')?.dataset.messages
    const script = messages == null ? [] : Object.values(JSON.parse(messages) as Record<string, string>)
    return [document.title, document.body.textContent ?? '', ...attributes, ...script].join('\n')
  })
}

/** Fails on any English sentence (or long enough piece of one) whose translation differs from it. */
interface Assert { same: (found: unknown, wanted: unknown, message: string) => boolean }

function assertNoEnglish (t: Assert, text: string, language: Exclude<Language, 'en'>): void {
  const normalised = text.replace(/\s+/g, ' ')
  const left: string[] = []
  for (const key of KEYS) {
    if (TRANSLATIONS[language][key] === MESSAGES[key]) continue
    for (const piece of MESSAGES[key].split(/\{\w+\}/).map(p => p.trim())) {
      if (piece.length >= 8 && /[a-z]{3}/.test(piece) && normalised.includes(piece)) left.push(`${key}: ${piece}`)
    }
  }
  t.same(left, [], `no English left (${language})`)
}

function assertClean (t: Assert, watch: PageWatch): void {
  t.same(watch.errors, [], 'no uncaught errors or console errors')
  t.same(watch.cspViolations, [], 'no CSP violations')
}

/** A six-digit code that no step in the accepted window produces. */
function wrongCode (secret: string): string {
  for (let n = 0; ; n++) {
    const code = String(n).padStart(6, '0')
    if (matchTotp(secret, code) == null) return code
  }
}

const statusText = async (page: Page): Promise<string> => (await page.textContent('#status')) ?? ''

t.test('German: the set-up screens, the script\'s words and the way back, with no English left', async t => {
  const de = TRANSLATIONS.de
  const { site, page, watch, track } = await journey(t, 'de-CH,de;q=0.9,en;q=0.8', 'de-CH')
  const response = await page.goto((await track('anna')).url)
  t.equal(response?.status(), 200)
  t.match(response?.headers().vary ?? '', /(^|,\s*)accept-language(\s*,|$)/i, 'Vary: Accept-Language')
  t.equal(await page.getAttribute('html', 'lang'), 'de')
  t.equal(await page.title(), `${de.chooseTitle} · Passkey demo`)
  t.equal(await page.textContent('h1:visible'), 'Bestätigung in zwei Schritten einrichten')
  t.equal(await page.textContent('[data-screen="choose"] .lead'), 'Wählen Sie, wie Sie bei der Anmeldung bei Passkey demo bestätigen, dass Sie es sind.')
  t.equal(await page.textContent('#choose-app .option-title'), 'Authenticator-App')
  t.equal(await page.textContent('#cancel-form button'), `Abbrechen und zu ${new URL(site.origin).host} zurückkehren`)
  t.equal(await page.textContent('footer'), de.footer)
  assertNoEnglish(t, await allWords(page), 'de')

  // The authenticator app: the status region and the field's error in German, from data-messages.
  await page.click('#choose-app')
  await page.waitForFunction(() => (document.getElementById('totp-secret')?.textContent ?? '').length > 0)
  t.equal(await statusText(page), de.keyReady)
  t.equal(await page.textContent('#totp-secret-label'), de.totpKeyLabel)
  t.equal(await page.getAttribute('#totp-qr', 'alt'), 'QR-Code, um Passkey demo zu Ihrer Authenticator-App hinzuzufügen')
  await page.fill('#enroll-code', '12ab')
  await page.click('[data-screen="totp-enroll"] button[type="submit"]')
  await page.waitForSelector('#enroll-code[aria-invalid="true"]')
  t.equal(await page.textContent('#enroll-code-error'), de.enterAppCode)
  assertNoEnglish(t, await allWords(page), 'de')

  const secret = (await page.textContent('#totp-secret')) ?? ''
  await page.fill('#enroll-code', totp(secret))
  await page.click('[data-screen="totp-enroll"] button[type="submit"]')
  const visit = await site.nextVisit('/callback')
  t.ok(visit.query.get('token'), 'back on the site with a token')
  assertClean(t, watch)
})

t.test('Japanese: a code screen, switching methods and a wrong code, with no English left', async t => {
  const ja = TRANSLATIONS.ja
  const { emulator, page, watch, track } = await journey(t, 'ja-JP,ja;q=0.9', 'ja-JP')
  const client = emulator.serverClient()
  await client.enrollVerifiedAuthenticator({ userId: 'hanako', attributes: { verificationMethod: VerificationMethod.SMS, phoneNumber: '+81901234567', isDefault: true } })
  const setUp = await track('hanako', { idempotencyKey: 'set-up', scope: 'add:authenticators' })
  const auth = { authorization: `Bearer ${setUp.token}` }
  const enroll = await fetch(`${emulator.apiUrl}/client/user-authenticators/totp`, { method: 'POST', headers: auth })
  const { secret } = await enroll.json() as { secret: string }
  const verified = await fetch(`${emulator.apiUrl}/client/verify/totp`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ verificationCode: totp(secret) })
  })
  t.equal(((await verified.json()) as { isVerified: boolean }).isVerified, true, 'set-up: an authenticator app as well')

  await page.goto((await track('hanako')).url)
  t.equal(await page.getAttribute('html', 'lang'), 'ja')
  t.equal(await page.textContent('h1:visible'), ja.smsTitle)
  const masked = maskDestination('+81901234567')
  t.equal(await page.textContent('[data-screen="sms-challenge"] .lead strong'), masked, 'the masked number, emphasised where Japanese puts it')
  t.equal(await page.textContent('[data-screen="sms-challenge"] .lead'), ja.smsLead.replace('{destination}', masked))
  await page.waitForFunction(text => document.getElementById('status')?.textContent === text, ja.codeSentSms)
  t.equal(await page.textContent('[data-screen="sms-challenge"] [data-goto="totp-challenge"]'), ja.switchToApp)

  await page.click('[data-screen="sms-challenge"] [data-goto="totp-challenge"]')
  t.equal(await page.textContent('h1:visible'), ja.totpChallengeTitle)
  t.equal(await page.textContent('label[for="challenge-code"]'), ja.codeLabel)
  await page.fill('#challenge-code', wrongCode(secret))
  await page.click('[data-screen="totp-challenge"] button[type="submit"]')
  await page.waitForSelector('#challenge-code[aria-invalid="true"]')
  t.equal(await page.textContent('#challenge-code-error'), ja.appCodeWrong)
  t.equal(await statusText(page), ja.appCodeWrong, 'the status region says it too')
  assertNoEnglish(t, await allWords(page), 'ja')
  assertClean(t, watch)
})

t.test('refusals in the visitor\'s language: an expired link in Korean, and more error pages', async t => {
  const { emulator, page, watch, track } = await journey(t, 'ko-KR,ko;q=0.9,en-US;q=0.8', 'ko-KR')
  const tracked = await track('late')
  const claims = decodeJwt(tracked.token)
  const now = Math.floor(Date.now() / 1000)
  const expired = await new SignJWT({ scope: claims.scope, other: claims.other })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject('late')
    .setAudience(TEST_TENANT)
    .setIssuedAt(now - 700)
    .setExpirationTime(now - 100)
    .sign(new TextEncoder().encode(TEST_SECRET))

  const response = await page.goto(`${emulator.origin}/challenge?token=${expired}`)
  t.equal(response?.status(), 410)
  t.match(response?.headers().vary ?? '', /accept-language/i)
  t.equal(await page.getAttribute('html', 'lang'), 'ko')
  t.equal(await page.textContent('h1'), '이 링크는 만료되었습니다')
  t.match(await page.textContent('main') ?? '', '로그인 링크는 10분 동안 유효합니다.')
  t.match(await page.textContent('main') ?? '', TRANSLATIONS.ko.closePage)
  assertNoEnglish(t, await allWords(page), 'ko')
  assertClean(t, watch)

  const get = async (path: string, acceptLanguage: string): Promise<{ status: number, vary: string | null, body: string }> => {
    const res = await fetch(`${emulator.origin}${path}`, { headers: { 'accept-language': acceptLanguage } })
    return { status: res.status, vary: res.headers.get('vary'), body: await res.text() }
  }
  const post = async (path: string, acceptLanguage: string, headers: Record<string, string>): Promise<{ status: number, body: string }> => {
    const res = await fetch(`${emulator.origin}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': acceptLanguage, ...headers },
      body: new URLSearchParams({ token: tracked.token })
    })
    return { status: res.status, body: await res.text() }
  }
  const words = (language: Language, key: MessageKey): string => messagesFor(language)[key].replaceAll('\'', '&#39;')

  const notFound = await get('/challenge/nothing-here', 'pt-PT,pt;q=0.9')
  t.equal(notFound.status, 404)
  t.match(notFound.vary ?? '', /accept-language/i)
  t.match(notFound.body, '<html lang="pt-BR">')
  t.match(notFound.body, `<h1>${words('pt-BR', 'notFoundTitle')}</h1>`)

  const refused = await get(`/challenge?token=${(await track('wanderer', { redirectUrl: 'http://evil.example/callback' })).token}`, 'es-MX,es;q=0.9')
  t.equal(refused.status, 400)
  t.match(refused.body, '<html lang="es">')
  t.match(refused.body, words('es', 'cannotContinueTitle'))
  t.match(refused.body, 'Su dirección de retorno (en http://evil.example) no es uno de los orígenes')
  t.match(refused.body, words('es', 'redirectNotAllowedHint'))

  const crossSite = await post('/challenge/complete', 'zh-CN,zh;q=0.9', { 'sec-fetch-site': 'cross-site' })
  t.equal(crossSite.status, 403)
  t.match(crossSite.body, '<html lang="zh-Hans">')
  t.match(crossSite.body, words('zh-Hans', 'crossSiteTitle'))
  t.match(crossSite.body, words('zh-Hans', 'crossSiteText'))

  const early = await post('/challenge/complete', 'pl', { 'sec-fetch-site': 'same-origin' })
  t.equal(early.status, 409)
  t.match(early.body, '<html lang="pl">')
  t.match(early.body, words('pl', 'notVerifiedTitle'))
  t.match(early.body, `>${words('pl', 'backToVerification')}</button>`, 'the way back is in Polish too')

  const traditional = await get('/challenge/nothing-here', 'zh-TW')
  t.match(traditional.body, '<html lang="en">', 'Traditional Chinese gets English')
  t.match(traditional.body, '<h1>Page not found</h1>')
})
