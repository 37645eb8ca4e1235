// Every call to Authsignal goes through `callAuthsignal`: a deadline (@authsignal/node sets no timeout of
// its own), errors scrubbed before they are logged (an AuthsignalError carries the API secret in its axios
// config), one log key (`authsignal`), and a typed failure the routes turn into a 503 in words — fail closed.
// `createAuthsignalClient` is the one way to construct the SDK (its retry interceptor sits on the global axios).
import { Authsignal } from '@authsignal/node'
import axios from 'axios'
import type { FastifyBaseLogger } from 'fastify'
import { authsignalTransport } from './authsignal-transport.js'
import { FST_PASSKEY_UNAVAILABLE, type PasskeyError } from './errors.js'
import { scrubError } from './scrub.js'

export interface AuthsignalClientOptions {
  /** Server API secret. */
  secret: string
  /** The region's API base URL, e.g. `https://api.authsignal.com/v1`. */
  apiUrl: string
  /** Socket-level timeout for every SDK request, in ms (callers still set a deadline per call). @default 5000 */
  timeoutMs?: number
}

/** The SDK's own per-request axios config (a private method of @authsignal/node 2.x): where a timeout can go. */
interface RequestConfigHook { getRequestConfig?: () => Record<string, unknown> }

/** The most bytes of an Authsignal answer read (its answers are a few KB). */
export const MAX_AUTHSIGNAL_ANSWER_BYTES = 1024 * 1024

let retryInterceptorInstalled = false
/**
 * Whether the axios this package imports is the one the SDK calls (known once the first client installs
 * its retry interceptor). Only then can authsignal-transport.ts answer with errors the SDK recognises
 * (`instanceof AxiosError`); with two copies of axios installed, the SDK's requests keep axios's adapter.
 */
let sameAxios = false
const clients = new Map<string, Authsignal>()

interface InterceptorCount { handlers?: unknown[] | null }
const responseInterceptors = (): number => (axios.interceptors.response as unknown as InterceptorCount).handlers?.length ?? 0

/**
 * An `@authsignal/node` client, one per process and (API URL, secret). The SDK installs its retry
 * interceptor on the *global* axios at every construction (docs/security.md, F3): it is installed once,
 * with one retry. Each request of this client gets a socket timeout, so a silent API cannot hold sockets
 * forever (F2), and follows no redirect; both are set on the client's own request config, never on the
 * application's global axios. Its requests go over authsignal-transport.ts, the SDK building and reading them.
 */
export function createAuthsignalClient ({ secret, apiUrl, timeoutMs = 5000 }: AuthsignalClientOptions): Authsignal {
  if (typeof secret !== 'string' || secret === '') throw new TypeError('createAuthsignalClient: secret is required')
  if (typeof apiUrl !== 'string' || !/^https?:\/\//.test(apiUrl)) throw new TypeError('createAuthsignalClient: apiUrl must be an http(s) URL')
  const key = `${apiUrl}\u0000${secret}`
  const existing = clients.get(key)
  if (existing != null) return existing
  const interceptorsBefore = responseInterceptors()
  const client = new Authsignal({ apiSecretKey: secret, apiUrl, retries: retryInterceptorInstalled ? 0 : 1 })
  if (!retryInterceptorInstalled) sameAxios = responseInterceptors() > interceptorsBefore
  retryInterceptorInstalled = true
  const hook = client as unknown as RequestConfigHook
  const requestConfig = hook.getRequestConfig?.bind(client)
  // Pinned to @authsignal/node 2.x: if its layout changes, fail here rather than run without a timeout.
  if (requestConfig == null) throw new TypeError('createAuthsignalClient: this @authsignal/node version has no getRequestConfig(); pin ^2.21')
  // No redirects: an API call never needs one, and following one would send the secret's Authorization
  // header on to wherever it points. An answer is read up to a size, never into unbounded memory. The
  // bytes go over authsignal-transport.ts (docs/performance.md, "IdP CPU").
  const transport = sameAxios ? { adapter: authsignalTransport } : {}
  hook.getRequestConfig = () => ({ ...requestConfig(), timeout: timeoutMs, maxRedirects: 0, maxContentLength: MAX_AUTHSIGNAL_ANSWER_BYTES, ...transport })
  clients.set(key, client)
  return client
}

export type AuthsignalFailure =
  /** No answer within the deadline. */
  | 'timeout'
  /** Authsignal answered with an error status (`upstreamStatus`). */
  | 'answered'
  /** No usable answer: network error, refused connection, unexpected exception. */
  | 'failed'

/** An Authsignal call that did not succeed: a 503 (`unavailable`) unless the caller decides otherwise. */
export interface AuthsignalCallError extends PasskeyError {
  call: string
  failure: AuthsignalFailure
  /** The HTTP status Authsignal answered, when it answered. */
  upstreamStatus?: number
  /** Authsignal's `errorCode` in that answer (e.g. `unauthorized` for our own credentials). */
  upstreamErrorCode?: string
}

export function isAuthsignalCallError (error: unknown): error is AuthsignalCallError {
  return error instanceof FST_PASSKEY_UNAVAILABLE && typeof (error as Partial<AuthsignalCallError>).call === 'string'
}

export interface CallContext {
  log: FastifyBaseLogger
  timeoutMs: number
}

/**
 * Runs one Authsignal call under a deadline. Resolves with its answer; otherwise logs the scrubbed cause
 * under the `authsignal` key and throws an AuthsignalCallError (status 503). A late answer is ignored and
 * its rejection swallowed, so it can never become an unhandled rejection.
 */
export async function callAuthsignal<T> (context: CallContext, call: string, fn: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  let timedOut = false
  const pending = fn()
  pending.catch(() => {})
  try {
    return await Promise.race([
      pending,
      new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => { timedOut = true; reject(new Error(`no answer within ${context.timeoutMs} ms`)) }, context.timeoutMs)
      })
    ])
  } catch (cause) {
    const scrubbed = scrubError(cause)
    const failure: AuthsignalFailure = timedOut ? 'timeout' : typeof scrubbed.statusCode === 'number' ? 'answered' : 'failed'
    context.log.warn({ authsignal: { call, failure, ...scrubbed } }, 'Authsignal call failed')
    const error = new FST_PASSKEY_UNAVAILABLE('Authsignal') as AuthsignalCallError
    error.call = call
    error.failure = failure
    if (typeof scrubbed.statusCode === 'number') error.upstreamStatus = scrubbed.statusCode
    if (typeof scrubbed.errorCode === 'string') error.upstreamErrorCode = scrubbed.errorCode
    throw error
  } finally {
    clearTimeout(timer)
  }
}
