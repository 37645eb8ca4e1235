// passkey-login's pages speak the visitor's language: Accept-Language picks one of the eleven shipped,
// `<html lang>` says which (the elements follow it), every word of the page is in it, refusals too, and a
// host can override words per language. A language missing a key fails here.
import t from 'tap'
import { LANGUAGES, MESSAGES, TRANSLATIONS, negotiateLanguage } from 'fastify-passkey-login'
import { HttpSession } from './fixtures/http-session.js'
import { startStack } from './fixtures/idp.js'
import { beginLogin, interactionUrl } from './fixtures/oidc-flows.js'

t.test('every shipped language has every key, and no key English lacks', async t => {
  const keys = Object.keys(MESSAGES).sort()
  for (const language of LANGUAGES.filter(l => l !== 'en')) {
    const words = TRANSLATIONS[language as Exclude<typeof LANGUAGES[number], 'en'>]
    t.same(Object.keys(words).sort(), keys, language)
    for (const [key, text] of Object.entries(words)) {
      t.ok(text.trim().length > 0, `${language}.${key} is not empty`)
      if (key === 'continueTo') t.match(text, '{client}', `${language}.continueTo keeps the client's place`)
    }
  }
})

t.test('Accept-Language picks the language, with weights, regions and fallbacks', async t => {
  const table: Array<[string | undefined, string]> = [
    [undefined, 'en'], ['', 'en'], ['de-DE,de;q=0.9,en;q=0.8', 'de'], ['fr-CA', 'fr'], ['pt', 'pt-BR'], ['pt-PT', 'pt-BR'],
    ['zh-CN,zh;q=0.9', 'zh-Hans'], ['zh-TW', 'en'], ['sv, ja;q=0.5', 'ja'], ['en;q=0.1, ko;q=0.9', 'ko'], ['xx-YY', 'en'], ['*', 'en'],
    ['NL', 'nl'], ['pl-PL;q=1.0', 'pl'], ['es-419', 'es'], ['it;q=0', 'en']
  ]
  for (const [header, expected] of table) t.equal(negotiateLanguage(header), expected, String(header))
})

t.test('the login page and its refusals in German; the error page in Japanese; a host\'s own words', async t => {
  const { idp } = await startStack(t, { idp: { passkeyLogin: { messages: { de: { title: 'Bei Beispiel anmelden' } } } } })
  const session = new HttpSession()
  session.defaultHeaders['accept-language'] = 'de-DE,de;q=0.9'
  const start = await beginLogin(idp, { session })
  const page = start.page
  t.match(page.body, '<html lang="de">')
  t.equal(page.headers.get('vary'), 'accept-language')
  for (const words of ['Bei Beispiel anmelden', 'Benutzername', 'Passwort', '>Anmelden</button>', TRANSLATIONS.de.passkey, 'um mit <strong>Test RP</strong> fortzufahren']) t.match(page.body, words)
  t.notMatch(page.body, />Username<|>Password<|Sign in with a passkey/, 'no English left')
  const refused = await session.postForm(interactionUrl(idp, start.uid, '/login'), { username: 'alice', password: 'falsch-falsch' })
  t.equal(refused.status, 401)
  t.match(refused.body, TRANSLATIONS.de.credentials)

  const japanese = new HttpSession()
  japanese.defaultHeaders['accept-language'] = 'ja'
  const expired = await japanese.get(`${idp.origin}/interaction/abcdefghijklmnopqrstu`)
  t.equal(expired.status, 400)
  t.match(expired.body, '<html lang="ja">')
  t.match(expired.body, TRANSLATIONS.ja.expired)
  t.match(expired.body, TRANSLATIONS.ja.reference)
})
