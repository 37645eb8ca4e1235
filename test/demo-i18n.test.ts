// The demo's pages speak the visitor's language: every page of the demo IdP (its own views) and of the demo
// app follows Accept-Language (fastify-passkey-core's rule), says which in <html lang>, answers with
// `Vary: Accept-Language`, and has no English left in another language. The catalogue
// (servers/shared/i18n.ts) has every key in every language; a missing key fails here.
import t from 'tap'
import { LANGUAGES, type Language } from 'fastify-passkey-core'
import { MESSAGES as ENROLL_MESSAGES } from 'fastify-passkey-enroll'
import { MESSAGES, TRANSLATIONS, formatDate, formatDuration, messagesFor, type MessageKey, type Messages } from '../servers/shared/i18n.js'
import { signInToApp, startDemoStack } from './fixtures/client-app.js'
import { HttpSession, type HttpResponse } from './fixtures/http-session.js'
import { enrollPasskey, passkeySignIn } from './fixtures/oidc-flows.js'

const ENGLISH_KEYS = Object.keys(MESSAGES).sort()
const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map(m => m[1] ?? '').sort()

/** What is wrong with a catalogue: keys missing or extra, empty words, placeholders lost or added. */
function catalogueProblems (translations: Record<string, Partial<Record<string, string>>>): string[] {
  const problems: string[] = []
  for (const language of LANGUAGES.filter(l => l !== 'en')) {
    const words = translations[language]
    if (words == null) { problems.push(`${language}: missing`); continue }
    for (const key of ENGLISH_KEYS) {
      const text = words[key]
      if (text == null) problems.push(`${language}.${key}: missing`)
      else if (text.trim() === '') problems.push(`${language}.${key}: empty`)
      else if (placeholders(text).join() !== placeholders(MESSAGES[key as MessageKey]).join()) problems.push(`${language}.${key}: placeholders ${placeholders(text).join()} instead of ${placeholders(MESSAGES[key as MessageKey]).join()}`)
    }
    for (const key of Object.keys(words)) if (!(key in MESSAGES)) problems.push(`${language}.${key}: not an English key`)
  }
  return problems
}

t.test('every language has every key of the English catalogue, with its placeholders', async t => {
  t.same(catalogueProblems(TRANSLATIONS), [], 'the shipped catalogue is complete')
  // The check itself fails on a missing key, an empty one, a lost placeholder and an extra key.
  const { hello: _hello, ...withoutHello } = TRANSLATIONS.de
  const broken = { ...TRANSLATIONS, de: withoutHello, fr: { ...TRANSLATIONS.fr, remove: ' ' }, ja: { ...TRANSLATIONS.ja, removeLabel: 'パスキーを削除' }, ko: { ...TRANSLATIONS.ko, extra: 'x' } }
  t.same(catalogueProblems(broken), ['de.hello: missing', 'fr.remove: empty', 'ja.removeLabel: placeholders  instead of name', 'ko.extra: not an English key'])
  t.same(LANGUAGES, ['en', 'de', 'fr', 'es', 'it', 'pt-BR', 'nl', 'pl', 'ja', 'ko', 'zh-Hans'], 'the eleven languages of fastify-passkey-core')
})

t.test('translations are translated, and keep what the pages rely on', async t => {
  // Words that are the same as English in a language (a loan word), on purpose.
  const same: Record<string, MessageKey[]> = { de: ['navPasskeys'], it: ['homeTitle'] }
  for (const language of LANGUAGES.filter(l => l !== 'en')) {
    const words = messagesFor(language)
    const untranslated = ENGLISH_KEYS.filter(key => words[key as MessageKey] === MESSAGES[key as MessageKey])
    t.same(untranslated, same[language] ?? [], `${language}: nothing left in English`)
    // WCAG 2.5.3: the remove button's name ("Remove passkey X") contains its visible word ("Remove").
    t.ok(words.removeLabel.toLocaleLowerCase(language).includes(words.remove.toLocaleLowerCase(language)), `${language}: the remove button's name contains its visible label`)
  }
  // The app's refusal statuses say in English what passkey-enroll's JSON answers say.
  t.equal(MESSAGES.statusReauthenticate, ENROLL_MESSAGES.reauthenticate)
  t.equal(MESSAGES.statusUnavailable, ENROLL_MESSAGES.unavailable)
  t.equal(MESSAGES.statusNotSignedIn, ENROLL_MESSAGES.notSignedIn)
})

