// Where the plugins keep what a sign-in must remember (used tokens, pending MFA, rate-limit counters, revoked
// sessions): one small interface, two implementations.
// - Memory (the embedded default): one map per kind, each with a bound and TTLs. A full kind refuses new
//   keys (a 503, fail closed) after sweeping what has expired; it never evicts a live entry to make room,
//   so anonymous work cannot push out a locked username's counter or another kind's state.
// - Redis 7 / Valkey (`REDIS_URL`, or the plugins' `redis` option): every operation is one command on one
//   key (Redis Cluster safe), atomic where two instances could race (SET NX, an INCR script), under a
//   deadline; a failure is FST_PASSKEY_UNAVAILABLE (503, the same words as an Authsignal outage).
import { Redis } from 'ioredis'
import { FST_PASSKEY_UNAVAILABLE } from './errors.js'

export interface StoreBackend {
  /** Stores `value` unless the key exists; true when it was stored. Atomic across instances. */
  setIfAbsent (kind: string, key: string, value: string, ttlSeconds: number): Promise<boolean>
  get (kind: string, key: string): Promise<string | undefined>
  set (kind: string, key: string, value: string, ttlSeconds: number): Promise<void>
  delete (kind: string, key: string): Promise<void>
  /** A fixed-window counter: counts one hit, answers the count and the ms left in the window. Atomic. */
  increment (kind: string, key: string, windowMs: number): Promise<{ current: number, ttlMs: number }>
  /** Adds `member` to a set, which then lives at least `ttlSeconds` more. Atomic. */
  addToSet (kind: string, key: string, member: string, ttlSeconds: number): Promise<void>
  members (kind: string, key: string): Promise<string[]>
  /** Stops what the backend owns (a connection it opened). */
  close (): Promise<void>
}

/** What a store failure throws: a 503 in the words of an outage. */
export const storeUnavailable = (): Error => new FST_PASSKEY_UNAVAILABLE('The session store')

// ---- memory ----

export interface MemoryBackendOptions {
  /** Most live entries per kind. @default 100000 (rate-limit kinds and others alike) */
  maxEntries?: number | Record<string, number>
  /** Clock, for tests. */
  now?: () => number
}

interface Entry { value: string, expiresAt: number, count?: number, members?: Set<string> }

export class MemoryBackend implements StoreBackend {
  readonly #kinds = new Map<string, Map<string, Entry>>()
  readonly #now: () => number
  readonly #max: (kind: string) => number
  readonly #nextSweep = new Map<string, number>()

  constructor (options: MemoryBackendOptions = {}) {
    this.#now = options.now ?? Date.now
    const max = options.maxEntries ?? 100_000
    this.#max = typeof max === 'number' ? () => max : kind => max[kind] ?? max['default'] ?? 100_000
  }

  /** Live entries of a kind (expired ones are swept first). */
  size (kind: string): number {
    const now = this.#now()
    const map = this.#map(kind)
    for (const [key, entry] of map) if (entry.expiresAt <= now) map.delete(key)
    return map.size
  }

