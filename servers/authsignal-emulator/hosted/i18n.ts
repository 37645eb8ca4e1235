// The hosted page's language: one of the eleven the rest of the product speaks, picked from the
// request's Accept-Language (RFC 9110 §12.5.4 weights) with the same fallbacks as the plugins' pages and
// the passkey elements. Written here rather than imported: this package depends on none of them.

/** BCP 47 tags, as the page puts them in `<html lang>`. */
export const LANGUAGES = ['en', 'de', 'fr', 'es', 'it', 'pt-BR', 'nl', 'pl', 'ja', 'ko', 'zh-Hans'] as const
export type Language = typeof LANGUAGES[number]
export const DEFAULT_LANGUAGE: Language = 'en'

// Every language range (lower case) that names a shipped language: the languages' own tags, the tags
// browsers send for the ones shipped under another tag, and ranges that must not fall back to a shorter
// one (null): Traditional Chinese is not Simplified Chinese, so `zh-TW` gets English, not `zh-Hans`.
const RANGES = new Map<string, Language | null>([
  ...LANGUAGES.map(language => [language.toLowerCase(), language] as const),
  ['pt', 'pt-BR'],
  ['zh', 'zh-Hans'],
  ['zh-cn', 'zh-Hans'],
  ['zh-sg', 'zh-Hans'],
  ['zh-my', 'zh-Hans'],
  ['zh-hant', null],
  ['zh-tw', null],
  ['zh-hk', null],
  ['zh-mo', null]
])

/**
 * The shipped language for one tag, by lookup (RFC 4647 §3.4: drop subtags from the end until one
 * matches): `de-CH` → `de`, `pt-PT` → `pt-BR`, `zh-Hans-HK` → `zh-Hans`, `zh-Hant-TW` and `sv` → undefined.
 */
export function languageOf (tag: string): Language | undefined {
  const subtags = tag.trim().toLowerCase().replaceAll('_', '-').split('-')
  for (let length = subtags.length; length > 0; length--) {
    const language = RANGES.get(subtags.slice(0, length).join('-'))
    if (language !== undefined) return language ?? undefined
  }
  return undefined
}

// A header longer than any browser sends is read up to here: the work per request stays bounded.
const MAX_HEADER_LENGTH = 1024
const QVALUE = /^q=(0(\.\d{0,3})?|1(\.0{0,3})?)$/i

/** The client's language ranges, highest weight first (ties keep the header's order); `q=0` and `*` left out. */
export function preferredRanges (acceptLanguage: string | undefined): string[] {
  if (acceptLanguage == null) return []
  const ranges: Array<{ range: string, weight: number, index: number }> = []
  acceptLanguage.slice(0, MAX_HEADER_LENGTH).split(',').forEach((part, index) => {
    const [range = '', ...params] = part.split(';').map(p => p.trim())
    if (!/^[a-z]{1,8}(-[a-z\d]{1,8})*$/i.test(range.replaceAll('_', '-'))) return
    const q = params.find(p => /^q\s*=/i.test(p))?.replace(/\s+/g, '')
    // A malformed weight is no preference at all, rather than a guess at what it meant.
    if (q != null && !QVALUE.test(q)) return
    const weight = q == null ? 1 : Number(q.slice(2))
    if (weight > 0) ranges.push({ range, weight, index })
  })
  return ranges.sort((a, b) => b.weight - a.weight || a.index - b.index).map(r => r.range)
}

/** The first of the client's preferred languages that is shipped; English when none is. */
export function negotiateLanguage (acceptLanguage: string | undefined): Language {
  for (const range of preferredRanges(acceptLanguage)) {
    const language = languageOf(range)
    if (language != null) return language
  }
  return DEFAULT_LANGUAGE
}
