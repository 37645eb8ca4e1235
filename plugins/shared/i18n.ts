// The languages the plugins' pages speak, and the rule that picks one for a request from its
// Accept-Language: the passkey elements' own rule (passkey-elements/messages, DOM-free), so a page and its
// elements always agree (the page sets `<html lang>`, which the elements follow).
import { negotiatePasskeyLanguage, PASSKEY_LANGUAGES, resolvePasskeyLanguage, type PasskeyLanguage } from 'passkey-elements/messages'

/** BCP 47 tags, as the pages put them in `<html lang>`: en, de, fr, es, it, pt-BR, nl, pl, ja, ko, zh-Hans. */
export const LANGUAGES: readonly PasskeyLanguage[] = PASSKEY_LANGUAGES
export type Language = PasskeyLanguage
export const DEFAULT_LANGUAGE: Language = 'en'

/** The shipped language for one tag (RFC 4647 lookup, with the pt and zh fallbacks), if any. */
export const languageOf = (tag: string): Language | undefined => resolvePasskeyLanguage(tag)

/** The first of the client's preferred languages (RFC 9110 §12.5.4 weights) that is shipped; English otherwise. */
export const negotiateLanguage = (acceptLanguage: string | undefined): Language => negotiatePasskeyLanguage(acceptLanguage?.slice(0, 1024))
