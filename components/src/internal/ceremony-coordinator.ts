// One coordinator per page: WebAuthn allows one ceremony at a time, and a pending passkey autofill
// (conditional mediation) would otherwise swallow or abort the button's or enrollment's ceremony.
//  - autofill is aborted, and its end awaited, before a modal ceremony starts (`acquire()`);
//  - it is re-armed when that ceremony fails or is cancelled, and after its own failures (with backoff);
//  - it is re-armed before its challenge goes stale (browsers ignore `timeout` for conditional requests,
//    so an offer can stand for minutes while the server keeps its challenge for a limited time); a
//    refresh due while the user is at the username field, where they may be choosing, waits a little.
// A modal ceremony starts as soon as autofill's attempt has ended: the elements hand the options autofill
// held to the modal prompt (internal/options-slot.ts), so nothing is fetched between the click and the prompt.
// Pure logic (timers and promises only), so it is tested without a browser.

export interface AutofillRegistration<R> {
  /** Runs one autofill attempt to its end; never rejects. */
  attempt (): Promise<R>
  /** Aborts the attempt in progress (the SDK's WebAuthn abort). */
  abort (): void
  /** Handles the result of an attempt the coordinator did not abort; answers whether to arm again. */
  settle (result: R): boolean | Promise<boolean>
  /** Whether the attempt succeeded (resets the failure backoff). */
  succeeded (result: R): boolean
  /** While true, a due refresh waits (e.g. the username field has focus). */
  busy? (): boolean
  /**
   * Re-arm after this long, in ms, so the challenge never goes stale: a number, or a function read each time
   * autofill is armed, just after `attempt()` started (e.g. the remaining life of the options it took).
   */
  refreshMs: number | (() => number)
}

export interface CeremonyLease {
  /** Ends the modal ceremony; `rearm: false` keeps autofill down (e.g. the page is submitting). */
  release (options?: { rearm?: boolean }): void
}

export interface CoordinatorOptions {
  /** Consecutive failed autofill attempts after which autofill stays down until a modal ceremony ends. */
  maxFailures?: number
  /** First re-arm delay after a failure, doubled each time. */
  backoffMs?: number
  /** How often a stuck abort is repeated while waiting for the autofill attempt to end. */
  abortPollMs?: number
  /** Give up waiting for an aborted attempt after this long; the next ceremony's own abort takes over. */
  abortWaitMs?: number
  /** How long a due refresh waits while `busy()`, before checking again. */
  busyRetryMs?: number
  /** How many times a due refresh waits for `busy()`; then it happens anyway (the challenge must not go stale). */
  maxBusyDeferrals?: number
}

type Registration = AutofillRegistration<unknown>
interface Attempt { registration: Registration, aborted: boolean, done: Promise<void> }

export class CeremonyCoordinator {
  readonly #options: Required<CoordinatorOptions>
  #autofill: Registration | undefined
  #attempt: Attempt | undefined
  #stopping: Promise<void> | undefined
  #queue: Promise<void> = Promise.resolve()
  #modal = 0
  #suspended = false
  #failures = 0
  #deferrals = 0
  #refreshTimer: ReturnType<typeof setTimeout> | undefined
  #retryTimer: ReturnType<typeof setTimeout> | undefined

