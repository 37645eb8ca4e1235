// What the password step does with Authsignal's answer to `track`: a pure function of that answer, the
// idempotency key the IdP sent and the MFA policy, so every branch has its row in a table test.
import type { MfaPolicy } from './options.js'

export type PasswordDecision =
  /** Signed in with the password alone (Authsignal allows it, and MFA is optional or already satisfied). */
  | { kind: 'allow' }
  /** To Authsignal's hosted page: `challenge` for an enrolled user, `enroll` for one without an authenticator. */
  | { kind: 'challenge' | 'enroll', url: string }
  /** Authsignal blocked the sign-in or asked for a review (or answered a state nobody expects). */
  | { kind: 'refused', state: string }
  /** No usable answer: another action's answer, or a challenge without a usable page URL. Fail closed. */
  | { kind: 'unusable', reason: 'other-action' | 'bad-url' }

export function decidePasswordStep (tracked: unknown, expected: { idempotencyKey: string, mfaPolicy: MfaPolicy }): PasswordDecision {
  if (tracked == null || typeof tracked !== 'object') return { kind: 'unusable', reason: 'other-action' }
  const answer = tracked as { idempotencyKey?: unknown, state?: unknown, isEnrolled?: unknown, url?: unknown }
  if (answer.idempotencyKey !== expected.idempotencyKey) return { kind: 'unusable', reason: 'other-action' }
  const enroll = answer.state === 'ALLOW' && answer.isEnrolled !== true && expected.mfaPolicy === 'enroll'
  if (answer.state === 'CHALLENGE_REQUIRED' || enroll) {
    const url = hostedPageUrl(answer.url)
    return url == null ? { kind: 'unusable', reason: 'bad-url' } : { kind: enroll ? 'enroll' : 'challenge', url }
  }
  if (answer.state === 'ALLOW') return { kind: 'allow' }
  // BLOCK, REVIEW_REQUIRED or anything unexpected: refused, in the same words for every reason.
  return { kind: 'refused', state: String(answer.state) }
}

/** An absolute http(s) URL, or nothing: the browser is only ever sent to a page Authsignal named. */
function hostedPageUrl (value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined
  try {
    const url = new URL(value)
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined
  } catch {
    return undefined
  }
}
