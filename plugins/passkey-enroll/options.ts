// passkey-enroll's options: checked once at boot with coded errors naming the option (unknown keys refused),
// defaults filled with `??`. The plugin constructs nothing: the Authsignal client and "who is signed in,
// and since when" come from the host.
import type { Authsignal } from '@authsignal/node'
import type { FastifyRequest } from 'fastify'
import { ACTION_CODE, TENANT_ID, createStoreBackend, optionChecks, type ElementsOptions, type ResolvedElements, type StoreBackend } from 'fastify-passkey-core'
import type { Redis } from 'ioredis'
import { FST_PASSKEY_ENROLL_INVALID_OPTION } from './errors.js'

/** The Authsignal Server API calls the plugin makes (an `@authsignal/node` client fits). */
export type AuthsignalEnrollClient = Pick<Authsignal, 'track' | 'getAuthenticators' | 'deleteAuthenticator'>

type MaybePromise<T> = T | Promise<T>

export interface PasskeyEnrollOptions {
  /** One `@authsignal/node` client per process (`createAuthsignalClient`). */
  authsignal: AuthsignalEnrollClient
  /** Authsignal tenant id and API base URL the browser SDK uses: what `<passkey-enroll>` is rendered with. */
  tenantId: string
  apiUrl: string
  /** The app's own origin (`scheme://host[:port]`): only requests from it may mint tokens or remove passkeys. */
  publicOrigin: string
  /**
   * Who is signed in: the Authsignal user id, or undefined. It must match `^[A-Za-z0-9_-]{1,64}$`
   * (the IdP's rule for `sub`): it becomes a path segment of Authsignal URLs, which the SDK does not encode.
   */
  getUserId: (request: FastifyRequest) => MaybePromise<string | undefined>
  /**
   * When that user last authenticated: seconds since the epoch, the ID token's `auth_time`. Required for a
   * signed-in user (a missing one is a configuration error, FST_PASSKEY_ENROLL_AUTH_TIME_MISSING).
   */
  getAuthTime: (request: FastifyRequest) => MaybePromise<number | undefined>
  /** Oldest sign-in allowed to add or remove a passkey, in seconds. @default 600 */
  maxAuthAgeSeconds?: number
  /** Authsignal action code of enrollment. @default 'add-passkey' */
  action?: string
  /** Prefix of the plugin's routes. @default '/passkeys' */
  routePrefix?: string
  /** Where the passkey elements come from: served from the installed package (default), or a CDN. */
  elements?: ElementsOptions
  /** Deadline for each Authsignal call, in ms. @default 5000 */
  authsignalTimeoutMs?: number
  /** Where a removal sends the browser back to (a path on this app), with `?status=…`. @default routePrefix */
  returnTo?: string
  /**
   * Rate limits: `max` requests per address to the plugin's routes and `tokenMax` enrollment tokens per
   * user, each per `timeWindowMs`. `false` turns them off. @default { max: 100, tokenMax: 20, timeWindowMs: 600000 }
   */
  rateLimit?: false | { max?: number, tokenMax?: number, timeWindowMs?: number }
  /** Redis for every instance to share the rate-limit counters: an ioredis client or a redis:// URL. @default memory */
  redis?: Redis | string
  /** Prefix of every Redis key. @default 'passkey:' */
  keyPrefix?: string
  /** Deadline of each store operation (Redis command), in ms. @default 1000 */
  storeTimeoutMs?: number
}

export interface ResolvedOptions {
  authsignal: AuthsignalEnrollClient
  tenantId: string
  apiUrl: string
  publicOrigin: string
  getUserId: PasskeyEnrollOptions['getUserId']
  getAuthTime: PasskeyEnrollOptions['getAuthTime']
  maxAuthAgeSeconds: number
  action: string
  routePrefix: string
  elements: ResolvedElements
  authsignalTimeoutMs: number
  returnTo: string
  rateLimit: false | { max: number, tokenMax: number, timeWindowMs: number }
  /** Where rate-limit counters live. */
  backend: StoreBackend
}

const OPTION_KEYS = [
  'authsignal', 'tenantId', 'apiUrl', 'publicOrigin', 'getUserId', 'getAuthTime', 'maxAuthAgeSeconds', 'action', 'routePrefix',
  'elements', 'authsignalTimeoutMs', 'returnTo', 'rateLimit', 'redis', 'keyPrefix', 'storeTimeoutMs'
] as const

const check = optionChecks(FST_PASSKEY_ENROLL_INVALID_OPTION)

export function resolveOptions (opts: PasskeyEnrollOptions): ResolvedOptions {
  const given = check.object('options', opts, OPTION_KEYS)
  const routePrefix = check.path('routePrefix', given['routePrefix'], '/passkeys', false)
  const returnTo = given['returnTo'] ?? routePrefix
  if (typeof returnTo !== 'string' || !/^\/(?![/\\])[^\s?#]*$/.test(returnTo)) throw check.fail('returnTo', 'must be a path on this app')
  return {
    authsignal: check.methods<AuthsignalEnrollClient>('authsignal', given['authsignal'], ['track', 'getAuthenticators', 'deleteAuthenticator'], 'an @authsignal/node client'),
    tenantId: check.string('tenantId', given['tenantId'], undefined, TENANT_ID, 'an Authsignal tenant id ([A-Za-z0-9_-]{1,128})'),
    apiUrl: check.httpUrl('apiUrl', given['apiUrl']).href.replace(/\/$/, ''),
    publicOrigin: check.origin('publicOrigin', given['publicOrigin']),
    getUserId: check.fn('getUserId', given['getUserId']),
    getAuthTime: check.fn('getAuthTime', given['getAuthTime']),
    maxAuthAgeSeconds: check.integer('maxAuthAgeSeconds', given['maxAuthAgeSeconds'], 600, 1, 86_400),
    action: check.string('action', given['action'], 'add-passkey', ACTION_CODE, 'an action code (^[a-zA-Z0-9_-]{1,64}$)'),
    routePrefix,
    elements: check.elements('elements', given['elements']),
    authsignalTimeoutMs: check.integer('authsignalTimeoutMs', given['authsignalTimeoutMs'], 5000, 1, 60_000),
    returnTo,
    rateLimit: check.rateLimit('rateLimit', given['rateLimit'], { max: 100, tokenMax: 20, timeWindowMs: 600_000 }),
    backend: createStoreBackend({
      redis: check.redis('redis', given['redis']) as Redis | string | undefined,
      keyPrefix: check.string('keyPrefix', given['keyPrefix'], 'passkey:', /^[A-Za-z0-9:_{}.-]{1,64}$/, 'a key prefix ([A-Za-z0-9:_{}.-]{1,64})'),
      timeoutMs: check.integer('storeTimeoutMs', given['storeTimeoutMs'], 1000, 1, 60_000)
    })
  }
}
