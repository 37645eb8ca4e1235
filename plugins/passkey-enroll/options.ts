// passkey-enroll's options: validated once at boot with coded errors, defaults filled with `??`.
// The plugin constructs nothing: the Authsignal client and "who is signed in" come from the host.
import type { Authsignal } from '@authsignal/node'
import type { FastifyRequest } from 'fastify'
import { FST_PASSKEY_ENROLL_INVALID_OPTION } from './errors.js'

/** The Authsignal Server API calls the plugin makes (an `@authsignal/node` client fits). */
export type AuthsignalEnrollClient = Pick<Authsignal, 'track' | 'getAuthenticators' | 'deleteAuthenticator'>

type MaybePromise<T> = T | Promise<T>

export interface PasskeyEnrollOptions {
  /** One `@authsignal/node` client per process. */
  authsignal: AuthsignalEnrollClient
  /** Tenant id and API base URL the browser SDK uses (rendered into `<passkey-enroll>`). */
  tenantId: string
  apiUrl: string
  /** The app's own origin (`scheme://host[:port]`): only requests from it may mint tokens or remove passkeys. */
  publicOrigin: string
  /**
   * Who is signed in: the Authsignal user id, or undefined. It must match `^[A-Za-z0-9_-]{1,64}$`
   * (the IdP's rule for `sub`): it becomes a path segment of Authsignal URLs, which the SDK does not encode.
   */
  getUserId: (request: FastifyRequest) => MaybePromise<string | undefined>
  /** When that user last authenticated (seconds since the epoch, the ID token's `auth_time`). */
  getAuthTime: (request: FastifyRequest) => MaybePromise<number | undefined>
  /** Oldest sign-in allowed to add or remove a passkey, in seconds. @default 600 */
  maxAuthAgeSeconds?: number
  /** Authsignal action code of enrollment. @default 'add-passkey' */
  action?: string
  /** Prefix of the plugin's routes. @default '/passkeys' */
  routePrefix?: string
  /** Where the built elements are served. @default '/passkey-elements/' */
  elementsPrefix?: string
  /** Serve the built elements (turn off when another plugin already does). @default true */
  serveElements?: boolean
  /** Deadline for each Authsignal call, in ms. @default 3000 */
  authsignalTimeoutMs?: number
  /** Where a removal sends the browser back to (a path on this app), with `?status=…`. @default routePrefix */
  returnTo?: string
  /** Enrollment tokens per user per window. @default { max: 20, windowSeconds: 600 } */
  rateLimit?: { max: number, windowSeconds: number }
}

export type ResolvedOptions = Required<PasskeyEnrollOptions>

const ACTION_CODE = /^[a-zA-Z0-9_-]{1,64}$/
/** User ids become path segments of Authsignal URLs, which @authsignal/node does not encode (checklist F4, G3). */
export const USER_ID = /^[A-Za-z0-9_-]{1,64}$/

function requireFunction (name: string, value: unknown): void {
  if (typeof value !== 'function') throw new FST_PASSKEY_ENROLL_INVALID_OPTION(name, 'must be a function')
}

function prefix (name: string, value: string, trailingSlash: boolean): string {
  if (typeof value !== 'string' || !/^\/[A-Za-z0-9/_-]*$/.test(value) || value.includes('//')) {
    throw new FST_PASSKEY_ENROLL_INVALID_OPTION(name, 'must be a path such as /passkeys')
  }
  if (trailingSlash) return value.endsWith('/') ? value : `${value}/`
  return value.length > 1 && value.endsWith('/') ? value.slice(0, -1) : value
}

export function resolveOptions (opts: PasskeyEnrollOptions): ResolvedOptions {
  if (opts == null || typeof opts !== 'object') throw new FST_PASSKEY_ENROLL_INVALID_OPTION('options', 'must be an object')
  const { authsignal } = opts
  if (authsignal == null || ['track', 'getAuthenticators', 'deleteAuthenticator'].some(m => typeof (authsignal as unknown as Record<string, unknown>)[m] !== 'function')) {
    throw new FST_PASSKEY_ENROLL_INVALID_OPTION('authsignal', 'must be an @authsignal/node client (track, getAuthenticators, deleteAuthenticator)')
  }
  if (typeof opts.tenantId !== 'string' || !/^[A-Za-z0-9_-]{1,128}$/.test(opts.tenantId)) throw new FST_PASSKEY_ENROLL_INVALID_OPTION('tenantId', 'must be an Authsignal tenant id')
  for (const name of ['apiUrl', 'publicOrigin'] as const) {
    let url: URL
    try { url = new URL(opts[name]) } catch { throw new FST_PASSKEY_ENROLL_INVALID_OPTION(name, 'must be an http(s) URL') }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new FST_PASSKEY_ENROLL_INVALID_OPTION(name, 'must be an http(s) URL')
    if (name === 'publicOrigin' && url.origin !== opts.publicOrigin) throw new FST_PASSKEY_ENROLL_INVALID_OPTION(name, 'must be a bare origin such as https://app.example.com')
  }
  requireFunction('getUserId', opts.getUserId)
  requireFunction('getAuthTime', opts.getAuthTime)
  const maxAuthAgeSeconds = opts.maxAuthAgeSeconds ?? 600
  if (!Number.isInteger(maxAuthAgeSeconds) || maxAuthAgeSeconds < 1) throw new FST_PASSKEY_ENROLL_INVALID_OPTION('maxAuthAgeSeconds', 'must be a positive integer')
  const action = opts.action ?? 'add-passkey'
  if (!ACTION_CODE.test(action)) throw new FST_PASSKEY_ENROLL_INVALID_OPTION('action', 'must match ^[a-zA-Z0-9_-]{1,64}$')
  const timeout = opts.authsignalTimeoutMs ?? 3000
  if (!Number.isInteger(timeout) || timeout < 1 || timeout > 60_000) throw new FST_PASSKEY_ENROLL_INVALID_OPTION('authsignalTimeoutMs', 'must be an integer from 1 to 60000')
  const rateLimit = opts.rateLimit ?? { max: 20, windowSeconds: 600 }
  if (!Number.isInteger(rateLimit?.max) || rateLimit.max < 1 || !Number.isInteger(rateLimit?.windowSeconds) || rateLimit.windowSeconds < 1) {
    throw new FST_PASSKEY_ENROLL_INVALID_OPTION('rateLimit', 'must be { max, windowSeconds } with positive integers')
  }
  const routePrefix = prefix('routePrefix', opts.routePrefix ?? '/passkeys', false)
  const returnTo = opts.returnTo ?? routePrefix
  if (typeof returnTo !== 'string' || !/^\/(?![/\\])[^\s?#]*$/.test(returnTo)) throw new FST_PASSKEY_ENROLL_INVALID_OPTION('returnTo', 'must be a path on this app')
  return {
    authsignal,
    tenantId: opts.tenantId,
    apiUrl: opts.apiUrl,
    publicOrigin: opts.publicOrigin,
    getUserId: opts.getUserId,
    getAuthTime: opts.getAuthTime,
    maxAuthAgeSeconds,
    action,
    routePrefix,
    elementsPrefix: prefix('elementsPrefix', opts.elementsPrefix ?? '/passkey-elements/', true),
    serveElements: opts.serveElements ?? true,
    authsignalTimeoutMs: timeout,
    returnTo,
    rateLimit
  }
}