t.test('dates and durations in the page\'s language', async t => {
  const iso = '2025-03-07T14:05:00.000Z'
  const shown = Object.fromEntries(LANGUAGES.map(l => [l, formatDate(iso, l)]))
  t.comment(JSON.stringify(shown))
  t.equal(shown.en, 'Mar 7, 2025, 2:05 PM UTC')
  t.equal(shown.de, '7. März 2025, 14:05 UTC')
  t.equal(shown.fr, '7 mars 2025, 14:05 UTC')
  t.equal(shown['pt-BR'], '7 de mar. de 2025, 14:05 UTC')
  t.equal(shown.ja, '2025年3月7日 14:05 UTC')
  t.match(shown.ko, /^2025년 3월 7일/)
  t.match(shown['zh-Hans'], /^2025年3月7日/)
  for (const language of LANGUAGES) t.match(shown[language], /UTC/, `${language}: says the time is UTC`)
  t.equal(formatDate('not a date', 'fr'), undefined)
  t.equal(formatDuration(600, 'en'), '10 minutes')
  t.equal(formatDuration(600, 'pl'), '10 minut')
  t.equal(formatDuration(120, 'pl'), '2 minuty')
  t.equal(formatDuration(3, 'de'), '3 Sekunden')
})

const decode = (html: string): string => html.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&')

/** The words a person meets: the text between tags, and the names given in aria-label and title attributes. */
function wordsOf (html: string): string {
  const attributes = [...html.matchAll(/\s(?:aria-label|title)="([^"]*)"/g)].map(m => m[1] ?? '')
  const text = html.replace(/<(script|style)[\s\S]*?<\/\1>/g, ' ').replace(/<[^>]*>/g, ' ')
  return decode([text, ...attributes].join('\n')).replace(/\s+/g, ' ')
}

/** The English source's pieces (around placeholders) a page in `language` must not contain. */
function englishPieces (language: Language): string[] {
  if (language === 'en') return []
  const words = messagesFor(language)
  return ENGLISH_KEYS.filter(key => words[key as MessageKey] !== MESSAGES[key as MessageKey])
    .flatMap(key => MESSAGES[key as MessageKey].split(/\{\w+\}/).map(piece => spaced(piece)))
    .filter(piece => /\p{L}{3}/u.test(piece))
}

/** A page's words for a key, as they appear (the placeholders' values left out). */
const pieces = (text: Messages, key: MessageKey): string[] => text[key].split(/\{\w+\}/).map(p => spaced(p)).filter(p => p !== '')
/** Any run of white space (no-break spaces too) as one space, as wordsOf has it. */
const spaced = (text: string): string => text.replace(/\s+/g, ' ').trim()
/** Whether `piece` appears in `words` as whole words ("Remove" is not in "Remover"). */
const hasWords = (words: string, piece: string): boolean =>
  new RegExp(`(?<!\\p{L})${piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?!\\p{L})`, 'u').test(words)

