// The plugin's options: their types (the public API), their checks at boot (coded errors naming the option,
// unknown keys refused) and their defaults. Handlers only ever see ResolvedOptions.
import type { TrackRequest, TrackResponse, ValidateChallengeRequest, ValidateChallengeResponse } from '@authsignal/node'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { ACTION_CODE, LANGUAGES, TENANT_ID, createStoreBackend, optionChecks, usedTokenStore, type Language, type ElementsOptions, type ResolvedElements, type StoreBackend, type UsedTokenStore } from 'fastify-passkey-core'
import type { Redis } from 'ioredis'
import type Provider from 'oidc-provider'
import { FST_PASSKEY_LOGIN_INVALID_OPTION } from './errors.js'
import { MESSAGES, type Messages } from './messages.js'
import { pendingMfaStore, type PendingMfaStore } from './pending-mfa.js'
import { signInPreparer, type SignInPreparer } from './prepare-sign-in.js'

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
  /** The page's language (BCP 47, for `<html lang>`), from Accept-Language. */
  lang: Language
  /** Every word of the page, in that language. */
  text: Messages
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
  /** The passkey sign-in's options as JSON, fetched while rendering (`prepareSignIn`): the elements' `prepared-options`. */
  preparedOptions?: string
  /** Module scripts and the chunks they import (`<script type="module">`, `<link rel="modulepreload">`), with SRI. */
  scripts: Array<{ src: string, integrity: string }>
  preloads: Array<{ href: string, integrity: string }>
  stylesheet: string
}

/** What the error view receives. */
export interface ErrorPageData {
  lang: Language
  text: Messages
  title: string
  stylesheet: string
  message: string
  /** Where "try again" points, when the interaction may still be usable. */
  retryUrl?: string
  requestId: string
}

export type RenderFunction<T> = (data: T, request: FastifyRequest, reply: FastifyReply) => string | Promise<string>

export type MfaPolicy = 'enroll' | 'optional'

/** Clients whose consent is implied: a list of client ids, or a decision per client id. */
export type FirstPartyClients = readonly string[] | ((clientId: string) => boolean | Promise<boolean>)

export interface PasskeyLoginOptions {
  /** The oidc-provider instance whose login interactions this plugin serves. */
  provider: Provider
  /** Authsignal server client, one per process (`createAuthsignalClient`). */
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
  /**
   * Clients of your own, whose consent is implied: the plugin grants what they ask for when the user signs
   * in, and finishes oidc-provider's consent prompt for them. Any other client's consent prompt ends on a
   * page that says it cannot be finished here (handle it in a route of your own). @default [] (none)
   */
  firstPartyClients?: FirstPartyClients
  /** Deadline for each Authsignal call, in ms. @default 5000 */
  authsignalTimeoutMs?: number
  /**
   * Redis (7, or Valkey) for every instance to share: an ioredis client (yours to close) or a redis:// URL.
   * Used tokens, pending MFA and rate-limit counters live there. @default memory (one process)
   */
  redis?: Redis | string
  /** Prefix of every Redis key. @default 'passkey:' */
  keyPrefix?: string
  /** Deadline of each store operation (Redis command), in ms. @default 1000 */
  storeTimeoutMs?: number
  /** Replay defence store. @default on `redis`, else in memory */
  usedTokens?: UsedTokenStore
  /** Pending-MFA state per interaction. @default on `redis`, else in memory */
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
  /** Where the passkey elements come from: served from the installed package (default), or a CDN. */
  elements?: ElementsOptions
  /** Where the plugin serves its stylesheet. @default '/passkey-login/' */
  assetsPrefix?: string
  /** A stylesheet URL for the pages instead of the plugin's own. */
  stylesheet?: string
  /** Public origin of this server, for the MFA return URL and the same-origin check. @default the provider issuer's origin */
  publicOrigin?: string
  /** Origin of Authsignal's hosted challenge page, which the login form is redirected to. @default the origin of apiUrl */
  hostedPageOrigin?: string
  /** Replaces the login page: an absolute path to an eta template, or a render function. */
  loginView?: string | RenderFunction<LoginPageData>
  /** Replaces the error page: an absolute path to an eta template, or a render function. */
  errorView?: string | RenderFunction<ErrorPageData>
  /** Page title, in every language. @default the language's word for "Sign in" */
  title?: string
  /**
   * Words of the pages, per language, over the shipped ones (en, de, fr, es, it, pt-BR, nl, pl, ja, ko,
   * zh-Hans): e.g. `{ en: { title: 'Sign in to Acme' } }`. The page's language follows Accept-Language.
   */
  messages?: Partial<Record<Language, Partial<Messages>>>
  /**
   * Rate limits: `max` requests per address to the plugin's routes and `passwordMax` password attempts
   * per username, each per `timeWindowMs`. `false` turns them off (a host that limits elsewhere).
   * @default { max: 100, passwordMax: 10, timeWindowMs: 300000 }
   */
  rateLimit?: false | { max?: number, passwordMax?: number, timeWindowMs?: number }
  /**
   * The IdP fetches the passkey sign-in's challenge and options from Authsignal while it renders the login
   * page (the two requests the browser SDK would send, with the tenant id only), so autofill is armed and the
   * button's prompt opens with no request from the browser. `deadlineMs`: the page waits no longer for them,
   * and goes out without them (the elements then fetch their own). `apiUrl`: where the IdP reaches Authsignal's
   * client API, when not at `apiUrl`. `true` is `{ deadlineMs: 300 }`.
   * @default false
   */
  prepareSignIn?: boolean | { deadlineMs?: number, apiUrl?: string }
}

