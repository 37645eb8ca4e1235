// The plugin's options: their types (the public API), their validation at boot (coded errors, like the
// @fastify/* plugins) and their defaults. Handlers only ever see ResolvedOptions.
import { isAbsolute } from 'node:path'
import type { TrackRequest, TrackResponse, ValidateChallengeRequest, ValidateChallengeResponse } from '@authsignal/node'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type Provider from 'oidc-provider'
import { FST_PASSKEY_LOGIN_INVALID_OPTION } from './errors.js'
import { MemoryPendingMfaStore, type PendingMfaStore } from './pending-mfa-store.js'
import { MemoryUsedTokenStore, type UsedTokenStore } from './used-token-store.js'

/** The Authsignal calls the plugin makes; an `@authsignal/node` client fits. */
export interface AuthsignalClient {
  track (request: TrackRequest): Promise<TrackResponse>
  validateChallenge (request: ValidateChallengeRequest): Promise<ValidateChallengeResponse>
}

/** An account as the plugin needs it. `id` is the OIDC `sub` and the Authsignal userId. */
export interface PasskeyLoginAccount {
  /** Must match `^[A-Za-z0-9_-]{1,64}$`: it becomes a path segment of Authsignal API URLs. */
  id: string
  username?: string
  email?: string
  /** A disabled account cannot sign in by any method. @default true */
  active?: boolean
}

export interface AccountHooks {
  /** The account with this id, or undefined. */
  findById (id: string): Promise<PasskeyLoginAccount | undefined | null>
  /**
   * The account when the password is right, else undefined. Should take the same time for unknown
   * users and wrong passwords (hash a dummy), so the answer does not reveal which usernames exist.
   */
  verifyPassword (username: string, password: string): Promise<PasskeyLoginAccount | undefined | null>
}

/** What the login view receives (for a host's replacement view too). Every string is unescaped. */
export interface LoginPageData {
  title: string
  uid: string
  /** Form actions: password form and passkey form. */
  actions: { password: string, passkey: string }
  /** Pre-filled username (login_hint, or what was typed before a failed attempt). */
  username: string
  /** A generic message after a failed attempt. */
  error?: string
  /** Display name of the client asking for the sign-in, when it has one. */
  clientName?: string
  tenantId: string
  apiUrl: string
  /** Action code the passkey elements sign in for. */
  passkeyAction: string
  /** Module scripts and their preloads for the passkey elements. */
  scripts: string[]
  preloads: string[]
  stylesheet: string
}

/** What the error view receives. */
export interface ErrorPageData {
  title: string
  stylesheet: string
  message: string
  /** Where "try again" points, when the interaction may still be usable. */
  retryUrl?: string
  requestId: string
}

export type RenderFunction<T> = (data: T, request: FastifyRequest, reply: FastifyReply) => string | Promise<string>

export type MfaPolicy = 'enroll' | 'optional'

export interface PasskeyLoginOptions {
  /** The oidc-provider instance whose login interactions this plugin serves. */
  provider: Provider
  /** Authsignal server client, one per process (see servers/shared/authsignal-client.ts). */
  authsignal: AuthsignalClient
  /** Authsignal tenant id, rendered for the browser SDK. */
  tenantId: string
  /** Authsignal API base URL the browser SDK uses, e.g. `https://api.authsignal.com/v1`. */
  apiUrl: string
  accounts: AccountHooks
  actions?: {
    /** Action tracked after a correct password. @default 'signIn' */
    passwordMfa?: string
    /** Action a passkey sign-in is made for. @default 'signInWithPasskey' */
    passkeySignIn?: string
  }
  /**
   * Users without an authenticator: 'enroll' sends them to Authsignal's hosted page to enroll one
   * (like Authsignal's sample); 'optional' lets them in with the password alone. @default 'enroll'
   */
  mfaPolicy?: MfaPolicy
  /** Deadline for each Authsignal call. @default 5000 */
  authsignalTimeoutMs?: number
  /** Replay defence store. @default a MemoryUsedTokenStore (one process only) */
  usedTokens?: UsedTokenStore
  /** Pending-MFA state per interaction. @default a MemoryPendingMfaStore (one process only) */
  pendingMfa?: PendingMfaStore
  /** Rejected MFA returns before the password must be entered again. @default 5 */
  maxMfaFailures?: number
  /** A token whose challenge succeeded longer ago than this is refused. @default 300 */
  tokenMaxAgeSeconds?: number
  /** How long an accepted token's key is remembered; must outlive the token. @default 900 */
  usedTokenTtlSeconds?: number
  /**
   * Path of oidc-provider's interaction URL (its `interactions.url`, without the uid). Named apart from
   * Fastify's own `prefix` register option, which would prefix the elements and assets too.
   * @default '/interaction'
   */
  routePrefix?: string
  /** Where the passkey elements are served. @default '/passkey-elements/' */
  elementsPrefix?: string
  /** Serve the built elements at `elementsPrefix` (turn off when another plugin already does). @default true */
  serveElements?: boolean
  /** Where the plugin serves its stylesheet. @default '/passkey-login/' */
  assetsPrefix?: string
  /** A stylesheet URL for the pages instead of the plugin's own. */
  stylesheet?: string
  /** Public origin of this server, for the MFA return URL. @default the provider issuer's origin */
  publicOrigin?: string
  /** Replaces the login page: an absolute path to an eta template, or a render function. */
  loginView?: string | RenderFunction<LoginPageData>
  /** Replaces the error page: an absolute path to an eta template, or a render function. */
  errorView?: string | RenderFunction<ErrorPageData>
  /** Page title. @default 'Sign in' */
  title?: string
  /**
   * Rate limits (in memory, per process): `max` requests per address to the interaction routes and
   * `passwordMax` password attempts per username, each per `timeWindowMs`. `false` turns them off (a
   * host that limits elsewhere). @default { max: 100, passwordMax: 10, timeWindowMs: 300000 }
   */
  rateLimit?: false | { max?: number, passwordMax?: number, timeWindowMs?: number }
}