  #map (kind: string): Map<string, Entry> {
    let map = this.#kinds.get(kind)
    if (map == null) {
      map = new Map()
      this.#kinds.set(kind, map)
    }
    return map
  }

  #live (kind: string, key: string, now: number): Entry | undefined {
    const map = this.#map(kind)
    const entry = map.get(key)
    if (entry == null) return undefined
    if (entry.expiresAt > now) return entry
    map.delete(key)
    return undefined
  }

  /** Room for a new key: expired entries are swept (at most once a second when full); live ones stay. */
  #admit (kind: string, now: number): void {
    const map = this.#map(kind)
    if (map.size < this.#max(kind)) return
    if ((this.#nextSweep.get(kind) ?? 0) <= now) {
      this.#nextSweep.set(kind, now + 1000)
      for (const [key, entry] of map) if (entry.expiresAt <= now) map.delete(key)
    }
    if (map.size >= this.#max(kind)) throw storeUnavailable()
  }

  async setIfAbsent (kind: string, key: string, value: string, ttlSeconds: number): Promise<boolean> {
    const now = this.#now()
    if (this.#live(kind, key, now) != null) return false
    this.#admit(kind, now)
    this.#map(kind).set(key, { value, expiresAt: now + ttlSeconds * 1000 })
    return true
  }

  async get (kind: string, key: string): Promise<string | undefined> {
    return this.#live(kind, key, this.#now())?.value
  }

  async set (kind: string, key: string, value: string, ttlSeconds: number): Promise<void> {
    const now = this.#now()
    if (this.#live(kind, key, now) == null) this.#admit(kind, now)
    this.#map(kind).set(key, { value, expiresAt: now + ttlSeconds * 1000 })
  }

  async delete (kind: string, key: string): Promise<void> {
    this.#map(kind).delete(key)
  }

  async increment (kind: string, key: string, windowMs: number): Promise<{ current: number, ttlMs: number }> {
    const now = this.#now()
    const entry = this.#live(kind, key, now)
    if (entry != null) {
      entry.count = (entry.count ?? 0) + 1
      return { current: entry.count, ttlMs: entry.expiresAt - now }
    }
    this.#admit(kind, now)
    this.#map(kind).set(key, { value: '', count: 1, expiresAt: now + windowMs })
    return { current: 1, ttlMs: windowMs }
  }

  async addToSet (kind: string, key: string, member: string, ttlSeconds: number): Promise<void> {
    const now = this.#now()
    const expiresAt = now + ttlSeconds * 1000
    const entry = this.#live(kind, key, now)
    if (entry != null) {
      entry.members?.add(member)
      entry.expiresAt = Math.max(entry.expiresAt, expiresAt)
      return
    }
    this.#admit(kind, now)
    this.#map(kind).set(key, { value: '', members: new Set([member]), expiresAt })
  }

  async members (kind: string, key: string): Promise<string[]> {
    return [...this.#live(kind, key, this.#now())?.members ?? []]
  }

  async close (): Promise<void> {
    this.#kinds.clear()
  }
}

// ---- Redis ----

export interface RedisBackendOptions {
  /** An ioredis client (yours: not closed by the backend), or a redis:// URL (a client of its own). */
  redis: Redis | string
  /** Prefix of every key. @default 'passkey:' */
  keyPrefix?: string
  /** Deadline of each command, in ms. @default 1000 */
  timeoutMs?: number
  /** Told about connection errors of a client the backend opened (ioredis reconnects by itself). */
  onError?: (error: Error) => void
}

// One key: INCR, start the window on the first hit, answer the count and the ms left (PTTL).
const INCREMENT = `
local current = redis.call('INCR', KEYS[1])
if current == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return { current, ttl }
`

// One key: SADD, and keep the set at least as long as its newest member needs.
const ADD_TO_SET = `
redis.call('SADD', KEYS[1], ARGV[1])
if redis.call('TTL', KEYS[1]) < tonumber(ARGV[2]) then redis.call('EXPIRE', KEYS[1], ARGV[2]) end
return 1
`

/** The connection options the backend uses for a client it opens: fail fast while disconnected, reconnect. */
export const REDIS_CLIENT_OPTIONS = {
  // A command sent while disconnected waits for one reconnection attempt, then fails (and the caller's
  // deadline is shorter still): nothing queues up behind a dead server.
  maxRetriesPerRequest: 1,
  connectTimeout: 2000,
  // Reconnect for ever, backing off to 2 s.
  retryStrategy: (times: number): number => Math.min(times * 100, 2000)
}

export class RedisBackend implements StoreBackend {
  readonly client: Redis
  readonly #prefix: string
  readonly #timeoutMs: number
  readonly #owned: boolean

  constructor (options: RedisBackendOptions) {
    this.#owned = typeof options.redis === 'string'
    this.client = typeof options.redis === 'string'
      ? new Redis(options.redis, { ...REDIS_CLIENT_OPTIONS, commandTimeout: options.timeoutMs ?? 1000 })
      : options.redis
    if (this.#owned) {
      const onError = options.onError ?? (() => {})
      // Without a listener ioredis reports every reconnect attempt as an unhandled 'error' event.
      this.client.on('error', onError)
    }
    this.#prefix = options.keyPrefix ?? 'passkey:'
    this.#timeoutMs = options.timeoutMs ?? 1000
  }

  key (kind: string, key: string): string {
    return `${this.#prefix}${kind}:${key}`
  }

  /** One command under the deadline; any failure is a 503. A late answer is ignored, never unhandled. */
  async #run<T> (command: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined
    const pending = command()
    pending.catch(() => {})
    try {
      return await Promise.race([pending, new Promise<never>((_resolve, reject) => { timer = setTimeout(reject, this.#timeoutMs) })])
    } catch {
      throw storeUnavailable()
    } finally {
      clearTimeout(timer)
    }
  }

  async setIfAbsent (kind: string, key: string, value: string, ttlSeconds: number): Promise<boolean> {
    return await this.#run(async () => await this.client.set(this.key(kind, key), value, 'EX', ttlSeconds, 'NX')) === 'OK'
  }

  async get (kind: string, key: string): Promise<string | undefined> {
    return (await this.#run(async () => await this.client.get(this.key(kind, key)))) ?? undefined
  }

  async set (kind: string, key: string, value: string, ttlSeconds: number): Promise<void> {
    await this.#run(async () => await this.client.set(this.key(kind, key), value, 'EX', ttlSeconds))
  }

  async delete (kind: string, key: string): Promise<void> {
    await this.#run(async () => await this.client.del(this.key(kind, key)))
  }

  async increment (kind: string, key: string, windowMs: number): Promise<{ current: number, ttlMs: number }> {
    const [current, ttlMs] = await this.#run(async () => await this.client.eval(INCREMENT, 1, this.key(kind, key), windowMs) as [number, number])
    return { current, ttlMs }
  }

  async addToSet (kind: string, key: string, member: string, ttlSeconds: number): Promise<void> {
    await this.#run(async () => await this.client.eval(ADD_TO_SET, 1, this.key(kind, key), member, ttlSeconds))
  }

  async members (kind: string, key: string): Promise<string[]> {
    return await this.#run(async () => await this.client.smembers(this.key(kind, key)))
  }

  async close (): Promise<void> {
    if (this.#owned) this.client.disconnect()
  }
}

export interface StoreOptions {
  /** Redis (an ioredis client or a redis:// URL) for every instance to share; absent: memory. */
  redis?: Redis | string | undefined
  /** Prefix of every Redis key. @default 'passkey:' */
  keyPrefix?: string | undefined
  /** Deadline of each Redis command, in ms. @default 1000 */
  timeoutMs?: number | undefined
  onError?: (error: Error) => void
}

/** The backend for these options: Redis when given, else memory. */
export function createStoreBackend (options: StoreOptions = {}): StoreBackend {
  if (options.redis == null) return new MemoryBackend()
  return new RedisBackend({
    redis: options.redis,
    ...(options.keyPrefix != null ? { keyPrefix: options.keyPrefix } : {}),
    ...(options.timeoutMs != null ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.onError != null ? { onError: options.onError } : {})
  })
}