export interface ResolvedOptions {
  provider: Provider
  authsignal: AuthsignalClient
  tenantId: string
  apiUrl: string
  accounts: AccountHooks
  actions: { passwordMfa: string, passkeySignIn: string }
  mfaPolicy: MfaPolicy
  isFirstParty: (clientId: string) => Promise<boolean>
  authsignalTimeoutMs: number
  /** Where rate-limit counters (and the default stores) live. */
  backend: StoreBackend
  usedTokens: UsedTokenStore
  pendingMfa: PendingMfaStore
  maxMfaFailures: number
  tokenMaxAgeSeconds: number
  usedTokenTtlSeconds: number
  routePrefix: string
  elements: ResolvedElements
  assetsPrefix: string
  stylesheet: string | undefined
  publicOrigin: string
  hostedPageOrigin: string
  loginView: string | RenderFunction<LoginPageData> | undefined
  errorView: string | RenderFunction<ErrorPageData> | undefined
  title: string | undefined
  messages: Partial<Record<Language, Partial<Messages>>>
  rateLimit: false | { max: number, passwordMax: number, timeWindowMs: number }
  prepareSignIn: SignInPreparer | undefined
}

export const DEFAULT_PREFIX = '/interaction'
export const DEFAULT_ASSETS_PREFIX = '/passkey-login/'

const OPTION_KEYS = [
  'provider', 'authsignal', 'tenantId', 'apiUrl', 'accounts', 'actions', 'mfaPolicy', 'firstPartyClients', 'authsignalTimeoutMs',
  'redis', 'keyPrefix', 'storeTimeoutMs', 'usedTokens', 'pendingMfa', 'maxMfaFailures', 'tokenMaxAgeSeconds', 'usedTokenTtlSeconds', 'routePrefix', 'elements',
  'assetsPrefix', 'stylesheet', 'publicOrigin', 'hostedPageOrigin', 'loginView', 'errorView', 'title', 'messages', 'rateLimit', 'prepareSignIn'
] as const

const check = optionChecks(FST_PASSKEY_LOGIN_INVALID_OPTION)

