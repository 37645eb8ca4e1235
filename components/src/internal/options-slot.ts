// Options fetched ahead of a passkey prompt (a sign-in's challenge, an enrollment's registration options), so the
// click goes straight to the browser's prompt. One slot holds at most one set of options:
//  - a ceremony `take()`s them: the ones held if still fresh, else the fetch in flight, else a new fetch;
//  - a ceremony that ended without sending them to Authsignal (cancelled, aborted for another) gives them
//    back, so the next one (the button after autofill, autofill after a cancelled prompt) starts with no request;
//  - options sent to Authsignal are used up (a challenge verifies once): the next ceremony gets new ones;
//  - held options are replaced before they go stale (`lifetimeMs` after they were fetched) while the page is
//    visible, and at once when it becomes visible again (timers in hidden pages are throttled).
// Pure logic (timers and promises), tested without a browser.
import type { PasskeyResult } from './error-codes.js'

export interface Prepared<T> {
  value: T
  /** When these options go stale (ms, `Date.now()` clock). */
  expiresAt: number
}

export interface OptionsSlotSettings {
  /** How long fetched options are used for. */
  lifetimeMs: number
  /** Options with less life left than this are not handed out (the prompt and the verification still need it). @default 1000, at most a quarter of the lifetime */
  marginMs?: number
  now?: () => number
  /** Whether the page is hidden (no refresh then). @default document.hidden, false without a document */
  hidden?: () => boolean
}

export class OptionsSlot<T> {
  readonly #fetch: () => Promise<PasskeyResult<T>>
  readonly #settings: Required<Omit<OptionsSlotSettings, 'marginMs'>> & { marginMs?: number }
  #held: Prepared<T> | undefined
  #fetching: Promise<PasskeyResult<Prepared<T>>> | undefined
  #timer: ReturnType<typeof setTimeout> | undefined
  #keepFresh = false
  /** Keys of the seeded options: the same options seeded twice (two elements, one page) are held once. */
  readonly #seeded = new Set<string>()

