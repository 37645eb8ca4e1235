// A per-address limit on oidc-provider's authorization endpoint. Every anonymous `GET /auth` creates an
// interaction in the provider's storage; without a limit one address can create thousands a second (the
// bounded adapter then refuses new ones, but honest users' sign-ins would be refused with them). Register
// it before @fastify/middie, like the header policy, so it runs before oidc-provider sees the request.
import type { FastifyPluginAsync } from 'fastify'
import { createStoreBackend, optionChecks, type StoreBackend } from 'fastify-passkey-core'
import fp from 'fastify-plugin'
import type { Redis } from 'ioredis'
import { FST_PASSKEY_LOGIN_INVALID_OPTION } from './errors.js'
import { MESSAGES } from './messages.js'

export interface AuthorizationLimitOptions {
  /** Paths of the authorization endpoint (oidc-provider's `routes.authorization`, with its mount path). @default ['/oidc/auth'] */
  paths?: string[]
  /** Authorization requests per address per window. @default 60 */
  max?: number
  /** @default 60000 */
  timeWindowMs?: number
  /** Where the counters live: a store backend of yours, or Redis (client or URL); default memory. */
  backend?: StoreBackend
  redis?: Redis | string
  keyPrefix?: string
}

const check = optionChecks(FST_PASSKEY_LOGIN_INVALID_OPTION)

/** The path as routers resolve it: case, repeated and trailing slashes do not make another path. */
export const normalizePath = (url: string): string =>
  (url.split('?')[0] ?? '').replace(/\/{2,}/g, '/').replace(/(.)\/$/, '$1').toLowerCase()

const authorizationLimit: FastifyPluginAsync<AuthorizationLimitOptions> = async (fastify, opts) => {
  const given = check.object('options', opts ?? {}, ['paths', 'max', 'timeWindowMs', 'backend', 'redis', 'keyPrefix'])
  const paths = (given['paths'] as string[] | undefined ?? ['/oidc/auth']).map(path => normalizePath(check.path('paths', path, '/', false)))
  const max = check.integer('max', given['max'], 60, 1, 1_000_000)
  const timeWindowMs = check.integer('timeWindowMs', given['timeWindowMs'], 60_000, 1000, 86_400_000)
  const owned = given['backend'] == null
  const backend = (given['backend'] as StoreBackend | undefined) ??
    createStoreBackend({ redis: check.redis('redis', given['redis']) as Redis | string | undefined, keyPrefix: given['keyPrefix'] as string | undefined })
  if (owned) fastify.addHook('onClose', async () => { await backend.close() })

  fastify.addHook('onRequest', async function passkeyAuthorizationLimit (request, reply) {
    if (request.method !== 'GET' && request.method !== 'POST') return
    if (!paths.includes(normalizePath(request.url))) return
    let counted
    try {
      counted = await backend.increment('rate:authorization:ip', request.ip, timeWindowMs)
    } catch {
      // The store down or slow: fail closed, in the words of an outage (the same as Authsignal's).
      return await reply.code(503).header('cache-control', 'no-store').header('retry-after', '5').type('text/plain; charset=utf-8')
        .send(MESSAGES.unavailable)
    }
    const { current, ttlMs } = counted
    if (current <= max) return
    request.log.info({ event: 'authorization-limited', address: request.ip }, 'passkey-login: authorization requests rate limited')
    return await reply.code(429).header('retry-after', String(Math.max(1, Math.ceil(ttlMs / 1000))))
      .header('cache-control', 'no-store').type('text/plain; charset=utf-8')
      .send('Too many sign-in requests from this address. Please wait a minute and try again.')
  })
}

/** Not encapsulated: its hook covers the scope it is registered in (register it before middie). */
export const authorizationRateLimit = fp(authorizationLimit, { name: 'fastify-passkey-login/authorization-limit', fastify: '5.x' })
