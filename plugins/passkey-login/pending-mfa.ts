// What the IdP remembers between `track` (password accepted, MFA needed) and the browser's return from
// Authsignal's hosted page: who typed the password and which tracked action the returning token must
// belong to. oidc-provider's Interaction model persists only its known fields, so this lives in a
// store of its own, keyed by the interaction uid (which the path-scoped interaction cookie binds to
// the browser) and expiring with the interaction.

export interface PendingMfa {
  /** Account whose password was verified. */
  accountId: string
  /** Idempotency key the IdP generated and passed to `track`; the returning token must carry it. */
  idempotencyKey: string
  /** Rejected MFA returns so far. */
  failures: number
}

export interface PendingMfaStore {
  get (uid: string): Promise<PendingMfa | undefined>
  set (uid: string, value: PendingMfa, ttlSeconds: number): Promise<void>
  delete (uid: string): Promise<void>
}

/** Process-local store with expiry; expired entries are swept lazily, at most once a minute. */
export class MemoryPendingMfaStore implements PendingMfaStore {
  readonly #entries = new Map<string, { value: PendingMfa, expiresAt: number }>()
  readonly #now: () => number
  #nextSweep = 0

  constructor (options: { now?: () => number } = {}) {
    this.#now = options.now ?? Date.now
  }

  async get (uid: string): Promise<PendingMfa | undefined> {
    const entry = this.#entries.get(uid)
    if (entry == null) return undefined
    if (entry.expiresAt <= this.#now()) {
      this.#entries.delete(uid)
      return undefined
    }
    return { ...entry.value }
  }

  async set (uid: string, value: PendingMfa, ttlSeconds: number): Promise<void> {
    const now = this.#now()
    this.#sweep(now)
    this.#entries.set(uid, { value: { ...value }, expiresAt: now + ttlSeconds * 1000 })
  }

  async delete (uid: string): Promise<void> {
    this.#entries.delete(uid)
  }

  get size (): number {
    return this.#entries.size
  }

  #sweep (now: number): void {
    if (now < this.#nextSweep) return
    this.#nextSweep = now + 60_000
    for (const [uid, entry] of this.#entries) {
      if (entry.expiresAt <= now) this.#entries.delete(uid)
    }
  }
}
