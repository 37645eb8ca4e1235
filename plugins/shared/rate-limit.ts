// One rate limiter for both plugins, built on @fastify/rate-limit (docs/security.md, E1): a per-address
// limit on every route of the plugin's scope, and keyed limits (per username, per user) checked where the
// key is known. Refusals are FST_PASSKEY_TOO_MANY_REQUESTS errors carrying the seconds to wait; the
// plugins' error handlers answer 429 with `Retry-After`. Counters live in the plugin's store backend
// (memory or Redis), one bounded kind per limit: @fastify/rate-limit's own memory store is an LRU of 5,000
// keys, which junk usernames would evict a locked username's counter from.
import rateLimit, { type FastifyRateLimitStore, type FastifyRateLimitStoreCtor } from '@fastify/rate-limit'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { FST_PASSKEY_TOO_MANY_REQUESTS, type PasskeyError } from './errors.js'
import type { StoreBackend } from './store-backend.js'

export interface Limit { max: number, timeWindowMs: number }

/** Checks and counts one request against a keyed limit; throws a 429 error when over it. */
export type KeyedLimiter = (request: FastifyRequest, key: string) => Promise<void>

export interface TooManyRequestsError extends PasskeyError { retryAfterSeconds: number }

export function tooManyRequests (retryAfterSeconds: number): TooManyRequestsError {
  const error = new FST_PASSKEY_TOO_MANY_REQUESTS() as TooManyRequestsError
  error.retryAfterSeconds = Math.max(1, Math.ceil(retryAfterSeconds))
  return error
}

interface LimitResult { isAllowed?: boolean, isExceeded?: boolean, ttlInSeconds?: number }
type CreateRateLimit = (options: object) => (request: FastifyRequest) => Promise<LimitResult>

type StoreCallback = (error: Error | null, result?: { current: number, ttl: number }) => void

/**
 * @fastify/rate-limit's store interface over a backend. Keys read `<namespace>:<limit>:<key>`; each
 * `<namespace>:<limit>` is a kind of its own, so one limit filling up never touches another's counters.
 */
export function rateLimitStore (backend: StoreBackend): FastifyRateLimitStoreCtor {
  return class PasskeyRateLimitStore implements FastifyRateLimitStore {
    incr (key: string, callback: StoreCallback, timeWindow: number): void {
      const kind = `rate:${key.split(':', 2).join(':')}`
      backend.increment(kind, key, timeWindow).then(
        ({ current, ttlMs }) => { callback(null, { current, ttl: ttlMs }) },
        (error: Error) => { callback(error) })
    }

    child (): FastifyRateLimitStore {
      return this
    }
  }
}

/**
 * Registers the per-address limit on `scope` and answers a factory of keyed limits sharing its store.
 * `namespace` keeps the keys of one plugin apart from another's.
 */
export async function registerRateLimits (scope: FastifyInstance, perAddress: Limit, namespace: string, backend: StoreBackend): Promise<(name: string, limit: Limit) => KeyedLimiter> {
  await scope.register(rateLimit, {
    store: rateLimitStore(backend),
    // A store failure is a 503 in words (fail closed), never a request let through.
    skipOnError: false,
    global: true,
    max: perAddress.max,
    timeWindow: perAddress.timeWindowMs,
    keyGenerator: (request: FastifyRequest) => `${namespace}:ip:${request.ip}`,
    errorResponseBuilder: (_request: FastifyRequest, context: { ttl: number }) => tooManyRequests(context.ttl / 1000)
  })
  const create = (scope as unknown as { createRateLimit: CreateRateLimit }).createRateLimit
  return (name, limit) => {
    // createRateLimit reads the key through keyGenerator(request): the key is handed over per request.
    const keys = new WeakMap<FastifyRequest, string>()
    const check = create({
      max: limit.max,
      timeWindow: limit.timeWindowMs,
      keyGenerator: (request: FastifyRequest) => keys.get(request) ?? ''
    })
    return async (request, key) => {
      keys.set(request, `${namespace}:${name}:${key}`)
      const result = await check(request)
      if (result.isAllowed !== true && result.isExceeded === true) throw tooManyRequests(result.ttlInSeconds ?? 1)
    }
  }
}
