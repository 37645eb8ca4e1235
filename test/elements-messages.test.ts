// The elements' words: every shipped language has every key of the English source catalogue (and nothing
// else), in the shape of the English sentence; the language chosen for a tag or an Accept-Language header;
// and what ships (the DOM-free `passkey-elements/messages` and the browsers' language chunks) is the source.
import t from 'tap'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import * as shipped from 'passkey-elements/messages'
import en from '../components/src/messages/en.js'
import { PASSKEY_LANGUAGES, type PasskeyLanguage, type PasskeyMessages } from '../components/src/messages/types.js'
import { languageRanges, negotiatePasskeyLanguage, resolvePasskeyLanguage } from '../components/src/messages/languages.js'

const DIST = join(import.meta.dirname, '..', 'components', 'dist')
const source = async (language: PasskeyLanguage): Promise<PasskeyMessages> =>
  (await import(`../components/src/messages/${language}.js`) as { default: PasskeyMessages }).default

const KEYS = Object.keys(en).sort()

t.test('the languages the issue asks for are shipped', async t => {
  t.same([...PASSKEY_LANGUAGES].sort(), ['de', 'en', 'es', 'fr', 'it', 'ja', 'ko', 'nl', 'pl', 'pt-BR', 'zh-Hans'])
  t.equal(KEYS.length, 27, 'the English catalogue (the source)')
})

t.test('every language has every key of the English catalogue, and no other', async t => {
  for (const language of PASSKEY_LANGUAGES) {
    const catalogue = await source(language)
    const keys = Object.keys(catalogue).sort()
    t.same(keys.filter(k => !KEYS.includes(k)), [], `${language}: no keys English does not have`)
    t.same(KEYS.filter(k => !keys.includes(k)), [], `${language}: no key missing`)
  }
})

t.test('every text is a translation in the shape of its English sentence', async t => {
  const ending = (text: string): string => /…$/.test(text) ? '…' : /[.。]$/.test(text) ? '.' : ''
  for (const language of PASSKEY_LANGUAGES) {
    const catalogue = await source(language)
    for (const key of KEYS as Array<keyof PasskeyMessages>) {
      const text = catalogue[key]
      t.ok(typeof text === 'string' && text.trim() === text && text !== '', `${language}.${key}: a trimmed, non-empty string`)
      t.notMatch(text, /[<>]|\{\w*\}|\.\.\./, `${language}.${key}: plain text (no markup, placeholders or three dots)`)
      t.equal(ending(text), ending(en[key]), `${language}.${key}: ends like the English (an ellipsis for progress, a full stop for a sentence)`)
      if (language !== 'en') t.not(text, en[key], `${language}.${key}: translated`)
    }
  }
})

t.test('a language tag gets the shipped language by lookup; Traditional Chinese is not Simplified', async t => {
  const table: Array<[string | null | undefined, string | undefined]> = [
    ['en', 'en'], ['en-GB', 'en'], ['EN-us', 'en'], ['de', 'de'], ['de-CH-1996', 'de'], ['fr-CA', 'fr'], ['es-419', 'es'],
    ['it', 'it'], ['nl-BE', 'nl'], ['pl-PL', 'pl'], ['ja-JP', 'ja'], ['ko-KR', 'ko'],
    ['pt-BR', 'pt-BR'], ['pt-br', 'pt-BR'], ['pt', 'pt-BR'], ['pt-PT', 'pt-BR'], ['pt_BR', 'pt-BR'],
    ['zh', 'zh-Hans'], ['zh-CN', 'zh-Hans'], ['zh-SG', 'zh-Hans'], ['zh-Hans', 'zh-Hans'], ['zh-Hans-HK', 'zh-Hans'],
    ['zh-TW', undefined], ['zh-HK', undefined], ['zh-Hant', undefined], ['zh-Hant-TW', undefined],
    ['sv', undefined], ['', undefined], [' ', undefined], [null, undefined], [undefined, undefined], ['constructor', undefined], ['toString', undefined]
  ]
  for (const [tag, expected] of table) t.equal(resolvePasskeyLanguage(tag), expected, String(tag))
  t.same(languageRanges('de-CH-1996'), ['de-ch-1996', 'de-ch', 'de'])
  t.same(languageRanges(''), [])
})

t.test('Accept-Language picks the first of the user\'s languages, by weight, that is shipped', async t => {
  const table: Array<[string | undefined, string]> = [
    [undefined, 'en'], ['', 'en'], ['*', 'en'], ['de-CH,de;q=0.9,en;q=0.8', 'de'], ['sv,fr;q=0.5', 'fr'],
    ['en;q=0.5, ja', 'ja'], ['zh-TW,zh;q=0.8', 'zh-Hans'], ['zh-TW', 'en'], ['pt-PT;q=0.9, es;q=0.9', 'pt-BR'],
    ['de;q=0, fr', 'fr'], ['ko;q=0.001', 'ko'], ['xx, yy;q=0.2', 'en'], ['nl ; q=0.7 , pl ; q=0.8', 'pl']
  ]
  for (const [header, expected] of table) t.equal(negotiatePasskeyLanguage(header), expected, String(header))
})

t.test('passkey-elements/messages (no DOM) ships every catalogue as the source has it', async t => {
  t.same(shipped.englishMessages, en)
  t.same([...shipped.PASSKEY_LANGUAGES], [...PASSKEY_LANGUAGES])
  for (const language of PASSKEY_LANGUAGES) t.same(shipped.passkeyMessages[language], await source(language), language)
  t.equal(shipped.negotiatePasskeyLanguage('it-CH, en;q=0.5'), 'it')
  t.equal(shipped.resolvePasskeyLanguage('pt'), 'pt-BR')
})

t.test('the browsers\' language chunks hold the source catalogues', async t => {
  const assets = JSON.parse(readFileSync(join(DIST, 'assets.json'), 'utf8')) as { languages: Record<string, string> }
  t.same(Object.keys(assets.languages).sort(), PASSKEY_LANGUAGES.filter(l => l !== 'en').sort())
  for (const [language, file] of Object.entries(assets.languages)) {
    const chunk = await import(pathToFileURL(join(DIST, file)).href) as { default: PasskeyMessages }
    t.same(chunk.default, await source(language as PasskeyLanguage), `${file} is ${language}`)
  }
})