  constructor (fetch: () => Promise<PasskeyResult<T>>, settings: OptionsSlotSettings) {
    this.#fetch = fetch
    this.#settings = {
      now: Date.now,
      hidden: () => typeof document !== 'undefined' && document.hidden,
      ...settings
    }
  }

  /** How long fetched options are used for; a shorter one applies at once. */
  get lifetimeMs (): number {
    return this.#settings.lifetimeMs
  }

  set lifetimeMs (ms: number) {
    const shorter = ms < this.#settings.lifetimeMs
    this.#settings.lifetimeMs = ms
    if (shorter && this.#held != null) this.#hold({ value: this.#held.value, expiresAt: Math.min(this.#held.expiresAt, this.#settings.now() + ms) })
  }

  /** True while fresh options are held (a ceremony would start without a request). */
  get ready (): boolean {
    return this.#fresh(this.#held)
  }

  /**
   * Options fetched elsewhere (e.g. by the server that rendered the page) at `fetchedAt`, known by `key`;
   * ignored when stale, when other options are held or on their way, and when seeded before.
   */
  seed (value: T, fetchedAt: number, key: string): void {
    if (this.#seeded.has(key)) return
    this.#seeded.add(key)
    const prepared = { value, expiresAt: fetchedAt + this.#settings.lifetimeMs }
    if (this.#held == null && this.#fetching == null && this.#fresh(prepared)) this.#hold(prepared)
  }

  /** The held options if fresh, taken out of the slot (synchronously), else undefined. */
  claim (): Prepared<T> | undefined {
    const held = this.#held
    if (held == null) return undefined
    this.#drop()
    return this.#fresh(held) ? held : undefined
  }

  /**
   * Options for one ceremony: the held ones, else those of the fetch in flight, else a new fetch's. When
   * `signal` aborts, a pending take answers at once: the options it waited for stay in the slot, for the next.
   */
  async take (signal?: AbortSignal): Promise<PasskeyResult<Prepared<T>>> {
    // Another ceremony may claim a fetch's options first; then this one fetches again (twice at most).
    for (let attempt = 0; attempt < 3; attempt++) {
      const held = this.claim()
      if (held != null) return { ok: true, value: held }
      const fetching = this.#fetching ?? this.#refetch()
      const result = signal == null ? await fetching : await Promise.race([fetching, aborted(signal)])
      if (signal?.aborted === true) return { ok: false, code: 'cancelled', reason: 'aborted' }
      if (result == null || !result.ok) return result ?? { ok: false, code: 'cancelled', reason: 'aborted' }
    }
    return { ok: false, code: 'unknown', reason: 'options taken by other ceremonies' }
  }

  /** Options a ceremony did not send to Authsignal: held again, if still fresh and nothing newer is held. */
  giveBack (prepared: Prepared<T>): void {
    if (this.#held == null && this.#fresh(prepared)) this.#hold(prepared)
  }

  /** Fetches options now unless some are held or on their way, and (unless told not to) keeps them fresh from then on. */
  prefetch ({ keepFresh = true } = {}): void {
    if (keepFresh) this.#keepFresh = true
    if (this.#held == null && this.#fetching == null && !this.#settings.hidden()) void this.#refetch()
  }

  /** Called when the page becomes visible: replaces stale held options at once. */
  visible (): void {
    if (this.#fresh(this.#held)) return
    // Stale, or dropped while hidden (the refresh timer fetches nothing then): fetch now.
    this.#drop()
    if (this.#keepFresh) this.prefetch()
  }

  /** Forgets the held options and stops keeping them fresh (the page is leaving, the element is gone). */
  clear (): void {
    this.#keepFresh = false
    this.#drop()
  }

  get #margin (): number {
    return this.#settings.marginMs ?? Math.min(1000, this.#settings.lifetimeMs / 4)
  }

  #fresh (prepared: Prepared<T> | undefined): prepared is Prepared<T> {
    return prepared != null && prepared.expiresAt - this.#settings.now() > this.#margin
  }

  /** Fetches options and holds them; waiting takes resume once they are held, in the order they waited. */
  #refetch (): Promise<PasskeyResult<Prepared<T>>> {
    let fetching!: Promise<PasskeyResult<Prepared<T>>>
    fetching = (async () => {
      let result: PasskeyResult<T>
      try {
        result = await this.#fetch()
      } finally {
        if (this.#fetching === fetching) this.#fetching = undefined
      }
      if (!result.ok) return result
      const prepared = { value: result.value, expiresAt: this.#settings.now() + this.#settings.lifetimeMs }
      this.#hold(prepared)
      return { ok: true, value: prepared }
    })()
    this.#fetching = fetching
    return fetching
  }

  #hold (prepared: Prepared<T>): void {
    this.#drop()
    this.#held = prepared
    const delay = Math.max(0, prepared.expiresAt - this.#margin - this.#settings.now())
    this.#timer = setTimeout(() => {
      this.#timer = undefined
      if (this.#held !== prepared) return
      this.#drop()
      if (this.#keepFresh && !this.#settings.hidden()) void this.#refetch()
    }, delay)
  }

  #drop (): void {
    this.#held = undefined
    if (this.#timer != null) clearTimeout(this.#timer)
    this.#timer = undefined
  }
}

async function aborted (signal: AbortSignal): Promise<undefined> {
  await new Promise<void>(resolve => {
    if (signal.aborted) resolve()
    else signal.addEventListener('abort', () => { resolve() }, { once: true })
  })
  return undefined
}

const visibleSlots = new Set<OptionsSlot<unknown>>()
let listening = false

/** Refreshes the slot's stale options when the page becomes visible again; returns the function that stops it. */
export function whenVisible (slot: OptionsSlot<any>): () => void {
  if (!listening && typeof document !== 'undefined') {
    listening = true
    document.addEventListener('visibilitychange', () => {
      if (!document.hidden) for (const each of visibleSlots) each.visible()
    })
  }
  visibleSlots.add(slot)
  return () => { visibleSlots.delete(slot) }
}