export interface ResolvedOptions {
  provider: Provider
  authsignal: AuthsignalClient
  tenantId: string
  apiUrl: string
  accounts: AccountHooks
  actions: { passwordMfa: string, passkeySignIn: string }
  mfaPolicy: MfaPolicy
  authsignalTimeoutMs: number
  usedTokens: UsedTokenStore
  pendingMfa: PendingMfaStore
  maxMfaFailures: number
  tokenMaxAgeSeconds: number
  usedTokenTtlSeconds: number
  routePrefix: string
  elementsPrefix: string
  serveElements: boolean
  assetsPrefix: string
  stylesheet?: string
  publicOrigin: string
  loginView?: string | RenderFunction<LoginPageData>
  errorView?: string | RenderFunction<ErrorPageData>
  title: string
  rateLimit: false | { max: number, passwordMax: number, timeWindowMs: number }
}

export const DEFAULT_PREFIX = '/interaction'
export const DEFAULT_ELEMENTS_PREFIX = '/passkey-elements/'
export const DEFAULT_ASSETS_PREFIX = '/passkey-login/'
export const ACTION_CODE = /^[a-zA-Z0-9_-]{1,64}$/
/** Account ids become path segments of Authsignal URLs, which the SDK does not encode (checklist F4, G3). */
export const ACCOUNT_ID = /^[A-Za-z0-9_-]{1,64}$/

const invalid = (name: string, problem: string): Error => new FST_PASSKEY_LOGIN_INVALID_OPTION(name, problem)

function httpUrl (name: string, value: unknown): URL {
  if (typeof value !== 'string') throw invalid(name, 'must be a URL string')
  let url: URL
  try { url = new URL(value) } catch { throw invalid(name, 'must be an absolute http(s) URL') }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalid(name, 'must be an absolute http(s) URL')
  return url
}

function pathPrefix (name: string, value: unknown, fallback: string, trailingSlash: boolean): string {
  const v = value ?? fallback
  if (typeof v !== 'string' || !/^\/[A-Za-z0-9._~\-/]*$/.test(v) || v.includes('//')) {
    throw invalid(name, 'must be a path starting with "/" (letters, digits, "-", "_", ".", "~", "/")')
  }
  if (trailingSlash) return v.endsWith('/') ? v : `${v}/`
  return v.length > 1 && v.endsWith('/') ? v.slice(0, -1) : v
}

function positiveInt (name: string, value: unknown, fallback: number, max: number): number {
  const v = value ?? fallback
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > max) throw invalid(name, `must be an integer from 1 to ${max}`)
  return v
}

function view<T> (name: string, value: unknown): string | RenderFunction<T> | undefined {
  if (value == null || typeof value === 'function') return value as RenderFunction<T> | undefined
  if (typeof value === 'string' && isAbsolute(value)) return value
  throw invalid(name, 'must be an absolute path to an eta template or a render function')
}

function rateLimitOption (value: PasskeyLoginOptions['rateLimit']): ResolvedOptions['rateLimit'] {
  if (value === false) return false
  if (value != null && typeof value !== 'object') throw invalid('rateLimit', 'must be false or an object')
  return {
    max: positiveInt('rateLimit.max', value?.max, 100, 1_000_000),
    passwordMax: positiveInt('rateLimit.passwordMax', value?.passwordMax, 10, 1_000_000),
    timeWindowMs: positiveInt('rateLimit.timeWindowMs', value?.timeWindowMs, 300_000, 86_400_000)
  }
}

