// The one function that decides whether an Authsignal token signs someone in (docs/security.md, "Accepting
// an Authsignal token", A1–A9). Both the passkey route and the MFA return use it.
// Every check is a strict equality on what Authsignal answered; anything unexpected is a refusal.
// The token itself is never logged, returned or kept: only its idempotency key is remembered.
import type { FastifyBaseLogger } from 'fastify'
import { callAuthsignal, isAuthsignalCallError, isUserId, scrubError, type UsedTokenStore } from 'fastify-passkey-core'
import type { AccountHooks, AuthsignalClient, PasskeyLoginAccount } from './options.js'

/** JWT compact serialisation (three base64url parts); anything else never reaches Authsignal. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}$/
export const MAX_TOKEN_LENGTH = 4096

export type Expectation =
  /** A passkey sign-in: any existing account, but the token must come from a passkey ceremony. */
  | { kind: 'passkey', action: string }
  /** The return from the hosted MFA page: the user and the tracked action this interaction started. */
  | { kind: 'mfa', action: string, accountId: string, idempotencyKey: string }

export type RejectReason =
  | 'malformed' // not token-shaped: refused before any call
  | 'rejected' // Authsignal refused the token (bad signature, expired, unknown: a 4xx answer)
  | 'unavailable' // Authsignal did not answer in time or failed (5xx, network)
  | 'not-valid' // isValid !== true
  | 'state' // state !== CHALLENGE_SUCCEEDED
  | 'action' // another action's token (e.g. add-passkey, or MFA at the passkey route)
  | 'method' // passkey route, but not verified with a passkey
  | 'user' // MFA return, but another user's token
  | 'idempotency-key' // MFA return, but not the action this interaction tracked
  | 'stale' // the challenge succeeded too long ago
  | 'account' // no such account, disabled, or an id unusable with Authsignal
  | 'replayed' // accepted before

export type Acceptance =
  | { accepted: true, account: PasskeyLoginAccount, verificationMethod?: string }
  /**
   * `userId`: the account Authsignal named for a valid token refused later (stale, replayed, …), for the failure
   * log. With reason `state`: `state`, the state Authsignal answered (ALLOW, CHALLENGE_REQUIRED, …), and
   * `verificationMethod` when Authsignal recorded one (an authenticator was used or set up).
   */
  | { accepted: false, reason: RejectReason, userId?: string, state?: string, verificationMethod?: string }

export interface AcceptTokenDeps {
  authsignal: Pick<AuthsignalClient, 'validateChallenge'>
  accounts: Pick<AccountHooks, 'findById'>
  usedTokens: UsedTokenStore
  timeoutMs: number
  maxAgeSeconds: number
  usedTokenTtlSeconds: number
  log: FastifyBaseLogger
  now?: () => number
}

const refuse = (reason: RejectReason, userId?: string): Acceptance => ({ accepted: false, reason, ...(userId != null ? { userId } : {}) })

/**
 * A 4xx answer is Authsignal refusing this token (a bad, expired or mismatched token answers 200
 * `isValid: false`, 400 or 401, depending on the service: authsignal-emulator's `validateErrorStatus`
 * knob). Our own credentials refused (`errorCode: 'unauthorized'`, or a 403) and a rate limit (429) are
 * outages like a 5xx or no answer: nobody signs in, and the words say so.
 */
function validateFailure (error: unknown): 'rejected' | 'unavailable' {
  if (!isAuthsignalCallError(error)) return 'unavailable'
  const status = error.upstreamStatus
  if (status == null || status < 400 || status >= 500 || status === 403 || status === 429) return 'unavailable'
  if (status === 401 && (error.upstreamErrorCode == null || error.upstreamErrorCode === 'unauthorized')) return 'unavailable'
  return 'rejected'
}

export async function acceptToken (deps: AcceptTokenDeps, token: unknown, expected: Expectation): Promise<Acceptance> {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH || !TOKEN_SHAPE.test(token)) return refuse('malformed')

  let result
  try {
    result = await callAuthsignal({ log: deps.log, timeoutMs: deps.timeoutMs }, 'validateChallenge', async () => await deps.authsignal.validateChallenge({
      token,
      action: expected.action,
      ...(expected.kind === 'mfa' ? { userId: expected.accountId } : {})
    }))
  } catch (error) {
    return refuse(validateFailure(error))
  }

  // A non-JSON 200 reaches us as whatever the SDK made of it: check the type of everything (A8).
  if (result == null || typeof result !== 'object') return refuse('not-valid')
  // Not valid because the challenge is in another state (e.g. ALLOW, CHALLENGE_FAILED): say which, for the
  // routes' words (an enrollment that ends in ALLOW); every such answer is a refusal all the same.
  if (result.isValid !== true) {
    return typeof result.state === 'string' && result.state !== 'CHALLENGE_SUCCEEDED' && result.state.length <= 64
      ? { accepted: false, reason: 'state', state: result.state, ...(typeof result.verificationMethod === 'string' ? { verificationMethod: result.verificationMethod } : {}) }
      : refuse('not-valid')
  }
  // A valid token names its user: kept with a refusal below, for the failure log (a keyed hash of it).
  const named = isUserId(result.userId) ? result.userId : undefined
  if (result.state !== 'CHALLENGE_SUCCEEDED') return refuse('state', named)
  if (result.action !== expected.action) return refuse('action', named)
  if (expected.kind === 'passkey') {
    if (result.verificationMethod !== 'PASSKEY') return refuse('method', named)
  } else {
    if (result.userId !== expected.accountId) return refuse('user', named)
    if (result.idempotencyKey !== expected.idempotencyKey) return refuse('idempotency-key', named)
  }
  const succeededAt = typeof result.stateUpdatedAt === 'string' ? Date.parse(result.stateUpdatedAt) : Number.NaN
  const now = (deps.now ?? Date.now)()
  if (!Number.isFinite(succeededAt) || now - succeededAt > deps.maxAgeSeconds * 1000 || succeededAt - now > 60_000) return refuse('stale', named)
  if (typeof result.idempotencyKey !== 'string' || result.idempotencyKey === '' || result.idempotencyKey.length > 256) return refuse('not-valid', named)

  const userId = result.userId
  if (!isUserId(userId)) return refuse('account')
  const account = await deps.accounts.findById(userId)
  if (account == null || account.id !== userId || account.active === false) return refuse('account', userId)

  // Last, so a refusal above never burns the token; atomic, so two concurrent uses cannot both pass.
  let fresh: boolean
  try {
    fresh = await deps.usedTokens.markUsed(result.idempotencyKey, deps.usedTokenTtlSeconds)
  } catch (error) {
    // Without the replay check there is no sign-in: fail closed.
    deps.log.error({ err: scrubError(error) }, 'passkey-login: used-token store failed')
    return refuse('unavailable', userId)
  }
  if (!fresh) return refuse('replayed', userId)
  return { accepted: true, account, ...(typeof result.verificationMethod === 'string' ? { verificationMethod: result.verificationMethod } : {}) }
}