function firstParty (value: unknown): (clientId: string) => Promise<boolean> {
  if (value == null) return async () => false
  if (typeof value === 'function') return async clientId => (await (value as (id: string) => boolean | Promise<boolean>)(clientId)) === true
  if (!Array.isArray(value) || value.some(id => typeof id !== 'string' || id === '')) {
    throw check.fail('firstPartyClients', 'must be a list of client ids or a function (clientId) => boolean')
  }
  const ids = new Set<string>(value as string[])
  return async clientId => ids.has(clientId)
}

/** Overrides of the pages' words: known languages, known keys, short strings. */
function checkMessages (value: unknown): Partial<Record<Language, Partial<Messages>>> {
  const languages = check.object('messages', value ?? {}, LANGUAGES)
  for (const [language, words] of Object.entries(languages)) {
    const given = check.object(`messages.${language}`, words, Object.keys(MESSAGES))
    for (const [key, text] of Object.entries(given)) {
      if (typeof text !== 'string' || text === '' || text.length > 500) throw check.fail(`messages.${language}.${key}`, 'must be a string of 1 to 500 characters')
    }
  }
  return languages as Partial<Record<Language, Partial<Messages>>>
}

function preparer (value: unknown, tenantId: string, apiUrl: string, action: string): SignInPreparer | undefined {
  if (value == null || value === false) return undefined
  const given = value === true ? {} : check.object('prepareSignIn', value, ['deadlineMs', 'apiUrl'])
  return signInPreparer({
    tenantId,
    action,
    apiUrl: given['apiUrl'] != null ? check.httpUrl('prepareSignIn.apiUrl', given['apiUrl']).href.replace(/\/$/, '') : apiUrl,
    deadlineMs: check.integer('prepareSignIn.deadlineMs', given['deadlineMs'], 300, 1, 10_000)
  })
}