export function resolveOptions (opts: PasskeyLoginOptions): ResolvedOptions {
  if (opts == null || typeof opts !== 'object') throw invalid('options', 'must be an object')
  const provider = opts.provider as Partial<Provider> | undefined
  if (provider == null || typeof provider.interactionDetails !== 'function' || typeof provider.interactionResult !== 'function') {
    throw invalid('provider', 'must be an oidc-provider instance')
  }
  const authsignal = opts.authsignal as Partial<AuthsignalClient> | undefined
  if (authsignal == null || typeof authsignal.track !== 'function' || typeof authsignal.validateChallenge !== 'function') {
    throw invalid('authsignal', 'must be an Authsignal client with track() and validateChallenge()')
  }
  if (typeof opts.tenantId !== 'string' || !/^[A-Za-z0-9_-]{1,128}$/.test(opts.tenantId)) {
    throw invalid('tenantId', 'must be an Authsignal tenant id ([A-Za-z0-9_-]{1,128})')
  }
  const apiUrl = httpUrl('apiUrl', opts.apiUrl).href.replace(/\/$/, '')
  const accounts = opts.accounts as Partial<AccountHooks> | undefined
  if (accounts == null || typeof accounts.findById !== 'function' || typeof accounts.verifyPassword !== 'function') {
    throw invalid('accounts', 'must have findById(id) and verifyPassword(username, password)')
  }
  const actions = { passwordMfa: opts.actions?.passwordMfa ?? 'signIn', passkeySignIn: opts.actions?.passkeySignIn ?? 'signInWithPasskey' }
  for (const [key, code] of Object.entries(actions)) {
    if (typeof code !== 'string' || !ACTION_CODE.test(code)) throw invalid(`actions.${key}`, 'must match ^[a-zA-Z0-9_-]{1,64}$')
  }
  if (actions.passwordMfa === actions.passkeySignIn) {
    // One action for both would let an MFA token sign in through the passkey route and the reverse.
    throw invalid('actions', 'must use different codes for password MFA and passkey sign-in')
  }
  const mfaPolicy = opts.mfaPolicy ?? 'enroll'
  if (mfaPolicy !== 'enroll' && mfaPolicy !== 'optional') throw invalid('mfaPolicy', 'must be "enroll" or "optional"')
  const usedTokens = opts.usedTokens ?? new MemoryUsedTokenStore()
  if (typeof usedTokens.markUsed !== 'function') throw invalid('usedTokens', 'must implement markUsed(key, ttlSeconds)')
  const pendingMfa = opts.pendingMfa ?? new MemoryPendingMfaStore()
  if (typeof pendingMfa.get !== 'function' || typeof pendingMfa.set !== 'function' || typeof pendingMfa.delete !== 'function') {
    throw invalid('pendingMfa', 'must implement get(uid), set(uid, value, ttlSeconds) and delete(uid)')
  }
  const tokenMaxAgeSeconds = positiveInt('tokenMaxAgeSeconds', opts.tokenMaxAgeSeconds, 300, 3600)
  const usedTokenTtlSeconds = positiveInt('usedTokenTtlSeconds', opts.usedTokenTtlSeconds, 900, 86400 * 7)
  if (usedTokenTtlSeconds < tokenMaxAgeSeconds) {
    throw invalid('usedTokenTtlSeconds', 'must be at least tokenMaxAgeSeconds, or a token could be accepted again after its key is forgotten')
  }
  const providerIssuer = (opts.provider as unknown as { issuer?: unknown }).issuer
  const publicOrigin = httpUrl('publicOrigin', opts.publicOrigin ?? providerIssuer).origin
  if (opts.stylesheet != null && (typeof opts.stylesheet !== 'string' || !opts.stylesheet.startsWith('/') || opts.stylesheet.startsWith('//'))) {
    throw invalid('stylesheet', 'must be a path on this origin starting with "/"')
  }
  if (opts.serveElements != null && typeof opts.serveElements !== 'boolean') throw invalid('serveElements', 'must be a boolean')
  if (opts.title != null && (typeof opts.title !== 'string' || opts.title.length > 200)) throw invalid('title', 'must be a string of at most 200 characters')
  return {
    provider: opts.provider,
    authsignal: opts.authsignal,
    tenantId: opts.tenantId,
    apiUrl,
    accounts: opts.accounts,
    actions,
    mfaPolicy,
    authsignalTimeoutMs: positiveInt('authsignalTimeoutMs', opts.authsignalTimeoutMs, 5000, 60_000),
    usedTokens,
    pendingMfa,
    maxMfaFailures: positiveInt('maxMfaFailures', opts.maxMfaFailures, 5, 100),
    tokenMaxAgeSeconds,
    usedTokenTtlSeconds,
    routePrefix: pathPrefix('routePrefix', opts.routePrefix, DEFAULT_PREFIX, false),
    elementsPrefix: pathPrefix('elementsPrefix', opts.elementsPrefix, DEFAULT_ELEMENTS_PREFIX, true),
    serveElements: opts.serveElements ?? true,
    assetsPrefix: pathPrefix('assetsPrefix', opts.assetsPrefix, DEFAULT_ASSETS_PREFIX, true),
    stylesheet: opts.stylesheet,
    publicOrigin,
    loginView: view<LoginPageData>('loginView', opts.loginView),
    errorView: view<ErrorPageData>('errorView', opts.errorView),
    title: opts.title ?? 'Sign in',
    rateLimit: rateLimitOption(opts.rateLimit)
  }
}
