// `passkey-elements/messages`: the elements' words in every shipped language, without the elements (no DOM,
// no Lit), so a server can render the same words (a server-rendered label, its own pages) with the same keys.
import de from './de.js'
import en from './en.js'
import es from './es.js'
import fr from './fr.js'
import it from './it.js'
import ja from './ja.js'
import ko from './ko.js'
import nl from './nl.js'
import pl from './pl.js'
import ptBR from './pt-BR.js'
import type { PasskeyLanguage, PasskeyMessages } from './types.js'
import zhHans from './zh-Hans.js'

export { PASSKEY_LANGUAGES } from './types.js'
export type { PasskeyLanguage, PasskeyMessageKey, PasskeyMessages } from './types.js'
export { languageRanges, negotiatePasskeyLanguage, resolvePasskeyLanguage } from './languages.js'

/** The English catalogue, the source of every key. */
export const englishMessages: PasskeyMessages = en

/** Every shipped catalogue, by language. */
export const passkeyMessages: Readonly<Record<PasskeyLanguage, PasskeyMessages>> = {
  en, de, fr, es, it, 'pt-BR': ptBR, nl, pl, ja, ko, 'zh-Hans': zhHans
}
