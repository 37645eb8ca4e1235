// Which shipped catalogue a BCP 47 language tag gets. Pure, so servers and the elements decide alike.
import { PASSKEY_LANGUAGES, type PasskeyLanguage } from './types.js'

// Every language range (lower case) that names a shipped language: the languages' own tags, their other
// names, and tags that must not fall back to a shorter one (null): Traditional Chinese is not Simplified
// Chinese (`zh-TW` gets English, not `zh-Hans`).
const RANGES = new Map<string, PasskeyLanguage | null>([
  ...PASSKEY_LANGUAGES.map(language => [language.toLowerCase(), language] as const),
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

/** A tag's language ranges, most specific first, lower case: `de-CH-1996` → `de-ch-1996`, `de-ch`, `de`. */
export function languageRanges (tag: string | null | undefined): string[] {
  const subtags = (tag ?? '').trim().toLowerCase().replaceAll('_', '-').split('-')
  if (subtags[0] === '') return []
  return subtags.map((_, i) => subtags.slice(0, subtags.length - i).join('-'))
}

/**
 * The shipped language for a language tag, by lookup (RFC 4647 §3.4: drop subtags from the end until one
 * matches), or undefined. `pt-PT` → `pt-BR`, `zh-CN` and `zh-Hans-HK` → `zh-Hans`, `zh-TW` → undefined.
 */
export function resolvePasskeyLanguage (tag: string | null | undefined): PasskeyLanguage | undefined {
  for (const range of languageRanges(tag)) {
    const language = RANGES.get(range)
    if (language !== undefined) return language ?? undefined
  }
  return undefined
}

/**
 * The shipped language for an `Accept-Language` header (RFC 9110 §12.5.4): the first of the user's
 * languages, by weight, that resolves; English when none does.
 */
export function negotiatePasskeyLanguage (acceptLanguage: string | null | undefined): PasskeyLanguage {
  const ranges = (acceptLanguage ?? '').split(',').map((part, index) => {
    const [range = '', ...params] = part.trim().split(';')
    const q = params.map(p => p.trim()).find(p => p.startsWith('q='))
    return { range: range.trim(), weight: q == null ? 1 : Number(q.slice(2)) || 0, index }
  }).filter(r => r.weight > 0 && r.range !== '' && r.range !== '*')
  ranges.sort((a, b) => b.weight - a.weight || a.index - b.index)
  for (const { range } of ranges) {
    const language = resolvePasskeyLanguage(range)
    if (language != null) return language
  }
  return 'en'
}
