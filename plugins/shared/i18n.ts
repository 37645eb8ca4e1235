// The languages the plugins' pages (and the passkey elements) speak, and the one rule that picks one for a
// request from its Accept-Language (RFC 9110 §12.5.4 weights, parsed by the maintained `negotiator`).
import Negotiator from 'negotiator'

/** BCP 47 tags, as the pages put them in `<html lang>` (the elements take their language from there). */
export const LANGUAGES = ['en', 'de', 'fr', 'es', 'it', 'pt-BR', 'nl', 'pl', 'ja', 'ko', 'zh-Hans'] as const
export type Language = typeof LANGUAGES[number]
export const DEFAULT_LANGUAGE: Language = 'en'

// Tags browsers send for the languages shipped under another tag (the elements use the same fallbacks).
const ALIASES: Record<string, Language> = { pt: 'pt-BR', 'pt-pt': 'pt-BR', zh: 'zh-Hans', 'zh-cn': 'zh-Hans', 'zh-sg': 'zh-Hans', 'zh-hans-cn': 'zh-Hans' }
const BY_LOWER = new Map<string, Language>(LANGUAGES.map(language => [language.toLowerCase(), language]))

/** The shipped language for one tag (exact, an alias, or its primary subtag), if any. */
export function languageOf (tag: string): Language | undefined {
  const lower = tag.toLowerCase()
  if (lower.startsWith('zh-hant') || lower === 'zh-tw' || lower === 'zh-hk' || lower === 'zh-mo') return undefined
  return BY_LOWER.get(lower) ?? ALIASES[lower] ?? BY_LOWER.get(lower.split('-')[0] ?? '') ?? ALIASES[lower.split('-')[0] ?? '']
}

/** The first of the client's preferred languages that is shipped; English otherwise. */
export function negotiateLanguage (acceptLanguage: string | undefined): Language {
  if (acceptLanguage == null || acceptLanguage === '') return DEFAULT_LANGUAGE
  for (const tag of new Negotiator({ headers: { 'accept-language': acceptLanguage.slice(0, 512) } }).languages()) {
    const language = languageOf(tag)
    if (language != null) return language
  }
  return DEFAULT_LANGUAGE
}
