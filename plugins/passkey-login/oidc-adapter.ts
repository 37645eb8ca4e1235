// oidc-provider's adapter (its storage contract: upsert/find/findByUid/findByUserCode/consume/destroy/
// revokeByGrantId, a TTL per model) on the plugins' store backend: Redis for several instances and
// restarts, or bounded memory for one process. oidc-provider's own development adapter is one LRU of about
// 1,000 entries shared by every model, so a flood of anonymous authorization requests pushes out every
// session; here each model is a kind of its own with its own bound, and a full kind refuses new entries
// (a 503) instead of evicting live ones. Every operation touches one key (Redis Cluster safe); the grant
// index is a set, so revoking a grant finds every token of it whichever instance issued it.
import { createStoreBackend, MemoryBackend, type StoreBackend, type StoreOptions } from 'fastify-passkey-core'
import type { Adapter, AdapterPayload } from 'oidc-provider'

const GRANTABLE = new Set(['AccessToken', 'AuthorizationCode', 'RefreshToken', 'DeviceCode', 'BackchannelAuthenticationRequest', 'PreAuthorizedCode'])
const CONSUMABLE = new Set(['AuthorizationCode', 'RefreshToken', 'DeviceCode', 'BackchannelAuthenticationRequest', 'PreAuthorizedCode'])
/** Models stored without an expiry (e.g. dynamically registered clients) are kept this long. */
const NO_EXPIRY_SECONDS = 10 * 365 * 86400
/** How long a consumption mark outlives anything consumable (refresh tokens live up to 14 days by default). */
const CONSUMED_SECONDS = 30 * 86400

export interface OidcAdapterOptions extends StoreOptions {
  /** A backend of your own (it wins over `redis`). */
  backend?: StoreBackend
  /** Memory only: most live entries per model, e.g. `{ Interaction: 20000 }`. @default 100000 each */
  maxEntries?: Record<string, number>
  /** oidc-provider's clock tolerance, added to every TTL. @default 0 */
  clockToleranceSeconds?: number
}

/** An adapter factory for oidc-provider's `adapter` setting, and `close()` for what it opened. */
export interface OidcAdapterFactory {
  (model: string): Adapter
  backend: StoreBackend
  close (): Promise<void>
}

class StoreAdapter implements Adapter {
  readonly #model: string
  readonly #store: StoreBackend
  readonly #tolerance: number

  constructor (model: string, store: StoreBackend, toleranceSeconds: number) {
    this.#model = model
    this.#store = store
    this.#tolerance = toleranceSeconds
  }

  get #kind (): string { return `oidc:${this.#model}` }

  async upsert (id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    const ttl = typeof expiresIn === 'number' && expiresIn > 0 ? expiresIn + this.#tolerance : NO_EXPIRY_SECONDS
    // Only a session's previous value matters here (its uid, below): no read for any other model.
    const stored = this.#model === 'Session' ? await this.#store.get(this.#kind, id) : undefined
    await this.#store.set(this.#kind, id, JSON.stringify(payload), ttl)
    if (this.#model === 'Session' && typeof payload.uid === 'string') await this.#store.set('oidc:sessionUid', payload.uid, id, ttl)
    if (typeof payload.userCode === 'string') await this.#store.set('oidc:userCode', payload.userCode, id, ttl)
    if (GRANTABLE.has(this.#model) && typeof payload.grantId === 'string') {
      await this.#store.addToSet('oidc:grant', payload.grantId, `${this.#model}:${id}`, ttl)
    }
    // A session's uid can change (oidc-provider resets it at sign-in): the old index must not find it.
    if (stored != null && this.#model === 'Session') {
      const previous = JSON.parse(stored) as AdapterPayload
      if (typeof previous.uid === 'string' && previous.uid !== payload.uid) await this.#store.delete('oidc:sessionUid', previous.uid)
    }
  }

  async find (id: string): Promise<AdapterPayload | undefined> {
    if (typeof id !== 'string' || id === '') return undefined
    const stored = await this.#store.get(this.#kind, id)
    if (stored == null) return undefined
    const payload = JSON.parse(stored) as AdapterPayload
    if (CONSUMABLE.has(this.#model)) {
      const consumed = await this.#store.get(`oidc:consumed:${this.#model}`, id)
      if (consumed != null) payload.consumed = Number(consumed)
    }
    return payload
  }

  async findByUid (uid: string): Promise<AdapterPayload | undefined> {
    const id = await this.#store.get('oidc:sessionUid', uid)
    return id == null ? undefined : await this.find(id)
  }

  async findByUserCode (userCode: string): Promise<AdapterPayload | undefined> {
    const id = await this.#store.get('oidc:userCode', userCode)
    return id == null ? undefined : await this.find(id)
  }

  /** Marks it consumed; a second redemption finds the mark (oidc-provider then revokes the grant). */
  async consume (id: string): Promise<void> {
    await this.#store.setIfAbsent(`oidc:consumed:${this.#model}`, id, String(Math.floor(Date.now() / 1000)), CONSUMED_SECONDS)
  }

  async destroy (id: string): Promise<void> {
    await this.#store.delete(this.#kind, id)
  }

  async revokeByGrantId (grantId: string): Promise<void> {
    for (const member of await this.#store.members('oidc:grant', grantId)) {
      const colon = member.indexOf(':')
      await this.#store.delete(`oidc:${member.slice(0, colon)}`, member.slice(colon + 1))
    }
    await this.#store.delete('oidc:grant', grantId)
  }
}

/**
 * The adapter for oidc-provider: `new Provider(issuer, { adapter: createOidcAdapter({ redis }) })`.
 * Without `redis` (or `backend`), a bounded memory backend of its own.
 */
export function createOidcAdapter (options: OidcAdapterOptions = {}): OidcAdapterFactory {
  const backend = options.backend ??
    (options.redis != null ? createStoreBackend(options) : new MemoryBackend({ maxEntries: { default: 100_000, ...prefixed(options.maxEntries) } }))
  const tolerance = options.clockToleranceSeconds ?? 0
  return Object.assign((model: string) => new StoreAdapter(model, backend, tolerance), {
    backend,
    close: async () => { if (options.backend == null) await backend.close() }
  })
}

const prefixed = (bounds: Record<string, number> = {}): Record<string, number> =>
  Object.fromEntries(Object.entries(bounds).map(([model, max]) => [`oidc:${model}`, max]))
