// The elements' language: taken from the nearest `lang` (the element, its ancestors across shadow roots,
// then `<html lang>`), English when none resolves, and followed when a `lang` attribute changes.
//
// English ships with the elements (the sign-in words in the shared runtime, <passkey-enroll>'s in its own
// module, which adds them with `addEnglish`); every other language is a small chunk of its own, imported the
// first time an element on the page needs it (assets.json lists them under `languages`, so a server may
// preload the page's one). Overrides, per element (`messages` property) or page-wide (`setPasskeyMessages`),
// win over the shipped words.
import type { ReactiveController, ReactiveControllerHost } from 'lit'
import { signInEnglish } from '../messages/english-signin.js'
import { languageRanges, resolvePasskeyLanguage } from '../messages/languages.js'
import type { PasskeyLanguage, PasskeyMessageKey, PasskeyMessages } from '../messages/types.js'

type Translated = Exclude<PasskeyLanguage, 'en'>

// One chunk per language. Literal specifiers, so the bundler emits each as its own hashed file.
const loaders: Record<Translated, () => Promise<{ default: PasskeyMessages }>> = {
  de: () => import('../messages/de.js'),
  fr: () => import('../messages/fr.js'),
  es: () => import('../messages/es.js'),
  it: () => import('../messages/it.js'),
  'pt-BR': () => import('../messages/pt-BR.js'),
  nl: () => import('../messages/nl.js'),
  pl: () => import('../messages/pl.js'),
  ja: () => import('../messages/ja.js'),
  ko: () => import('../messages/ko.js'),
  'zh-Hans': () => import('../messages/zh-Hans.js')
}

/** How long an element waits for its language before it first renders (in English, until the words arrive). */
const FIRST_RENDER_WAIT_MS = 2000

/** English as far as the loaded elements need it (every key they use). */
const en = { ...signInEnglish } as PasskeyMessages
const catalogues = new Map<PasskeyLanguage, PasskeyMessages>([['en', en]])
const loading = new Map<PasskeyLanguage, Promise<void>>()
/** Page-wide overrides by lower-case language range (`setPasskeyMessages`). */
const pageMessages = new Map<string, Partial<PasskeyMessages>>()
const controllers = new Set<LanguageController>()
const observedRoots = new WeakSet<Node>()
let observer: MutationObserver | undefined

const refreshAll = (): void => { for (const controller of controllers) controller.refresh() }

/** Adds an element's English words (each element module brings its own). */
export function addEnglish (messages: Partial<PasskeyMessages>): void {
  Object.assign(en, messages)
}

/**
 * Overrides the elements' words for a language on this page (merged with earlier calls; elements already on
 * the page update). `lang` is a BCP 47 tag: `de` applies to `de-CH` too; a language the package does not ship
 * (`sv`) is added this way, English filling the keys it leaves out.
 *
 * ```js
 * setPasskeyMessages('en', { signInLabel: 'Use your passkey' })
 * ```
 */
export function setPasskeyMessages (lang: string, messages: Partial<PasskeyMessages>): void {
  const range = lang.trim().toLowerCase()
  pageMessages.set(range, { ...pageMessages.get(range), ...messages })
  refreshAll()
}

async function load (language: PasskeyLanguage): Promise<void> {
  if (language === 'en') return
  let pending = loading.get(language)
  if (pending == null) {
    pending = loaders[language]().then(module => {
      catalogues.set(language, module.default)
      refreshAll()
    }, () => {
      // Unreachable chunk (offline, blocked): the element keeps speaking English.
    })
    loading.set(language, pending)
  }
  await pending
}

/** The nearest `lang` attribute, crossing shadow roots; '' when there is none. */
function nearestLang (element: Element): string {
  for (let node: Node | null = element; node != null; node = node.parentNode ?? (node as ShadowRoot).host ?? null) {
    if (node instanceof Element && node.hasAttribute('lang')) return node.getAttribute('lang') ?? ''
  }
  return ''
}

/** Watches `lang` in the element's document and every shadow root around it. */
function watch (element: Element): void {
  observer ??= new MutationObserver(refreshAll)
  for (let root = element.getRootNode(); ; root = (root as ShadowRoot).host.getRootNode()) {
    if (!observedRoots.has(root)) {
      observedRoots.add(root)
      observer.observe(root, { attributes: true, attributeFilter: ['lang'], subtree: true })
    }
    if (!(root instanceof ShadowRoot)) return
  }
}

export interface LanguageHost extends ReactiveControllerHost, HTMLElement {
  /** The element's own overrides (its `messages` property). */
  messages?: Partial<PasskeyMessages> | undefined
}

/** An element's words: `t(key)` in its language, re-rendering it when the language or the words change. */
export class LanguageController implements ReactiveController {
  readonly #host: LanguageHost
  #tag = ''
  #ranges: string[] = []
  #language: PasskeyLanguage | undefined
  #ready: Promise<void> = Promise.resolve()

  constructor (host: LanguageHost) {
    this.#host = host
    host.addController(this)
  }

  hostConnected (): void {
    controllers.add(this)
    watch(this.#host)
    this.refresh()
  }

  hostDisconnected (): void {
    controllers.delete(this)
  }

  /** Re-reads the nearest `lang`, loads its words if needed, and re-renders. */
  refresh (): void {
    this.#tag = nearestLang(this.#host)
    this.#ranges = languageRanges(this.#tag)
    this.#language = resolvePasskeyLanguage(this.#tag)
    if (this.#language != null && !catalogues.has(this.#language)) this.#ready = load(this.#language)
    this.#host.requestUpdate()
  }

  /** Settles when the element's language has loaded (or failed to), or after a short wait. */
  get ready (): Promise<void> {
    return Promise.race([this.#ready, new Promise<void>(resolve => { setTimeout(resolve, FIRST_RENDER_WAIT_MS) })])
  }

  /** The language of the words `t()` gives: the element's `lang` once its words are there, else `en`. */
  get lang (): string {
    const translated = (this.#language != null && catalogues.has(this.#language)) || this.#ranges.some(range => pageMessages.has(range))
    return translated ? this.#tag : 'en'
  }

  /**
   * The words for `key`: the element's `messages`, then the page's for its language, then the shipped
   * language; else English (with the page's English overrides).
   */
  t (key: PasskeyMessageKey): string {
    const own = this.#host.messages?.[key]
    if (own != null) return own
    for (const range of this.#ranges) {
      const text = pageMessages.get(range)?.[key]
      if (text != null) return text
    }
    return (this.#language == null ? undefined : catalogues.get(this.#language)?.[key]) ?? pageMessages.get('en')?.[key] ?? en[key]
  }
}
