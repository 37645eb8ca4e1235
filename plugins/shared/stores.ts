// Replay defence: an Authsignal token is accepted once. Authsignal does not promise single-use validation,
// so the plugin remembers the idempotency key of every token it accepted for longer than a token lives, in
// a store every instance shares (Redis `SET key 1 NX EX ttl`), or in memory for one process.
import { MemoryBackend, type MemoryBackendOptions, type StoreBackend } from './store-backend.js'

export interface UsedTokenStore {
  /**
   * Marks `key` used for `ttlSeconds`. Resolves true when the key was not marked before (the caller
   * may accept the token), false when it was. Must be atomic across every instance sharing the store.
   */
  markUsed (key: string, ttlSeconds: number): Promise<boolean>
}

export const USED_TOKEN_KIND = 'used-token'

/** The used-token store on a backend (memory or Redis). */
export function usedTokenStore (backend: StoreBackend): UsedTokenStore {
  return { markUsed: async (key, ttlSeconds) => await backend.setIfAbsent(USED_TOKEN_KIND, key, '1', ttlSeconds) }
}

/** Process-local store with expiry and a bound (see MemoryBackend): one instance only. */
export class MemoryUsedTokenStore implements UsedTokenStore {
  readonly #backend: MemoryBackend

  constructor (options: MemoryBackendOptions = {}) {
    this.#backend = new MemoryBackend(options)
  }

  async markUsed (key: string, ttlSeconds: number): Promise<boolean> {
    return await this.#backend.setIfAbsent(USED_TOKEN_KIND, key, '1', ttlSeconds)
  }

  get size (): number {
    return this.#backend.size(USED_TOKEN_KIND)
  }
}