t.test('every page of the demo IdP and app, in every language: <html lang>, Vary, its words, and no English left', async t => {
  // maxAuthAgeSeconds 1: the passkeys page shows its stale-sign-in note (with a duration in words) a second after sign-in.
  const stack = await startDemoStack(t, { client: { maxAuthAgeSeconds: 1 } })
  const { client, idp, emulator } = stack
  const signedIn = new HttpSession()
  await signInToApp(stack, signedIn, 'alice')
  const passkey = await enrollPasskey(emulator, 'alice', client.origin)
  await passkeySignIn(emulator, passkey)
  const listed = await emulator.serverClient().getAuthenticators({ userId: 'alice' })
  const created = listed.find(a => a.verificationMethod === 'PASSKEY')?.createdAt ?? ''
  t.ok(created !== '', 'the passkey has a creation date')
  await new Promise(resolve => setTimeout(resolve, 1100))
  const badRedirect = new URL(`${idp.origin}/oidc/auth`)
  for (const [name, value] of Object.entries({ client_id: 'demo-app', response_type: 'code', scope: 'openid', redirect_uri: 'http://evil.example/callback', code_challenge: 'a'.repeat(43), code_challenge_method: 'S256' })) badRedirect.searchParams.set(name, value)

  interface PageCheck { name: string, expect: MessageKey[], status: number, load: (session: HttpSession, fresh: HttpSession) => Promise<HttpResponse> }
  const pages: PageCheck[] = [
    { name: 'app home, signed out', status: 200, expect: ['welcome', 'welcomeIntro', 'signIn', 'demoAccounts', 'appName'], load: async (_s, fresh) => await fresh.get(`${client.origin}/`) },
    { name: 'app home, signed in', status: 200, expect: ['hello', 'signedInAs', 'managePasskeys', 'managePasskeysLink', 'navPasskeys', 'signOut', 'homeTitle'], load: async s => await s.get(`${client.origin}/`) },
    { name: 'app passkeys, listed, stale sign-in', status: 200, expect: ['passkeysHeading', 'passkeysIntro', 'deviceOnly', 'addedOn', 'lastUsed', 'remove', 'removeLabel', 'reauthNote', 'reauthLink', 'enrollLabel', 'needsJavaScript'], load: async s => await s.get(`${client.origin}/passkeys`) },
    ...(['added', 'removed', 'not_found', 'reauthentication_required', 'unavailable', 'not_signed_in'] as const).map((status, i): PageCheck => ({
      name: `app passkeys, ?status=${status}`,
      status: 200,
      expect: [(['statusAdded', 'statusRemoved', 'statusNotFound', 'statusReauthenticate', 'statusUnavailable', 'statusNotSignedIn'] as const)[i] as MessageKey],
      load: async s => await s.get(`${client.origin}/passkeys?status=${status}`)
    })),
    { name: 'app error, not found', status: 404, expect: ['errNotFoundTitle', 'errNotFound', 'backHome'], load: async (_s, fresh) => await fresh.get(`${client.origin}/nowhere`) },
    { name: 'app error, sign-in expired', status: 400, expect: ['errExpiredTitle', 'errExpired'], load: async (_s, fresh) => await fresh.get(`${client.origin}/callback?code=a&state=b`) },
    { name: 'app error, bad request', status: 400, expect: ['errBadRequestTitle', 'errBadRequest'], load: async (_s, fresh) => await fresh.get(`${client.origin}/login?returnTo=https://evil.example`) },
    { name: 'IdP home', status: 200, expect: ['idpTitle', 'idpIntro', 'idpGoToApp', 'idpDiscovery'], load: async (_s, fresh) => await fresh.get(`${idp.origin}/`) },
    { name: 'IdP error page', status: 400, expect: ['oidcErrorTitle', 'oidcErrorRedirect', 'oidcErrorGoBack', 'oidcErrorCode'], load: async (_s, fresh) => await fresh.get(badRedirect) },
    { name: 'IdP sign-out confirmation', status: 200, expect: ['logoutTitle', 'logoutQuestion', 'logoutYes', 'logoutNo'], load: async s => await s.get(`${idp.origin}/oidc/session/end`) },
    {
      name: 'IdP signed out',
      status: 200,
      expect: ['loggedOutTitle', 'loggedOut'],
      load: async s => {
        const confirm = await s.get(`${idp.origin}/oidc/session/end`)
        const action = decode(/<form method="post" action="([^"]+)"/.exec(confirm.body)?.[1] ?? '')
        const xsrf = /name="xsrf" value="([^"]+)"/.exec(confirm.body)?.[1] ?? ''
        // Without `logout=yes` (the "stay signed in" button) the IdP session lives on, for the next language.
        return (await s.follow(await s.postForm(new URL(action, idp.origin), { xsrf }))).response
      }
    }
  ]

  const seen: string[] = []
  for (const language of LANGUAGES) {
    const text = messagesFor(language)
    const english = englishPieces(language)
    signedIn.defaultHeaders['accept-language'] = `${language};q=0.9, sv;q=0.8`
    const fresh = new HttpSession()
    fresh.defaultHeaders['accept-language'] = language
    for (const check of pages) {
      const response = await check.load(signedIn, fresh)
      const where = `${language}, ${check.name}`
      t.equal(response.status, check.status, `${where}: ${check.status}`)
      t.match(response.body, `<html lang="${language}">`, `${where}: <html lang>`)
      t.ok((response.headers.get('vary') ?? '').toLowerCase().split(',').map(v => v.trim()).includes('accept-language'), `${where}: Vary: Accept-Language`)
      const words = wordsOf(response.body)
      const missing = check.expect.flatMap(key => pieces(text, key).filter(piece => !words.includes(piece)).map(piece => `${key}: "${piece}"`))
      t.same(missing, [], `${where}: its words`)
      const leftovers = english.filter(piece => hasWords(words, piece))
      t.same(leftovers, [], `${where}: no English`)
      if (check.name.startsWith('app passkeys, listed')) {
        const date = formatDate(created, language) ?? ''
        t.ok(response.body.includes(`<time datetime="${created}">${date.replace(/&/g, '&amp;')}</time>`), `${where}: the creation date in the page's language (${date})`)
        t.ok(words.includes(spaced(formatDuration(1, language))), `${where}: the sign-in age in words (${formatDuration(1, language)})`)
      }
      seen.push(`${language} ${check.name}`)
    }
  }
  t.equal(seen.length, LANGUAGES.length * pages.length)
  t.comment(`${pages.length} pages × ${LANGUAGES.length} languages checked`)

  // The sign-out confirmation names the app it signs out of, in the visitor's language.
  const german = new HttpSession()
  german.defaultHeaders['accept-language'] = 'de-DE,de;q=0.9'
  await signInToApp(stack, german, 'bob')
  const end = await german.follow(await german.postForm(`${client.origin}/logout`, {}), { stopAt: url => url.origin === idp.origin })
  const confirmation = await german.get(end.stoppedAt ?? `${idp.origin}/oidc/session/end`)
  t.match(confirmation.body, '<h1>Von Demo app abmelden?</h1>')
  t.match(confirmation.body, '<html lang="de">')
})

t.test('no Accept-Language, or none shipped: English; a refusal page and its focus', async t => {
  const { client } = await startDemoStack(t)
  const session = new HttpSession()
  const home = await session.get(`${client.origin}/`)
  t.match(home.body, '<html lang="en">')
  t.match(home.body, '<h1>Welcome</h1>')
  const swedish = await session.get(`${client.origin}/`, { 'accept-language': 'sv-SE, sv;q=0.9' })
  t.match(swedish.body, '<html lang="en">')
  const chinese = await session.get(`${client.origin}/nowhere`, { 'accept-language': 'zh-CN' })
  t.match(chinese.body, '<html lang="zh-Hans">')
  t.match(chinese.body, `<p role="alert" id="error-message" class="error" tabindex="-1" autofocus>${TRANSLATIONS['zh-Hans'].errNotFound}</p>`, 'the message is an alert, and takes focus')
})