  constructor (options: CoordinatorOptions = {}) {
    this.#options = {
      maxFailures: options.maxFailures ?? 5,
      backoffMs: options.backoffMs ?? 500,
      abortPollMs: options.abortPollMs ?? 100,
      abortWaitMs: options.abortWaitMs ?? 5000,
      busyRetryMs: options.busyRetryMs ?? 5000,
      maxBusyDeferrals: options.maxBusyDeferrals ?? 2
    }
  }

  /** True while an autofill attempt is running. */
  get autofillArmed (): boolean {
    return this.#attempt != null && !this.#attempt.aborted
  }

  /** True while a modal ceremony holds the lease. */
  get modalActive (): boolean {
    return this.#modal > 0
  }

  /**
   * Registers the page's autofill and arms it (one per page: conditional mediation serves one request;
   * a second registration replaces the first). Returns the unregister function.
   */
  registerAutofill<R> (registration: AutofillRegistration<R>): () => Promise<void> {
    const previous = this.#autofill
    const own = registration as Registration
    this.#autofill = own
    this.#failures = 0
    this.#suspended = false
    void (async () => {
      if (previous != null) await this.#stopAutofill()
      this.#arm()
    })()
    return async () => {
      if (this.#autofill !== own) return
      await this.#stopAutofill()
      if (this.#autofill === own) this.#autofill = undefined
    }
  }

  /**
   * Takes the page's ceremony lease for a modal ceremony: waits for any other modal ceremony, then aborts
   * autofill and waits for its attempt to end. Release it when the ceremony is over.
   */
  async acquire (): Promise<CeremonyLease> {
    const previous = this.#queue
    let unlock!: () => void
    this.#queue = new Promise<void>(resolve => { unlock = resolve })
    await previous
    this.#modal++
    await this.#stopAutofill()
    let released = false
    return {
      release: ({ rearm = true } = {}) => {
        if (released) return
        released = true
        this.#modal--
        unlock()
        if (!rearm) {
          this.#suspended = true
          return
        }
        this.#suspended = false
        this.#failures = 0
        this.#arm()
      }
    }
  }

  #arm (): void {
    const registration = this.#autofill
    if (registration == null || this.#modal > 0 || this.#suspended || this.#attempt != null || this.#stopping != null) return
    this.#clearTimers()
    const attempt: Attempt = { registration, aborted: false, done: Promise.resolve() }
    this.#attempt = attempt
    attempt.done = (async () => {
      const result = await registration.attempt()
      if (attempt.aborted || this.#autofill !== registration) return
      this.#clearTimers()
      this.#attempt = undefined
      this.#failures = registration.succeeded(result) ? 0 : this.#failures + 1
      let again = false
      try {
        again = await registration.settle(result)
      } catch {
        again = false
      }
      if (!again) {
        this.#suspended = true
        return
      }
      if (this.#failures >= this.#options.maxFailures) return
      const delay = this.#failures === 0 ? 0 : this.#options.backoffMs * 2 ** (this.#failures - 1)
      this.#retryTimer = setTimeout(() => { this.#retryTimer = undefined; this.#arm() }, delay)
    })().finally(() => {
      if (this.#attempt === attempt) this.#attempt = undefined
    })
    this.#deferrals = 0
    const refreshMs = typeof registration.refreshMs === 'function' ? registration.refreshMs() : registration.refreshMs
    this.#refreshTimer = setTimeout(() => { void this.#refresh() }, refreshMs)
  }

  async #refresh (): Promise<void> {
    this.#refreshTimer = undefined
    const registration = this.#autofill
    if (registration == null || this.#attempt == null) return
    if (registration.busy?.() === true && this.#deferrals < this.#options.maxBusyDeferrals) {
      this.#deferrals++
      this.#refreshTimer = setTimeout(() => { void this.#refresh() }, this.#options.busyRetryMs)
      return
    }
    await this.#stopAutofill()
    this.#arm()
  }

  /** Aborts the running attempt and waits for it to end (shared by concurrent callers). */
  async #stopAutofill (): Promise<void> {
    this.#clearTimers()
    if (this.#stopping != null) return await this.#stopping
    const attempt = this.#attempt
    if (attempt == null) return
    const { registration } = attempt
    attempt.aborted = true
    this.#stopping = (async () => {
      // An attempt still fetching its challenge has no WebAuthn call to abort yet: repeat until it ends.
      const deadline = Date.now() + this.#options.abortWaitMs
      let ended = false
      void attempt.done.then(() => { ended = true })
      while (!ended && Date.now() < deadline) {
        registration.abort()
        await Promise.race([attempt.done, delay(this.#options.abortPollMs)])
      }
    })()
    try {
      await this.#stopping
    } finally {
      this.#stopping = undefined
      if (this.#attempt === attempt) this.#attempt = undefined
    }
  }

  #clearTimers (): void {
    if (this.#refreshTimer != null) clearTimeout(this.#refreshTimer)
    if (this.#retryTimer != null) clearTimeout(this.#retryTimer)
    this.#refreshTimer = undefined
    this.#retryTimer = undefined
  }
}

const delay = async (ms: number): Promise<void> => await new Promise(resolve => { setTimeout(resolve, ms) })

/** The page's coordinator, shared by every element on the page (they share this module's chunk). */
export const pageCoordinator = new CeremonyCoordinator()
