// Replay defence: an Authsignal token is accepted once. Authsignal does not promise single-use validation,
// so the plugin remembers the idempotency key of every token it accepted for longer than a token lives.
// The in-memory default suits one process; several instances share a store (Redis `SET key 1 NX EX ttl`)
// behind the same interface.

export interface UsedTokenStore {
  /**
   * Marks `key` used for `ttlSeconds`. Resolves true when the key was not marked before (the caller
   * may accept the token), false when it was. Must be atomic across every instance sharing the store.
   */
  markUsed (key: string, ttlSeconds: number): Promise<boolean>
}

/** Process-local store with expiry; expired keys are swept lazily, at most once a minute. */
export class MemoryUsedTokenStore implements UsedTokenStore {
  readonly #expiries = new Map<string, number>()
  readonly #now: () => number
  #nextSweep = 0

  constructor (options: { now?: () => number } = {}) {
    this.#now = options.now ?? Date.now
  }

  async markUsed (key: string, ttlSeconds: number): Promise<boolean> {
    const now = this.#now()
    this.#sweep(now)
    const expiry = this.#expiries.get(key)
    if (expiry != null && expiry > now) return false
    this.#expiries.set(key, now + ttlSeconds * 1000)
    return true
  }

  get size (): number {
    return this.#expiries.size
  }

  #sweep (now: number): void {
    if (now < this.#nextSweep) return
    this.#nextSweep = now + 60_000
    for (const [key, expiry] of this.#expiries) {
      if (expiry <= now) this.#expiries.delete(key)
    }
  }
}
