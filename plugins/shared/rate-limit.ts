// One rate limiter for both plugins, built on @fastify/rate-limit (docs/security.md, E1): a per-address
// limit on every route of the plugin's scope, and keyed limits (per username, per user) checked where the
// key is known. Refusals are FST_PASSKEY_TOO_MANY_REQUESTS errors carrying the seconds to wait; the
// plugins' error handlers answer 429 with `Retry-After`.
import rateLimit from '@fastify/rate-limit'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { FST_PASSKEY_TOO_MANY_REQUESTS, type PasskeyError } from './errors.js'

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

/**
 * Registers the per-address limit on `scope` and answers a factory of keyed limits sharing its store.
 * `namespace` keeps the keys of one plugin apart from another's.
 */
export async function registerRateLimits (scope: FastifyInstance, perAddress: Limit, namespace: string): Promise<(name: string, limit: Limit) => KeyedLimiter> {
  await scope.register(rateLimit, {
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
