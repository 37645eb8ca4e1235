// What the IdP remembers between `track` (password accepted, MFA needed) and the browser's return from
// Authsignal's hosted page: who typed the password and which tracked action the returning token must
// belong to. oidc-provider's Interaction model persists only its known fields, so this lives in a
// store of its own, keyed by the interaction uid (which the path-scoped interaction cookie binds to
// the browser) and expiring with the interaction.
import { MemoryBackend, type MemoryBackendOptions, type StoreBackend } from 'fastify-passkey-core'

export interface PendingMfa {
  /** Account whose password was verified. */
  accountId: string
  /** Idempotency key the IdP generated and passed to `track`; the returning token must carry it. */
  idempotencyKey: string
  /** Rejected MFA returns so far. */
  failures: number
  /** The user had no authenticator and was sent to enroll one (not to pass a challenge). */
  enroll?: boolean
}

export interface PendingMfaStore {
  get (uid: string): Promise<PendingMfa | undefined>
  set (uid: string, value: PendingMfa, ttlSeconds: number): Promise<void>
  delete (uid: string): Promise<void>
}

export const PENDING_MFA_KIND = 'pending-mfa'

/** The pending-MFA store on a backend (memory or Redis); values are JSON, read back field by field. */
export function pendingMfaStore (backend: StoreBackend): PendingMfaStore {
  return {
    async get (uid) {
      const raw = await backend.get(PENDING_MFA_KIND, uid)
      if (raw == null) return undefined
      const parsed = JSON.parse(raw) as Partial<PendingMfa>
      if (typeof parsed.accountId !== 'string' || typeof parsed.idempotencyKey !== 'string' || typeof parsed.failures !== 'number') return undefined
      return { accountId: parsed.accountId, idempotencyKey: parsed.idempotencyKey, failures: parsed.failures, ...(parsed.enroll === true ? { enroll: true } : {}) }
    },
    async set (uid, value, ttlSeconds) {
      await backend.set(PENDING_MFA_KIND, uid, JSON.stringify({ accountId: value.accountId, idempotencyKey: value.idempotencyKey, failures: value.failures, enroll: value.enroll === true }), ttlSeconds)
    },
    async delete (uid) {
      await backend.delete(PENDING_MFA_KIND, uid)
    }
  }
}

/** Process-local store with expiry and a bound (see MemoryBackend): one instance only. */
export class MemoryPendingMfaStore implements PendingMfaStore {
  readonly #backend: MemoryBackend
  readonly #store: PendingMfaStore

  constructor (options: MemoryBackendOptions = {}) {
    this.#backend = new MemoryBackend(options)
    this.#store = pendingMfaStore(this.#backend)
  }

  async get (uid: string): Promise<PendingMfa | undefined> { return await this.#store.get(uid) }
  async set (uid: string, value: PendingMfa, ttlSeconds: number): Promise<void> { await this.#store.set(uid, value, ttlSeconds) }
  async delete (uid: string): Promise<void> { await this.#store.delete(uid) }

  get size (): number {
    return this.#backend.size(PENDING_MFA_KIND)
  }
}