export function resolveOptions (opts: PasskeyLoginOptions): ResolvedOptions {
  const given = check.object('options', opts, OPTION_KEYS)
  const provider = check.methods<Provider>('provider', given['provider'], ['interactionDetails', 'interactionResult'], 'an oidc-provider instance')
  const authsignal = check.methods<AuthsignalClient>('authsignal', given['authsignal'], ['track', 'validateChallenge'], 'an Authsignal client')
  const tenantId = check.string('tenantId', given['tenantId'], undefined, TENANT_ID, 'an Authsignal tenant id ([A-Za-z0-9_-]{1,128})')
  const apiUrl = check.httpUrl('apiUrl', given['apiUrl']).href.replace(/\/$/, '')
  const accounts = check.methods<AccountHooks>('accounts', given['accounts'], ['findById', 'verifyPassword'], 'account hooks')
  const actionsGiven = check.object('actions', given['actions'] ?? {}, ['passwordMfa', 'passkeySignIn'])
  const actions = {
    passwordMfa: check.string('actions.passwordMfa', actionsGiven['passwordMfa'], 'signIn', ACTION_CODE, 'an action code (^[a-zA-Z0-9_-]{1,64}$)'),
    passkeySignIn: check.string('actions.passkeySignIn', actionsGiven['passkeySignIn'], 'signInWithPasskey', ACTION_CODE, 'an action code (^[a-zA-Z0-9_-]{1,64}$)')
  }
  if (actions.passwordMfa === actions.passkeySignIn) {
    // One action for both would let an MFA token sign in through the passkey route and the reverse.
    throw check.fail('actions', 'must use different codes for password MFA and passkey sign-in')
  }
  const redis = check.redis('redis', given['redis']) as Redis | string | undefined
  const keyPrefix = check.string('keyPrefix', given['keyPrefix'], 'passkey:', /^[A-Za-z0-9:_{}.-]{1,64}$/, 'a key prefix ([A-Za-z0-9:_{}.-]{1,64})')
  const storeTimeoutMs = check.integer('storeTimeoutMs', given['storeTimeoutMs'], 1000, 1, 60_000)
  if (given['usedTokens'] != null) check.methods<UsedTokenStore>('usedTokens', given['usedTokens'], ['markUsed'], 'a used-token store')
  if (given['pendingMfa'] != null) check.methods<PendingMfaStore>('pendingMfa', given['pendingMfa'], ['get', 'set', 'delete'], 'a pending-MFA store')
  const tokenMaxAgeSeconds = check.integer('tokenMaxAgeSeconds', given['tokenMaxAgeSeconds'], 300, 1, 3600)
  const usedTokenTtlSeconds = check.integer('usedTokenTtlSeconds', given['usedTokenTtlSeconds'], 900, 1, 86400 * 7)
  if (usedTokenTtlSeconds < tokenMaxAgeSeconds) {
    throw check.fail('usedTokenTtlSeconds', 'must be at least tokenMaxAgeSeconds, or a token could be accepted again after its key is forgotten')
  }
  const publicOrigin = check.httpUrl('publicOrigin', given['publicOrigin'] ?? (provider as unknown as { issuer?: unknown }).issuer).origin
  const stylesheet = given['stylesheet']
  if (stylesheet != null && (typeof stylesheet !== 'string' || !stylesheet.startsWith('/') || stylesheet.startsWith('//'))) {
    throw check.fail('stylesheet', 'must be a path on this origin starting with "/"')
  }
  const title = given['title']
  if (title != null && (typeof title !== 'string' || title.length > 200)) throw check.fail('title', 'must be a string of at most 200 characters')
  const elements = check.elements('elements', given['elements'])
  const routePrefix = check.path('routePrefix', given['routePrefix'], DEFAULT_PREFIX, false)
  const assetsPrefix = check.path('assetsPrefix', given['assetsPrefix'], DEFAULT_ASSETS_PREFIX, true)
  const hostedPageOrigin = given['hostedPageOrigin'] != null ? check.origin('hostedPageOrigin', given['hostedPageOrigin']) : new URL(apiUrl).origin
  const loginView = check.view<RenderFunction<LoginPageData>>('loginView', given['loginView'])
  const errorView = check.view<RenderFunction<ErrorPageData>>('errorView', given['errorView'])
  const rateLimit = check.rateLimit('rateLimit', given['rateLimit'], { max: 100, passwordMax: 10, timeWindowMs: 300_000 })
  const mfaPolicy = check.oneOf('mfaPolicy', given['mfaPolicy'], 'enroll', ['enroll', 'optional'])
  const isFirstParty = firstParty(given['firstPartyClients'])
  const authsignalTimeoutMs = check.integer('authsignalTimeoutMs', given['authsignalTimeoutMs'], 5000, 1, 60_000)
  const maxMfaFailures = check.integer('maxMfaFailures', given['maxMfaFailures'], 5, 1, 100)
  const prepareSignIn = preparer(given['prepareSignIn'], tenantId, apiUrl, actions.passkeySignIn)
  // Last, once every option is known good: a Redis URL opens a connection.
  const backend = createStoreBackend({ redis, keyPrefix, timeoutMs: storeTimeoutMs })
  return {
    provider,
    authsignal,
    tenantId,
    apiUrl,
    accounts,
    actions,
    mfaPolicy,
    isFirstParty,
    authsignalTimeoutMs,
    backend,
    usedTokens: (given['usedTokens'] as UsedTokenStore | undefined) ?? usedTokenStore(backend),
    pendingMfa: (given['pendingMfa'] as PendingMfaStore | undefined) ?? pendingMfaStore(backend),
    maxMfaFailures,
    tokenMaxAgeSeconds,
    usedTokenTtlSeconds,
    routePrefix,
    elements,
    assetsPrefix,
    stylesheet: stylesheet as string | undefined,
    publicOrigin,
    hostedPageOrigin,
    loginView,
    errorView,
    title: title as string | undefined,
    messages: checkMessages(given['messages']),
    rateLimit,
    prepareSignIn
  }
}
