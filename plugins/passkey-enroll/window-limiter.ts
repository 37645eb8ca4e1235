// Per-user limit on enrollment tokens: each one is an Authsignal action, so minting is not free (checklist E1, E3).

/** A fixed-window counter per key, in memory (per process; a shared store is the multi-instance answer). */
export class WindowLimiter {
  readonly #hits = new Map<string, { count: number, resetAt: number }>()
  constructor (readonly max: number, readonly windowMs: number) {}

  /** Counts one hit; answers the seconds to wait when over the limit, else 0. */
  hit (key: string, now = Date.now()): number {
    if (this.#hits.size > 10_000) for (const [k, v] of this.#hits) if (v.resetAt <= now) this.#hits.delete(k)
    const entry = this.#hits.get(key)
    if (entry == null || entry.resetAt <= now) {
      this.#hits.set(key, { count: 1, resetAt: now + this.windowMs })
      return 0
    }
    entry.count++
    return entry.count > this.max ? Math.ceil((entry.resetAt - now) / 1000) : 0
  }
}
