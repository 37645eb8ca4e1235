// One log line per refused sign-in, for incident response (issue 12, finding 5; docs/security.md "Failed
// sign-ins in the logs"): `event: 'login-failed'`, the route's method, the refusal reason, the source address
// and, where one is known, `account`: a keyed hash of the normalised username or the account id — never the
// username, a token or a password.
//
// The key: this plugin takes no option for it, so it derives one from the secret it already holds, the
// Authsignal API secret (`apiSecretKey` of an @authsignal/node client): secret, the same on every instance and
// across restarts, and the same in fastify-passkey-enroll, so one account has one reference in the IdP's and
// the app's logs. Derived with HMAC under a fixed label, so the secret itself is never the hash key. A client
// without one (a test double) gets a random key for the life of the process, said once at start.
import { createHmac, randomBytes } from 'node:crypto'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, onErrorAsyncHookHandler } from 'fastify'
import type { ResolvedOptions } from '../options.js'

export const ACCOUNT_REFERENCE_LABEL = 'fastify-passkey account reference v1'

/** Where an account reference comes from: what the user typed, or the account id a token or a step named. */
export type AccountFrom = 'username' | 'id'

export interface FailedSignIn {
  /** The step: password, mfa or passkey. */
  method: 'password' | 'mfa' | 'passkey'
  /** Why it was refused: acceptToken's reason for tokens, else the route's (credentials, rate-limited, …). */
  reason: string
  /** The account it was for, when one is known. */
  account?: { from: AccountFrom, value: string }
  /** A short word that narrows the reason (Authsignal's state or what was unusable); never user input. */
  detail?: string
}

export interface FailureLog {
  /** Logs one refused sign-in (warn level). */
  failed (request: FastifyRequest, failure: FailedSignIn): void
  /** The account an error thrown later in this request concerns (e.g. the username before its limiter runs). */
  concerns (request: FastifyRequest, account: FailedSignIn['account']): void
  /** A route's onError hook: a refusal thrown by a hook or the handler (cross-origin, rate limit, no interaction) is logged once. */
  onError (method: FailedSignIn['method']): onErrorAsyncHookHandler
}

/** Usernames compare as the account lookup compares them: trimmed, Unicode-normalised, case-folded. */
export const normaliseUsername = (username: string): string => username.trim().normalize('NFKC').toLowerCase()

/** The hash key from a secret: HMAC-SHA256(secret, label). */
export const referenceKey = (secret: string | Buffer): Buffer => createHmac('sha256', secret).update(ACCOUNT_REFERENCE_LABEL).digest()

/** HMAC-SHA256 under the key, truncated to 96 bits (16 base64url characters): enough to tell accounts apart, useless to guess one from. */
export const accountReference = (key: Buffer, from: AccountFrom, value: string): string =>
  createHmac('sha256', key).update(from === 'username' ? normaliseUsername(value) : value).digest('base64url').slice(0, 16)

/** Refusals that reach the error handler, by error code: the reason logged. */
const THROWN_REASONS: Record<string, string> = {
  FST_PASSKEY_CROSS_ORIGIN: 'cross-origin',
  FST_PASSKEY_TOO_MANY_REQUESTS: 'rate-limited',
  FST_PASSKEY_UNAVAILABLE: 'unavailable',
  FST_PASSKEY_LOGIN_INTERACTION_NOT_FOUND: 'no-interaction',
  FST_PASSKEY_LOGIN_CANNOT_FINISH: 'cannot-finish'
}

const logs = new WeakMap<object, FailureLog>()
let processKey: Buffer | undefined

/** The plugin's failure log (one per resolved options, so one key per registration). */
export function failureLog (options: ResolvedOptions, scope: FastifyInstance): FailureLog {
  const existing = logs.get(options)
  if (existing != null) return existing
  const secret = (options.authsignal as { apiSecretKey?: unknown }).apiSecretKey
  let key: Buffer
  if (typeof secret === 'string' && secret !== '') {
    key = referenceKey(secret)
  } else {
    processKey ??= randomBytes(32)
    key = processKey
    scope.log.warn({ event: 'login-failed-key' }, 'passkey-login: the Authsignal client has no apiSecretKey; account references in login-failed lines use a per-process key (they change at restart and differ between instances)')
  }
  const accounts = new WeakMap<FastifyRequest, NonNullable<FailedSignIn['account']>>()
  const logged = new WeakSet<FastifyRequest>()

  const log: FailureLog = {
    failed (request, { method, reason, account, detail }) {
      if (logged.has(request)) return
      logged.add(request)
      const known = account ?? accounts.get(request)
      request.log.warn({
        event: 'login-failed',
        method,
        reason,
        ...(detail != null ? { detail: String(detail).slice(0, 64) } : {}),
        ip: request.ip,
        ...(known != null ? { account: accountReference(key, known.from, known.value), accountFrom: known.from } : {})
      }, 'passkey-login: sign-in refused')
    },

    concerns (request, account) {
      if (account != null) accounts.set(request, account)
    },

    onError (method) {
      return async function logRefusal (request: FastifyRequest, _reply: FastifyReply, error: FastifyError): Promise<void> {
        const reason = error.validation != null ? 'invalid-request' : THROWN_REASONS[error.code]
        if (reason != null) log.failed(request, { method, reason })
      }
    }
  }
  logs.set(options, log)
  return log
}
